/**
 * What the Python extractors share: where a module lives in the workspace, what a file imports, and the
 * classes of the project (bases, methods, simple attributes) for class-based views. Pure.
 */
import { literalAt, type SourceText } from '../lexer';
import { dirOf, joinFile, type ExtractContext } from './context';

/** An imported binding: a module (`import a.b as c`, `from a import b` when `a/b.py` exists) or a name in one. */
export interface PyImport {
  /** The module's file, when it resolves inside the workspace. */
  file?: string;
  /** Dotted module name, absolute. */
  module: string;
  /** The imported name, when the binding is a name rather than a module. */
  name?: string;
}

const moduleCache = new WeakMap<ExtractContext, Map<string, string | null>>();

const indexCache = new WeakMap<ExtractContext, Map<string, string[]>>();

/** `x.py` for a module file, `pkg/__init__.py` for a package: what the index of Python files is keyed by. */
function tail(path: string): string {
  const parts = path.split('/');
  return parts[parts.length - 1] === '__init__.py' ? parts.slice(-2).join('/') : parts[parts.length - 1];
}

/** Python files by their tail, built once: resolving hundreds of imports must not scan the listing each time. */
function nameIndex(ctx: ExtractContext): Map<string, string[]> {
  let index = indexCache.get(ctx);
  if (!index) {
    index = new Map();
    for (const p of ctx.paths) {
      if (!p.endsWith('.py')) { continue; }
      const k = tail(p);
      const list = index.get(k);
      if (list) { list.push(p); } else { index.set(k, [p]); }
    }
    indexCache.set(ctx, index);
  }
  return index;
}

/** The file of an absolute dotted module (`app.api.routes`), found at the root or under any folder. */
export function resolvePyModule(ctx: ExtractContext, module: string): string | undefined {
  let cache = moduleCache.get(ctx);
  if (!cache) { cache = new Map(); moduleCache.set(ctx, cache); }
  const hit = cache.get(module);
  if (hit !== undefined) { return hit ?? undefined; }
  const rel = module.replace(/\./g, '/');
  const tries = [`${rel}.py`, `${rel}/__init__.py`];
  let found = tries.find(t => ctx.exists(t));
  if (!found) {
    // Projects often keep their package under src/ or a service folder: the shortest path ending so wins.
    const index = nameIndex(ctx);
    found = tries.flatMap(t => (index.get(tail(t)) ?? []).filter(p => p.endsWith(`/${t}`))).sort((a, b) => a.length - b.length)[0];
  }
  cache.set(module, found ?? null);
  return found;
}

