/**
 * "Add to spec": the OpenAPI operation for a route the spec lacks, and the spec's text with it added where a
 * person would put it (under its path if the path is there, else after the path that shares the most
 * segments), in the document's own indentation. Only what the code says is filled in: the path parameters,
 * an operationId, a response per method; the description asks for the rest. The caller routes the new text
 * through the diff-first writer. Pure.
 */
import { isMap, isScalar, LineCounter, parseDocument, type Node, type Pair } from 'yaml';
import { pathKey } from './paths';
import type { CodeRoute, DriftItem, SpecDocument } from './types';

/** A proposed change to one spec file. */
export interface OperationProposal {
  /** The spec file to change (workspace-relative). */
  file: string;
  /** The operation alone, as the YAML added (path key included when the path is new). */
  snippet: string;
  /** The whole spec with the operation added: what the writer shows as a diff and writes. */
  text: string;
  /** 1-based line of the new operation's method key in `text`. */
  line: number;
}

const RESPONSES: Record<string, [string, string]> = {
  POST: ['201', 'Created'], DELETE: ['204', 'No Content'],
};

/**
 * The operation for a missing-in-spec item (or a route, with the path as the spec would write it), added to
 * `specText`, the current text of `spec.file`. Returns a reason instead when there is nothing sensible to add.
 */
export function proposeOperation(item: DriftItem | { route: CodeRoute; path: string }, spec: SpecDocument, specText: string): OperationProposal | { error: string } {
  const route = item.route;
  if (!route) { return { error: 'Only a route missing from the spec can be added to it.' }; }
  if (route.method === 'ALL') { return { error: `${route.path} answers every method: say which ones the API offers, then add them one by one.` }; }
  const method = route.method.toLowerCase();
  const lineCounter = new LineCounter();
  const doc = parseDocument(specText, { lineCounter, uniqueKeys: false });
  if (doc.errors.length > 0 || !isMap(doc.contents)) { return { error: `${spec.file} could not be read as YAML or JSON.` }; }
  const pathsPair = doc.contents.items.find(p => isScalar(p.key) && p.key.value === 'paths');
  const paths = pathsPair?.value;
  const existing = isMap(paths) ? paths.items.find(p => isScalar(p.key) && typeof p.key.value === 'string' && pathKey(p.key.value) === pathKey(item.path)) : undefined;
  const pathText = existing ? String((existing.key as { value: string }).value) : item.path;
  if (existing && isMap(existing.value) && existing.value.has(method)) { return { error: `${spec.file} already has ${route.method} ${pathText}.` }; }
  const ids = new Set(spec.operations.map(o => o.operationId).filter(Boolean));
  const operation = operationObject(route, pathText, spec.version.startsWith('2'), ids);
  if (spec.json || !isMap(paths) || paths.flow || (existing && (!isMap(existing.value) || existing.value.flow))) {
    return rewrite(spec, specText, pathText, method, operation);
  }
  const indent = indentation(paths.items, lineCounter, specText);
  const at = insertionPoint(paths.items, existing, item.path, specText);
  const block = toYaml(existing ? { [method]: operation } : { [pathText]: { [method]: operation } }, existing ? indent.method : indent.path, indent.unit);
  const before = specText.slice(0, at);
  const glue = before.endsWith('\n') ? '' : '\n';
  const text = `${before}${glue}${block}${specText.slice(at)}`;
  // The block's first line is the one after the last newline before it; a new path puts the method one line lower.
  const line = (before + glue).split('\n').length + (existing ? 0 : 1);
  return { file: spec.file, snippet: toYaml(existing ? { [method]: operation } : { [pathText]: { [method]: operation } }, 0, indent.unit), text, line };
}

