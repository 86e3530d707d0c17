/**
 * The module structure of a JavaScript/TypeScript file that route extraction needs: its functions (with
 * parameters and bodies, for routers passed as arguments), what it imports (ES and CommonJS) and what it
 * exports, and where a relative import leads. Pure.
 */
import { closeOf, literalAt, openOf, splitArgs, type SourceText } from '../lexer';
import { dirOf, joinFile, type ExtractContext } from './context';

/** A function with a block body. */
export interface JsFunction {
  key: string;
  name?: string;
  params: string[];
  /** Type annotations of the parameters ('' when none). */
  types: string[];
  start: number;
  bodyStart: number;
  bodyEnd: number;
}

/** An imported binding: the file it comes from (when it resolves inside the workspace) and the export's name. */
export interface JsImport {
  file?: string;
  /** `default`, a named export, or `*` for a namespace import. */
  name: string;
  module: string;
}

const ID = '[A-Za-z_$][\\w$]*';
const TRAILING_ID = new RegExp(`(${ID})\\s*$`);
const PARAM = new RegExp(`^(?:\\.\\.\\.)?(${ID})\\s*\\??\\s*(?::\\s*([^=]*))?`);
const ASSIGNED_TO = new RegExp(`(?:(?:const|let|var)\\s+(${ID})\\s*(?::[^=;]*)?|(?:module\\.)?exports\\.(${ID})|(${ID}))\\s*=\\s*(?:async\\s*)?$`);
const NAMESPACE_IMPORT = new RegExp(`\\*\\s*as\\s+(${ID})`);
const DEFAULT_IMPORT = new RegExp(`^(${ID})\\s*(?:,|$)`);
const NAMED_IMPORT = new RegExp(`^\\s*(?:type\\s+)?(${ID})(?:\\s+as\\s+(${ID}))?\\s*$`);
const REQUIRE_MEMBER = new RegExp(`^\\s*\\)\\s*\\.\\s*(${ID})`);
const DESTRUCTURED = new RegExp(`^\\s*(${ID})(?:\\s*:\\s*(${ID}))?\\s*$`);
const OBJECT_ENTRY = new RegExp(`^(${ID})(?:\\s*:\\s*)?`);
const EXPORT_ENTRY = new RegExp(`^(\\s*)(${ID})(?:\\s+as\\s+(${ID}))?\\s*$`);

