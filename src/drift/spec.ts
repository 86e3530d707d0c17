/**
 * The operations of an OpenAPI 3.x or Swagger 2.0 document, each with the line of its method key, and the
 * base path its `servers` URLs (or 2.0's `basePath`) put in front of every path. The usual documents are read
 * by a quick scan (specFast.ts); the rest with the `yaml` package (JSON is YAML), which keeps positions;
 * nodes are read in place, so aliases are never expanded (THREATS T11). Pure: works on the text.
 */
import { isMap, isScalar, LineCounter, parseDocument, type Node, type YAMLMap } from 'yaml';
import { normalizeSlashes } from './paths';
import { fastReadSpec } from './specFast';
import type { DriftNote, HttpMethod, SpecDocument, SpecOperation } from './types';

/** Bigger documents are not read (the same cap as the validator's). */
export const MAX_SPEC_CHARS = 5_000_000;
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** The document's operations and base paths, or a note saying why it could not be read. `full` skips the quick scan. */
export function readSpec(file: string, text: string, options: { full?: boolean } = {}): { spec?: SpecDocument; notes: DriftNote[] } {
  if (text.length > MAX_SPEC_CHARS) { return { notes: [{ file, message: `The spec is too large to check (${text.length} characters).` }] }; }
  const fast = options.full ? undefined : fastReadSpec(file, text, basePathsOf);
  if (fast) { return fast; }
  const lineCounter = new LineCounter();
  // Nodes are read as they are (aliases are never expanded), so no alias limit is needed here.
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    return { notes: [{ file, line: e.linePos?.[0].line, message: `The spec could not be read as YAML or JSON: ${e.message.split('\n')[0]}` }] };
  }
  const root = doc.contents;
  if (!isMap(root)) { return { notes: [{ file, message: 'The spec is not a mapping with `openapi:` at the top.' }] }; }
  const lineOf = (node: Node | null | undefined): number => (node?.range ? lineCounter.linePos(node.range[0]).line : 1);
  const version = String(scalar(root, 'openapi') ?? scalar(root, 'swagger') ?? '');
  const notes: DriftNote[] = [];
  const operations: SpecOperation[] = [];
  const pathsPair = root.items.find(p => isScalar(p.key) && p.key.value === 'paths');
  const paths = pathsPair?.value;
  if (isMap(paths)) {
    for (const pair of paths.items) {
      if (!isScalar(pair.key) || typeof pair.key.value !== 'string') { continue; }
      const path = pair.key.value;
      const pathLine = lineOf(pair.key as Node);
      if (!isMap(pair.value)) { continue; }
      if (pair.value.has('$ref')) {
        notes.push({ file, line: pathLine, message: `The path item ${path} is a $ref: its operations were not read.` });
        continue;
      }
      for (const op of pair.value.items) {
        if (!isScalar(op.key) || !METHODS.includes(String(op.key.value).toLowerCase())) { continue; }
        const operation: SpecOperation = { method: String(op.key.value).toUpperCase() as HttpMethod, path, file, line: lineOf(op.key as Node), pathLine };
        const id = isMap(op.value) ? op.value.get('operationId') : undefined;
        if (typeof id === 'string') { operation.operationId = id; }
        operations.push(operation);
      }
    }
  }
  return {
    spec: {
      file, version, operations, pathsLine: pathsPair ? lineOf(pathsPair.key as Node) : 1, json: /^\s*\{/.test(text),
      basePaths: basePathsOf(nodeData(doc, root.get('servers', true)), scalar(root, 'basePath')),
    },
    notes,
  };
}

function scalar(map: YAMLMap, key: string): unknown {
  const v = map.get(key, true);
  return isScalar(v) ? v.value : undefined;
}

/** A node as plain data, with few aliases allowed (`servers` is small). */
function nodeData(doc: ReturnType<typeof parseDocument>, node: unknown): unknown {
  try {
    return (node as { toJS?: (d: unknown, o: unknown) => unknown } | undefined)?.toJS?.(doc, { maxAliasCount: 10 });
  } catch {
    return undefined;
  }
}

/** Path parts of `servers[].url` (variables replaced by their defaults) or of 2.0's `basePath`, from plain data. */
export function basePathsOf(servers: unknown, basePath: unknown): string[] {
  const out = new Set<string>();
  if (typeof basePath === 'string') { out.add(urlPath(basePath)); }
  for (const s of Array.isArray(servers) ? servers : []) {
    const url = (s as { url?: unknown } | null)?.url;
    if (typeof url !== 'string') { continue; }
    const vars = (s as { variables?: Record<string, { default?: unknown }> }).variables;
    const resolved = url.replace(/\{([^}]+)\}/g, (_m, name: string) => {
      const d = vars?.[name]?.default;
      return typeof d === 'string' ? d : '';
    });
    out.add(urlPath(resolved));
  }
  return out.size > 0 ? [...out] : [''];
}

/** The path part of an absolute or relative URL, normalised: '' for the root. */
function urlPath(url: string): string {
  const path = url.replace(/^[a-z][\w+.-]*:\/\/[^/]*/i, '').replace(/[?#].*$/, '');
  const p = normalizeSlashes(path);
  return p === '/' ? '' : p;
}