/** operationId, summary, description, path parameters and one response, in the document's version's terms. */
function operationObject(route: CodeRoute, path: string, swagger2: boolean, ids: Set<string | undefined>): Record<string, unknown> {
  const words = path.split('/').filter(Boolean).map(s => s.replace(/[{}]/g, '')).map(s => s.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c?: string) => (c ? c.toUpperCase() : '')));
  let id = route.method.toLowerCase() + words.map(w => w.charAt(0).toUpperCase() + w.slice(1)).join('');
  for (let n = 2; ids.has(id); n++) { id = `${id.replace(/\d+$/, '')}${n}`; }
  const params = [...path.matchAll(/\{([^}]+)\}/g)].map(m => (swagger2
    ? { name: m[1], in: 'path', required: true, type: 'string' }
    : { name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
  const [code, text] = RESPONSES[route.method] ?? ['200', 'OK'];
  const op: Record<string, unknown> = {
    operationId: id,
    summary: `${route.method} ${path}`,
    description: `Declared in ${route.file}:${route.line}. Describe its request and responses.`,
  };
  if (params.length) { op.parameters = params; }
  op.responses = { [code]: { description: text } };
  return op;
}

/** Where new text goes: after the path item itself, or after the path sharing the most leading segments. */
function insertionPoint(items: Pair[], existing: Pair | undefined, path: string, text: string): number {
  let after = existing;
  if (!after) {
    const want = pathKey(path).split('/');
    let best = -1;
    for (const p of items) {
      const have = pathKey(String((p.key as { value: unknown }).value)).split('/');
      let n = 0;
      while (n < want.length && n < have.length && want[n] === have[n]) { n++; }
      if (n >= best) { best = n; after = p; }
    }
  }
  const end = (after?.value as Node | null)?.range?.[1] ?? (after?.key as Node | null)?.range?.[1] ?? text.length;
  const nl = text.indexOf('\n', Math.max(0, end - 1));
  return nl < 0 ? text.length : nl + 1;
}

/** Column of the path keys, of the method keys under them, and the indentation step. */
function indentation(items: Pair[], lc: LineCounter, text: string): { path: number; method: number; unit: number } {
  const first = items[0];
  const col = (n: Node | null | undefined): number | undefined => (n?.range ? lc.linePos(n.range[0]).col - 1 : undefined);
  const path = col(first?.key as Node) ?? 2;
  const inner = isMap(first?.value) ? col(first.value.items[0]?.key as Node) : undefined;
  const unit = inner !== undefined && inner > path ? inner - path : /\n( +)\S/.exec(text)?.[1].length ?? 2;
  return { path, method: path + unit, unit };
}

/** Block YAML for a small plain value tree: mappings, lists of mappings, scalars. */
function toYaml(value: Record<string, unknown>, indent: number, unit: number): string {
  const pad = ' '.repeat(indent);
  let out = '';
  for (const [k, v] of Object.entries(value)) {
    const key = /^[\w./{}-]+$/.test(k) && !/^\d+$/.test(k) ? k : `'${k.replace(/'/g, "''")}'`;
    if (Array.isArray(v)) {
      out += `${pad}${key}:\n`;
      for (const item of v) {
        const inner = toYaml(item as Record<string, unknown>, indent + unit + 2, unit);
        out += `${pad}${' '.repeat(unit)}- ${inner.slice(indent + unit + 2)}`;
      }
    } else if (typeof v === 'object' && v !== null) {
      out += `${pad}${key}:\n${toYaml(v as Record<string, unknown>, indent + unit, unit)}`;
    } else {
      out += `${pad}${key}: ${scalarText(v)}\n`;
    }
  }
  return out;
}

function scalarText(v: unknown): string {
  if (typeof v === 'string') { return /^[\w./ -]*$/.test(v) && !/^(true|false|null|yes|no|~|\d.*)$/i.test(v) && !/: /.test(v) ? v : JSON.stringify(v); }
  return String(v);
}

/** JSON specs and flow-style YAML: the document is rewritten through the parser (formatting may change). */
function rewrite(spec: SpecDocument, specText: string, path: string, method: string, operation: Record<string, unknown>): OperationProposal | { error: string } {
  if (spec.json) {
    let data: Record<string, Record<string, Record<string, unknown>>>;
    try { data = JSON.parse(specText) as typeof data; } catch { return { error: `${spec.file} is not valid JSON.` }; }
    data.paths ??= {};
    data.paths[path] ??= {};
    data.paths[path][method] = operation;
    const indent = /\n(\s+)"/.exec(specText)?.[1] ?? '  ';
    const text = `${JSON.stringify(data, null, indent)}\n`;
    const line = text.split('\n').findIndex((l, i, all) => l.includes(`"${method}":`) && all.slice(0, i).some(x => x.includes(`${JSON.stringify(path)}:`))) + 1;
    return { file: spec.file, snippet: JSON.stringify({ [path]: { [method]: operation } }, null, indent), text, line: Math.max(1, line) };
  }
  const doc = parseDocument(specText);
  doc.setIn(['paths', path, method], doc.createNode(operation));
  const text = doc.toString();
  const lines = text.split('\n');
  const pathLine = lines.findIndex(l => l.trimStart().startsWith(`${path}:`) || l.includes(`'${path}':`) || l.includes(`"${path}":`));
  const line = lines.findIndex((l, i) => i > pathLine && l.trimStart().startsWith(`${method}:`)) + 1;
  return { file: spec.file, snippet: toYaml({ [path]: { [method]: operation } }, 0, 2), text, line: Math.max(1, line) };
}