/** Every function with a block body: declarations, expressions and arrows. */
export function findFunctions(src: SourceText): JsFunction[] {
  const out: JsFunction[] = [];
  const s = src.shape;
  const decl = new RegExp(`\\bfunction\\s*\\*?\\s*(${ID})?\\s*(?:<[^>()]*>)?\\s*\\(`, 'g');
  for (let m = decl.exec(s); m; m = decl.exec(s)) {
    const open = m.index + m[0].length - 1;
    const close = closeOf(s, open);
    if (close < 0) { continue; }
    const brace = /^\s*(?::[^{};=]*)?\{/.exec(s.slice(close + 1, close + 200));
    if (!brace) { continue; }
    const bodyStart = close + brace[0].length;
    add(out, src, m.index, open, close, bodyStart, m[1] ?? nameBefore(s, m.index));
  }
  const arrow = /=>\s*\{/g;
  for (let m = arrow.exec(s); m; m = arrow.exec(s)) {
    const bodyStart = m.index + m[0].length - 1;
    const before = s.slice(Math.max(0, m.index - 300), m.index);
    const paren = /\)\s*(?::[^(){};=]*)?\s*$/.exec(before);
    let start: number;
    let open: number;
    let close: number;
    if (paren) {
      close = m.index - before.length + paren.index;
      open = openOf(s, close);
      if (open < 0) { continue; }
      start = open;
    } else {
      const single = TRAILING_ID.exec(before);
      if (!single) { continue; }
      start = m.index - before.length + single.index;
      open = start - 1;
      close = start + single[1].length;
    }
    const asyncKw = /\basync\s*$/.exec(s.slice(Math.max(0, start - 10), start));
    const from = asyncKw ? start - asyncKw[0].length : start;
    add(out, src, from, open, close, bodyStart, nameBefore(s, from));
  }
  return out.sort((a, b) => a.bodyStart - b.bodyStart);
}

function add(out: JsFunction[], src: SourceText, start: number, open: number, close: number, bodyStart: number, name: string | undefined): void {
  const bodyEnd = closeOf(src.shape, bodyStart);
  if (bodyEnd < 0) { return; }
  const params: string[] = [];
  const types: string[] = [];
  if (src.shape[open] === '(') {
    for (const [a, b] of splitArgs(src.shape, open).args) {
      const m = PARAM.exec(src.code.slice(a, b));
      params.push(m ? m[1] : '');
      types.push(m?.[2]?.trim() ?? '');
    }
  } else {
    params.push(src.code.slice(open + 1, close).trim());
    types.push('');
  }
  out.push({ key: `${src.path}#fn@${bodyStart}`, name, params, types, start, bodyStart, bodyEnd });
}

/** The name a function expression is assigned to (`const x = ...`, `exports.x = ...`), `default` for default exports. */
function nameBefore(s: string, at: number): string | undefined {
  const before = s.slice(Math.max(0, at - 200), at);
  const m = ASSIGNED_TO.exec(before);
  if (m) { return m[1] ?? m[2] ?? m[3]; }
  if (/(?:export\s+default|module\.exports\s*=)\s*(?:async\s*)?$/.test(before)) { return 'default'; }
  return undefined;
}

/** The innermost function whose body holds `offset`, if any. */
export function functionAt(fns: readonly JsFunction[], offset: number): JsFunction | undefined {
  let best: JsFunction | undefined;
  for (const f of fns) {
    if (f.bodyStart < offset && offset < f.bodyEnd && (!best || f.bodyStart > best.bodyStart)) { best = f; }
  }
  return best;
}

const EXTENSIONS = ['.ts', '.tsx', '.js', '.jsx', '.mjs', '.cjs', '.mts', '.cts'];

/** The workspace file a module specifier names, for relative specifiers (and root- or `src/`-relative ones). */
export function resolveJsModule(ctx: ExtractContext, from: string, spec: string): string | undefined {
  const bases = spec.startsWith('.') ? [joinFile(dirOf(from), spec)] : /^[@\w]/.test(spec) && spec.includes('/') ? [joinFile(spec), joinFile('src', spec)] : [];
  for (const base of bases) {
    if (base === undefined) { continue; }
    const stem = base.replace(/\.(?:js|mjs|cjs|jsx)$/, '');
    const tries = [base, ...EXTENSIONS.map(e => stem + e), ...EXTENSIONS.map(e => `${base}/index${e}`)];
    const hit = tries.find(p => ctx.exists(p));
    if (hit) { return hit; }
  }
  return undefined;
}

/** The file's imports: local name → where it comes from. */
export function findImports(src: SourceText, ctx: ExtractContext): Map<string, JsImport> {
  const out = new Map<string, JsImport>();
  const s = src.shape;
  const bind = (local: string, module: string, name: string): void => {
    out.set(local, { file: resolveJsModule(ctx, src.path, module), name, module });
  };
  const esImport = /\bimport\s+(?:type\s+)?([^'";]*?)\s*from\s*(?=['"])/g;
  for (let m = esImport.exec(s); m; m = esImport.exec(s)) {
    const lit = literalAt(src, m.index + m[0].length);
    if (!lit) { continue; }
    const clause = src.code.slice(m.index + 6, m.index + 6 + m[1].length + 1).trim();
    const ns = NAMESPACE_IMPORT.exec(clause);
    if (ns) { bind(ns[1], lit.value, '*'); }
    const def = DEFAULT_IMPORT.exec(clause);
    if (def) { bind(def[1], lit.value, 'default'); }
    const named = /\{([^}]*)\}/.exec(clause);
    for (const part of named ? named[1].split(',') : []) {
      const p = NAMED_IMPORT.exec(part);
      if (p) { bind(p[2] ?? p[1], lit.value, p[1]); }
    }
  }
  const req = new RegExp(`\\b(?:const|let|var)\\s+(${ID}|\\{[^}]*\\})\\s*=\\s*(?:await\\s+)?require\\s*\\(`, 'g');
  for (let m = req.exec(s); m; m = req.exec(s)) {
    const lit = literalAt(src, m.index + m[0].length);
    if (!lit) { continue; }
    const member = REQUIRE_MEMBER.exec(s.slice(lit.end, lit.end + 80));
    if (m[1].startsWith('{')) {
      for (const part of m[1].slice(1, -1).split(',')) {
        const p = DESTRUCTURED.exec(part);
        if (p) { bind(p[2] ?? p[1], lit.value, p[1]); }
      }
    } else {
      bind(m[1], lit.value, member ? member[1] : 'default');
    }
  }
  return out;
}

/** One export: the exported name and the local expression it stands for ([start, end) in the source). */
export interface JsExport {
  name: string;
  start: number;
  end: number;
  /** For `export function f` and `export default function`: the local function's name (`default` when anonymous). */
  local?: string;
  /** `export const name = ...`: the export is the variable declared there. */
  declared?: boolean;
}

/** `export default x`, `module.exports = x`, `exports.a = x`, `export { a as b }`, `export const a = x`, `module.exports = { a, b }`. */
export function findExports(src: SourceText): JsExport[] {
  const out: JsExport[] = [];
  const s = src.shape;
  const exprEnd = (from: number): number => {
    for (let i = from, depth = 0; i < s.length; i++) {
      const c = s[i];
      if (c === '(' || c === '[' || c === '{') { depth++; } else if (c === ')' || c === ']' || c === '}') {
        if (depth === 0) { return i; }
        depth--;
      } else if (depth === 0 && (c === ';' || (c === '\n' && !/^\s*[.?:]/.test(s.slice(i + 1, i + 40))))) { return i; }
    }
    return s.length;
  };
  const single = new RegExp(`\\b(?:export\\s+default(?!\\s+(?:async\\s+)?function\\b)|module\\.exports\\s*=(?!=)|(?:module\\.)?exports\\.(${ID})\\s*=(?!=)|export\\s+(?:const|let|var)\\s+(${ID})\\s*(?::[^=;]*)?=(?!=))\\s*`, 'g');
  for (let m = single.exec(s); m; m = single.exec(s)) {
    const start = m.index + m[0].length;
    const end = exprEnd(start);
    const name = m[1] ?? m[2] ?? 'default';
    if (name === 'default' && s[start] === '{' && /^module/.test(m[0])) {
      // module.exports = { a, b: c }
      for (const [a, b] of splitArgs(s, start).args) {
        const p = OBJECT_ENTRY.exec(src.code.slice(a, b));
        if (p) { out.push(p[0].length === p[1].length ? { name: p[1], start: a, end: b } : { name: p[1], start: a + p[0].length, end: b }); }
      }
      continue;
    }
    out.push(m[2] ? { name, start, end, declared: true } : { name, start, end });
  }
  const list = /\bexport\s*\{([^}]*)\}(?!\s*from)/g;
  for (let m = list.exec(s); m; m = list.exec(s)) {
    let at = m.index + m[0].indexOf('{') + 1;
    for (const part of src.code.slice(at, at + m[1].length).split(',')) {
      const p = EXPORT_ENTRY.exec(part);
      if (p) { out.push({ name: p[3] ?? p[2], start: at + p[1].length, end: at + p[1].length + p[2].length }); }
      at += part.length + 1;
    }
  }
  const fnExport = new RegExp(`\\bexport\\s+(default\\s+)?(?:async\\s+)?function\\s*\\*?\\s*(${ID})?`, 'g');
  for (let m = fnExport.exec(s); m; m = fnExport.exec(s)) {
    const at = m.index + m[0].length;
    out.push({ name: m[1] ? 'default' : m[2] ?? 'default', start: at, end: at, local: m[2] ?? 'default' });
  }
  return out;
}