/** `from .x import y` in `a/b/c.py` → `a.b.x`; absolute names are returned as they are. */
function absoluteModule(fromFile: string, module: string): string {
  const dots = /^\.*/.exec(module)![0].length;
  if (dots === 0) { return module; }
  let dir = dirOf(fromFile);
  for (let i = 1; i < dots; i++) { dir = dirOf(dir); }
  const rest = module.slice(dots);
  return [dir.replace(/\//g, '.'), rest].filter(Boolean).join('.');
}

/** Local names bound by the file's imports. */
export function findPyImports(src: SourceText, ctx: ExtractContext): Map<string, PyImport> {
  const out = new Map<string, PyImport>();
  const fromRe = /^[ \t]*from\s+([.\w]+)\s+import\s+(\([^)]*\)|[^\n]*)/gm;
  for (let m = fromRe.exec(src.code); m; m = fromRe.exec(src.code)) {
    const mod = absoluteModule(src.path, m[1]);
    for (const part of m[2].replace(/[()\\]/g, ' ').split(',')) {
      const p = /^\s*(\w+)(?:\s+as\s+(\w+))?\s*$/.exec(part);
      if (!p) { continue; }
      const sub = mod ? `${mod}.${p[1]}` : p[1];
      const subFile = resolveRelativeFirst(ctx, src.path, m[1], p[1]) ?? resolvePyModule(ctx, sub);
      out.set(p[2] ?? p[1], subFile ? { file: subFile, module: sub } : { file: resolvePyModule(ctx, mod), module: mod, name: p[1] });
    }
  }
  const importRe = /^[ \t]*import\s+([\w.]+)(?:\s+as\s+(\w+))?/gm;
  for (let m = importRe.exec(src.code); m; m = importRe.exec(src.code)) {
    if (m[2]) { out.set(m[2], { file: resolvePyModule(ctx, m[1]), module: m[1] }); } else { out.set(m[1].split('.')[0], { file: resolvePyModule(ctx, m[1].split('.')[0]), module: m[1].split('.')[0] }); }
  }
  return out;
}

/** `from . import views` next to the file: the sibling module, without searching the whole tree. */
function resolveRelativeFirst(ctx: ExtractContext, from: string, module: string, name: string): string | undefined {
  if (!module.startsWith('.')) { return undefined; }
  let dir = dirOf(from);
  const dots = /^\.*/.exec(module)![0].length;
  for (let i = 1; i < dots; i++) { dir = dirOf(dir); }
  const base = joinFile(dir, ...module.slice(dots).split('.').filter(Boolean), name);
  if (base === undefined) { return undefined; }
  return [`${base}.py`, `${base}/__init__.py`].find(p => ctx.exists(p));
}

/**
 * The file and node name an expression such as `authentication.router`, `api_router` or `user.views.blueprint`
 * refers to: imported modules are followed attribute by attribute.
 */
export function resolvePyRef(ctx: ExtractContext, src: SourceText, imports: Map<string, PyImport>, expr: string): string | undefined {
  const parts = expr.trim().split(/\s*\.\s*/);
  if (!parts.every(p => /^\w+$/.test(p))) { return undefined; }
  const head = imports.get(parts[0]);
  if (!head) { return parts.length === 1 ? `${src.path}#${parts[0]}` : undefined; }
  if (head.name !== undefined) { return head.file && parts.length === 1 ? `${head.file}#${head.name}` : undefined; }
  let module = head.module;
  let file = head.file;
  for (let i = 1; i < parts.length; i++) {
    const next = resolvePyModule(ctx, `${module}.${parts[i]}`);
    if (next && i < parts.length - 1) { module = `${module}.${parts[i]}`; file = next; continue; }
    if (next && i === parts.length - 1) { return undefined; }
    return file && i === parts.length - 1 ? `${file}#${parts[i]}` : undefined;
  }
  return undefined;
}

/** A Python class: its bases, the methods it defines and its string attributes (`lookup_field = 'slug'`). */
export interface PyClass {
  name: string;
  file: string;
  bases: string[];
  methods: Set<string>;
  attrs: Map<string, string>;
  /** Extra routes of DRF `@action`s: method names with their options. */
  actions: { name: string; detail: boolean; methods: string[]; urlPath?: string }[];
}

const classCache = new WeakMap<ExtractContext, Map<string, PyClass[]>>();

/** Every class in the project's Python sources, by name (names can repeat across files). */
export function pyClasses(ctx: ExtractContext): Map<string, PyClass[]> {
  const cached = classCache.get(ctx);
  if (cached) { return cached; }
  const out = new Map<string, PyClass[]>();
  for (const src of ctx.sources.values()) {
    if (src.lang !== 'python') { continue; }
    const re = /^([ \t]*)class\s+(\w+)\s*(?:\(([^)]*)\))?\s*:/gm;
    for (let m = re.exec(src.code); m; m = re.exec(src.code)) {
      const body = blockAfter(src.code, m.index + m[0].length, m[1].length);
      const cls: PyClass = {
        name: m[2], file: src.path, bases: (m[3] ?? '').split(',').map(b => b.trim().split('.').pop() ?? '').filter(Boolean),
        methods: new Set(), attrs: new Map(), actions: [],
      };
      const text = src.code.slice(body[0], body[1]);
      for (const d of text.matchAll(/^[ \t]+(?:async\s+)?def\s+(\w+)\s*\(/gm)) { cls.methods.add(d[1]); }
      for (const a of text.matchAll(/^[ \t]+(\w+)\s*=\s*(?=[rbuRBU]?['"])/gm)) {
        const lit = literalAt(src, body[0] + a.index! + a[0].length);
        if (lit) { cls.attrs.set(a[1], lit.value); }
      }
      for (const a of text.matchAll(/@action\s*\(([^)]*)\)\s*\n\s*(?:async\s+)?def\s+(\w+)/g)) {
        const methods = /methods\s*=\s*[[(]([^\])]*)/.exec(a[1])?.[1].match(/\w+/g) ?? ['get'];
        const urlPath = /url_path\s*=\s*r?['"]([^'"]*)['"]/.exec(a[1])?.[1];
        cls.actions.push({ name: a[2], detail: /detail\s*=\s*True/.test(a[1]), methods, urlPath });
      }
      const list = out.get(cls.name);
      if (list) { list.push(cls); } else { out.set(cls.name, [cls]); }
    }
  }
  classCache.set(ctx, out);
  return out;
}

/** The [start, end) of the indented block after a `class ...:` or `def ...:` header ending at `from`. */
export function blockAfter(code: string, from: number, indent: number): [number, number] {
  const lineEnd = code.indexOf('\n', from);
  if (lineEnd < 0) { return [from, code.length]; }
  const rest = code.slice(lineEnd + 1);
  const re = /^([ \t]*)\S/gm;
  for (let m = re.exec(rest); m; m = re.exec(rest)) {
    if (m[1].length <= indent) { return [lineEnd + 1, lineEnd + 1 + m.index]; }
  }
  return [lineEnd + 1, code.length];
}

/** A class's methods including those inherited from project classes (bases outside the project are names only). */
export function allMethods(ctx: ExtractContext, cls: PyClass, depth = 0): { methods: Set<string>; bases: Set<string>; attrs: Map<string, string> } {
  const methods = new Set(cls.methods);
  const bases = new Set(cls.bases);
  const attrs = new Map(cls.attrs);
  if (depth > 8) { return { methods, bases, attrs }; }
  for (const b of cls.bases) {
    const parent = pyClasses(ctx).get(b)?.[0];
    if (!parent || parent === cls) { continue; }
    const inherited = allMethods(ctx, parent, depth + 1);
    for (const m of inherited.methods) { methods.add(m); }
    for (const x of inherited.bases) { bases.add(x); }
    for (const [k, v] of inherited.attrs) { if (!attrs.has(k)) { attrs.set(k, v); } }
  }
  return { methods, bases, attrs };
}
