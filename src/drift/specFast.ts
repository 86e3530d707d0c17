/**
 * A quick reading of the usual OpenAPI document: block-style YAML, or JSON. Composing a 10,000-line document
 * with the `yaml` package takes half a second; the operations only need the keys at two depths under
 * `paths`, which a line scan (YAML) or a token scan (JSON) finds in milliseconds. Anything unusual (tabs,
 * flow mappings or anchors at those depths, complex keys, several documents) returns undefined, and the
 * caller reads the document the full way. `servers` is small and still goes through the `yaml` parser.
 * Pure.
 */
import { parseDocument } from 'yaml';
import type { DriftNote, HttpMethod, SpecDocument, SpecOperation } from './types';

const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);
const KEY = /^( *)(?:'((?:[^']|'')*)'|"((?:[^"\\]|\\.)*)"|([^\s'"#&*!|>%@`?{}[\],-][^#]*?|-[^\s#][^#]*?))[ \t]*:(?:[ \t]+(.*?))?[ \t]*$/;

/** The base paths of parsed `servers` and `basePath` values (plain data, not YAML nodes). */
export type BasePaths = (servers: unknown, basePath: unknown) => string[];

/** Operations and base paths of a block-style YAML or a JSON document, or undefined to read it the full way. */
export function fastReadSpec(file: string, text: string, basePaths: BasePaths): { spec: SpecDocument; notes: DriftNote[] } | undefined {
  return /^\s*\{/.test(text) ? fastJson(file, text, basePaths) : fastYaml(file, text, basePaths);
}

function unquote(m: RegExpExecArray): string {
  return m[2] !== undefined ? m[2].replace(/''/g, '\'') : m[3] !== undefined ? JSON.parse(`"${m[3]}"`) as string : m[4];
}

function fastYaml(file: string, text: string, basePaths: BasePaths): { spec: SpecDocument; notes: DriftNote[] } | undefined {
  const lines = text.split('\n');
  const top = new Map<string, number>();
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (/^(---|\.\.\.)/.test(l) && i > 0 && lines.slice(0, i).some(x => x.trim() && !x.startsWith('#') && !x.startsWith('%'))) { return undefined; }
    if (/^-(?!--)/.test(l)) { return undefined; }
    if (/^[^\s#-]/.test(l)) {
      const m = KEY.exec(l.replace(/\r$/, ''));
      if (!m) { return undefined; }
      top.set(unquote(m), i);
    }
  }
  const scalar = (key: string): string | undefined => {
    const at = top.get(key);
    const m = at === undefined ? undefined : KEY.exec(lines[at].replace(/\r$/, ''));
    return m?.[5]?.replace(/\s+#.*$/, '').replace(/^(['"])(.*)\1$/, '$2');
  };
  if (top.size === 0) { return undefined; }
  const version = scalar('openapi') ?? scalar('swagger') ?? '';
  const sectionOf = (key: string): [number, number] | undefined => {
    const at = top.get(key);
    if (at === undefined) { return undefined; }
    const next = [...top.values()].filter(v => v > at).sort((a, b) => a - b)[0] ?? lines.length;
    return [at, next];
  };
  let servers: unknown;
  const serverSection = sectionOf('servers');
  if (serverSection) {
    const doc = parseDocument(lines.slice(serverSection[0], serverSection[1]).join('\n'));
    if (doc.errors.length) { return undefined; }
    servers = (doc.toJS({ maxAliasCount: 10 }) as Record<string, unknown> | null)?.servers;
  }
  const operations: SpecOperation[] = [];
  const notes: DriftNote[] = [];
  const paths = sectionOf('paths');
  if (paths) {
    const head = KEY.exec(lines[paths[0]].replace(/\r$/, ''));
    if (head?.[5] && !head[5].startsWith('#')) { return undefined; }
    if (!scanPaths(file, lines, paths[0] + 1, paths[1], operations, notes)) { return undefined; }
  }
  const spec: SpecDocument = { file, version, basePaths: basePaths(servers, scalar('basePath')), operations, pathsLine: paths ? paths[0] + 1 : 1, json: false };
  return { spec, notes };
}

/** Path keys at one indentation, item keys at the next; false when the block is not plain enough. */
function scanPaths(file: string, lines: string[], from: number, to: number, out: SpecOperation[], notes: DriftNote[]): boolean {
  let pathIndent = -1;
  let itemIndent = -1;
  let opIndent = -1;
  let path: { key: string; line: number } | undefined;
  let op: SpecOperation | undefined;
  for (let i = from; i < to; i++) {
    const raw = lines[i].replace(/\r$/, '');
    const trimmed = raw.trimStart();
    if (trimmed === '' || trimmed.startsWith('#')) { continue; }
    if (raw.startsWith('\t') || /^\s*\t/.test(raw)) { return false; }
    const indent = raw.length - trimmed.length;
    if (pathIndent < 0) { pathIndent = indent; }
    if (indent < pathIndent) { return false; }
    if (indent === pathIndent) {
      const m = KEY.exec(raw);
      if (!m || (m[5] && !m[5].startsWith('#'))) { return false; }
      path = { key: unquote(m), line: i + 1 };
      itemIndent = -1;
      op = undefined;
      continue;
    }
    if (!path) { return false; }
    if (itemIndent < 0) { itemIndent = indent; }
    if (indent < itemIndent) { return false; }
    if (indent === itemIndent) {
      const m = KEY.exec(raw);
      if (!m) { return false; }
      const key = unquote(m);
      op = undefined;
      opIndent = -1;
      if (key === '$ref') { notes.push({ file, line: path.line, message: `The path item ${path.key} is a $ref: its operations were not read.` }); continue; }
      if (key === '<<' || /^[&*]/.test(m[5] ?? '')) { return false; }
      if (METHODS.has(key.toLowerCase())) {
        op = { method: key.toUpperCase() as HttpMethod, path: path.key, file, line: i + 1, pathLine: path.line };
        out.push(op);
      }
      continue;
    }
    if (op) {
      if (opIndent < 0) { opIndent = indent; }
      if (indent === opIndent && trimmed.startsWith('operationId')) {
        const m = KEY.exec(raw);
        if (m && unquote(m) === 'operationId' && m[5]) { op.operationId = m[5].replace(/\s+#.*$/, '').replace(/^(['"])(.*)\1$/, '$2'); }
      }
    }
  }
  return true;
}

/** JSON: JSON.parse for the values, a token scan for the lines of the keys under `paths`. */
function fastJson(file: string, text: string, basePaths: BasePaths): { spec: SpecDocument; notes: DriftNote[] } | undefined {
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) { return undefined; }
  const lines = keyLines(text);
  if (!lines) { return undefined; }
  const operations: SpecOperation[] = [];
  const notes: DriftNote[] = [];
  const paths = data.paths;
  if (typeof paths === 'object' && paths !== null) {
    for (const [path, item] of Object.entries(paths)) {
      if (typeof item !== 'object' || item === null) { continue; }
      const pathLine = lines.get(`paths\u0000${path}`) ?? 1;
      if ('$ref' in item) { notes.push({ file, line: pathLine, message: `The path item ${path} is a $ref: its operations were not read.` }); continue; }
      for (const [method, value] of Object.entries(item as Record<string, unknown>)) {
        if (!METHODS.has(method.toLowerCase())) { continue; }
        const op: SpecOperation = { method: method.toUpperCase() as HttpMethod, path, file, line: lines.get(`paths\u0000${path}\u0000${method}`) ?? pathLine, pathLine };
        const id = (value as Record<string, unknown> | null)?.operationId;
        if (typeof id === 'string') { op.operationId = id; }
        operations.push(op);
      }
    }
  }
  const version = String(data.openapi ?? data.swagger ?? '');
  return {
    spec: { file, version, basePaths: basePaths(data.servers, data.basePath), operations, pathsLine: lines.get('paths') ?? 1, json: true },
    notes,
  };
}

/** Lines of the keys at depths 1 to 3 of a JSON text (`paths`, `paths␀/x`, `paths␀/x␀get`); undefined if it cannot be scanned. */
function keyLines(text: string): Map<string, number> | undefined {
  const out = new Map<string, number>();
  const stack: { object: boolean; key?: string }[] = [];
  let line = 1;
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') { line++; continue; }
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') { j += text[j] === '\\' ? 2 : 1; }
      if (expectKey && stack.length <= 3) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        stack[stack.length - 1].key = key;
        const names = stack.map(s => s.key ?? '');
        if (names[0] === 'paths' || stack.length === 1) { out.set(names.join('\u0000'), line); }
      }
      i = j;
      continue;
    }
    if (c === '{' || c === '[') { stack.push({ object: c === '{' }); expectKey = c === '{'; } else if (c === '}' || c === ']') { stack.pop(); expectKey = false; } else if (c === ',') { expectKey = stack[stack.length - 1]?.object ?? false; } else if (c === ':') { expectKey = false; }
  }
  return stack.length === 0 ? out : undefined;
}
