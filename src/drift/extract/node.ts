/**
 * Express, Koa (koa-router) and Fastify routes: routers made by `express()`, `Router()`, `new Router({ prefix })`,
 * `new Koa()`, `fastify()`; routes by `x.get(path, ...)` (and post, put, patch, delete/del, head, options,
 * all), `x.route(path).get(...)`, Fastify's `x.route({ method, url })`; mounts by `x.use([prefix,] router)`,
 * `x.register(plugin, { prefix })` (with @fastify/autoload folders), `router.prefix(p)`, and functions
 * that are handed a router (`require('./routes')(app)`), across files through imports and exports.
 *
 * Receivers must be routers the file made, or parameters that look like one (`app`, `router`, `server`,
 * `fastify`, or typed Router/Express/Fastify...): `axios.get('/users')` and `map.get(key)` are not routes.
 */
import type { RouteGraph } from '../graph';
import { closeOf, listItems, literalAt, namedArgs, splitArgs, type SourceText } from '../lexer';
import type { Framework, HttpMethod } from '../types';
import { evalString, type Lookup } from '../values';
import { dirOf, joinFile, note, type ExtractContext } from './context';
import { findExports, findFunctions, findImports, functionAt, resolveJsModule, type JsExport, type JsFunction, type JsImport } from './jsModules';

const ID = '[A-Za-z_$][\\w$]*';
const VERBS: Record<string, HttpMethod> = {
  get: 'GET', post: 'POST', put: 'PUT', patch: 'PATCH', delete: 'DELETE', del: 'DELETE', head: 'HEAD', options: 'OPTIONS', all: 'ALL',
};
const FACTORY = /(?:\bexpress\s*\(\s*\)|\.\s*Router\s*\(|(?<![\w$.])Router\s*\(|\bnew\s+(?:Koa)?Router\s*\(|\bnew\s+Koa\s*\(|(?<![\w$.])[Ff]astify\s*\(|\bexpress\.default\s*\(\s*\))/g;
const ROUTERISH_NAME = /^(?:app|application|router|routes?|server|fastify|instance|api|apiRouter|koa|r|v\d+)$/i;
const ROUTERISH_TYPE = /Router|Express|Application|Fastify|Koa/;
const CALL = new RegExp(`(?<![\\w$.])(${ID})\\s*\\.\\s*(get|post|put|patch|delete|del|head|options|all|use|route|register|prefix)\\s*\\(`, 'g');

interface FileState {
  src: SourceText;
  ctx: ExtractContext;
  graph: RouteGraph;
  fns: JsFunction[];
  imports: Map<string, JsImport>;
  /** Router variables: scope key (function key or file path) + '.' + name → node. */
  vars: Map<string, string>;
  lookup: Lookup;
  framework: Framework;
}

/** Adds the file's routers, routes and mounts to the graph. */
export function extractNodeRoutes(src: SourceText, ctx: ExtractContext): void {
  const framework: Framework = /\bfastify\b|@fastify\//i.test(src.code) ? 'Fastify' : /\bkoa\b|@koa\//i.test(src.code) ? 'Koa' : 'Express';
  const st: FileState = {
    src, ctx, graph: ctx.graph, fns: findFunctions(src), imports: findImports(src, ctx), vars: new Map(), lookup: ctx.lookup(src), framework,
  };
  findRouters(st);
  FACTORY.lastIndex = 0;
  CALL.lastIndex = 0;
  for (let m = CALL.exec(src.shape); m; m = CALL.exec(src.shape)) {
    const node = receiverNode(st, m[1], m.index);
    if (!node) { continue; }
    processChain(st, node, src.shape.indexOf('.', m.index + m[1].length), m.index);
  }
  findRouterCalls(st);
  findReturnsAndExports(st);
}

function scopeKey(st: FileState, offset: number): string {
  return functionAt(st.fns, offset)?.key ?? st.src.path;
}

/** Routers the file makes: each gets a node, apps are marked, Koa prefixes kept, chained calls processed. */
function findRouters(st: FileState): void {
  const s = st.src.shape;
  const found: { index: number; open: number; text: string }[] = [];
  FACTORY.lastIndex = 0;
  for (let m = FACTORY.exec(s); m; m = FACTORY.exec(s)) { found.push({ index: m.index, open: m.index + m[0].length - 1, text: m[0] }); }
  // `require('fastify')(opts)`: the module name is in a string, so this one is found in the code copy.
  const req = /\brequire\s*\(\s*['"](fastify|express|koa)['"]\s*\)\s*\(/g;
  for (let m = req.exec(st.src.code); m; m = req.exec(st.src.code)) { found.push({ index: m.index, open: m.index + m[0].length - 1, text: m[1] === 'koa' ? 'new Koa(' : `${m[1]}(` }); }
  for (const f of found) {
    const close = closeOf(s, f.open);
    if (close < 0) { continue; }
    let before = s.slice(Math.max(0, f.index - 160), f.index);
    // `express.Router()`, `require('express').Router()`: what is assigned starts before the receiver.
    if (f.text.startsWith('.')) { before = before.replace(/(?:require\s*\(\s*['"]\s*['"]\s*\)|[\w$]+)\s*$/, ''); }
    const assigned = new RegExp(`(?:(?:const|let|var)\\s+)?(${ID})\\s*(?::[^=;]*)?=\\s*(?:await\\s+)?$`).exec(before);
    const exported = /(?:export\s+default|module\.exports\s*=)\s*$/.test(before);
    const scope = scopeKey(st, f.index);
    const node = assigned ? `${scope}.${assigned[1]}` : `${st.src.path}#anon@${f.index}`;
    if (assigned) { st.vars.set(`${scope}.${assigned[1]}`, node); }
    if (exported) { st.graph.addEdge({ from: `${st.src.path}#default`, to: node, prefix: '', file: st.src.path, line: st.src.line(f.index), alias: true }); }
    const kind = /express\s*\(|new\s+Koa\s*\(|astify/.test(f.text) ? 'app' : 'router';
    if (kind === 'app') { st.graph.apps.add(node); }
    st.graph.label(node, st.src.path, st.src.line(f.index), `The ${kind} ${assigned ? `"${assigned[1]}"` : 'made here'}`);
    if (/Router/.test(f.text)) {
      const opts = splitArgs(s, f.open).args[0];
      const prefix = opts && s[opts[0]] === '{' ? namedArgs(st.src, splitArgs(s, opts[0]).args).get('prefix') : undefined;
      const value = prefix && evalString(st.src, prefix[0], prefix[1], st.lookup);
      if (value) { st.graph.ownPrefix.set(node, value.value); }
    }
    chainAfter(st, node, close, f.index);
  }
}

/** The router a name stands for at `offset`: a router variable in scope, or a parameter that looks like one. */
function routerIn(st: FileState, name: string, offset: number): string | undefined {
  for (let f = functionAt(st.fns, offset); f; f = functionAt(st.fns, f.start)) {
    const v = st.vars.get(`${f.key}.${name}`);
    if (v) { return v; }
    const i = f.params.indexOf(name);
    if (i >= 0) {
      if (!ROUTERISH_NAME.test(name) && !ROUTERISH_TYPE.test(f.types[i])) { return undefined; }
      const node = `${f.key}#${i}`;
      st.graph.label(node, st.src.path, st.src.line(f.start), `The parameter "${name}" of ${f.name ? `"${f.name}"` : 'a function'}`);
      return node;
    }
  }
  return st.vars.get(`${st.src.path}.${name}`);
}

/** The router node a call's receiver stands for: as routerIn, or a variable named like a router made by a helper. */
function receiverNode(st: FileState, name: string, offset: number): string | undefined {
  const found = routerIn(st, name, offset);
  if (found) { return found; }
  if (ROUTERISH_NAME.test(name) && !st.imports.has(name) && new RegExp(`\\b(?:const|let|var)\\s+${name.replace(/\$/g, '\\$')}\\b`).test(st.src.shape)) {
    // `const router = makeRouter()`: a helper we do not follow made it, but it is a router by its name.
    const node = `${st.src.path}.${name}`;
    st.graph.label(node, st.src.path, st.src.line(offset), `The router "${name}"`);
    return node;
  }
  return undefined;
}

/** Processes the call `.method(...)` whose dot is at `dot`, and any calls chained after it. */
function processChain(st: FileState, node: string, dot: number, at: number): void {
  const s = st.src.shape;
  const m = /^\.\s*(\w+)\s*\(/.exec(s.slice(dot, dot + 40));
  if (!m) { return; }
  const open = dot + m[0].length - 1;
  const close = processCall(st, node, m[1], open, at);
  if (close >= 0) { chainAfter(st, node, close, at); }
}

function chainAfter(st: FileState, node: string, close: number, at: number): void {
  const next = /^\s*(?=\.\s*(?:get|post|put|patch|delete|del|head|options|all|use|register|prefix)\s*\()/.exec(st.src.shape.slice(close + 1, close + 200));
  if (next) { processChain(st, node, close + 1 + next[0].length, at); }
}

/** One call on a router; returns the offset of its closing parenthesis (or -1 when the chain should stop). */
function processCall(st: FileState, node: string, method: string, open: number, at: number): number {
  const { args, close } = splitArgs(st.src.shape, open);
  const line = st.src.line(at);
  if (method in VERBS) {
    if (args.length < 2) { return close; }
    let pathArg = args[0];
    const first = literalAt(st.src, args[0][0]);
    const second = args.length > 2 ? literalAt(st.src, args[1][0]) : undefined;
    if (first && !/^[/*]|^$/.test(first.value) && second?.value.startsWith('/')) { pathArg = args[1]; }
    for (const path of pathValues(st, pathArg, line)) {
      st.graph.addRoute({ node, method: VERBS[method], path: path.value, file: st.src.path, line, framework: st.framework, partial: path.partial });
    }
  } else if (method === 'route') {
    if (args[0] && st.src.shape[args[0][0]] === '{') { fastifyRoute(st, node, args[0], line); return close; }
    const paths = args[0] ? pathValues(st, args[0], line) : [];
    // `router.route('/x').get(h).post(h)`: the chained verbs take the route's path.
    let end = close;
    for (let m = /^\s*\.\s*(get|post|put|patch|delete|all|head|options)\s*\(/.exec(st.src.shape.slice(end + 1, end + 200)); m;
      m = /^\s*\.\s*(get|post|put|patch|delete|all|head|options)\s*\(/.exec(st.src.shape.slice(end + 1, end + 200))) {
      for (const path of paths) {
        st.graph.addRoute({ node, method: VERBS[m[1]], path: path.value, file: st.src.path, line, framework: st.framework, partial: path.partial });
      }
      end = closeOf(st.src.shape, end + m[0].length);
      if (end < 0) { break; }
    }
    return -1;
  } else if (method === 'use') {
    mount(st, node, args, line);
  } else if (method === 'register') {
    register(st, node, args, line);
  } else if (method === 'prefix' && args[0]) {
    const v = evalString(st.src, args[0][0], args[0][1], st.lookup);
    if (v) { st.graph.ownPrefix.set(node, v.value); }
  }
  return close;
}

/** The path(s) an argument holds: a string, or a list of them. Regular expressions and unknowns are noted. */
function pathValues(st: FileState, [a, b]: [number, number], line: number): { value: string; partial: boolean }[] {
  const items = st.src.shape[a] === '[' ? listItems(st.src, a, b) ?? [] : [[a, b] as [number, number]];
  const out: { value: string; partial: boolean }[] = [];
  for (const [s, e] of items) {
    const text = st.src.code.slice(s, e).trim();
    if (text.startsWith('/') && !/^['"`]/.test(text)) {
      note(st.ctx, st.src.path, line, `A route whose path is a regular expression (${text.slice(0, 40)}) was not analysed.`);
      continue;
    }
    const v = evalString(st.src, s, e, st.lookup);
    if (!v || (v.unresolved.length > 0 && v.value === '')) {
      note(st.ctx, st.src.path, line, `A route whose path is computed (${text.slice(0, 60)}) was not analysed.`);
      continue;
    }
    if (v.unresolved.length > 0) {
      note(st.ctx, st.src.path, line, `Part of a route's path could not be resolved (${v.unresolved.join(', ')}): compared without it.`);
    }
    out.push({ value: v.value, partial: v.unresolved.length > 0 });
  }
  return out;
}

/** Fastify's `x.route({ method: 'GET' | [...], url: '/x' })`. */
function fastifyRoute(st: FileState, node: string, [a]: [number, number], line: number): void {
  const props = namedArgs(st.src, splitArgs(st.src.shape, a).args);
  const url = props.get('url') ?? props.get('path');
  const method = props.get('method');
  if (!url || !method) { return; }
  const methods = (st.src.shape[method[0]] === '[' ? listItems(st.src, method[0], method[1]) ?? [] : [method])
    .map(([s, e]) => literalAt(st.src, s)?.value.toUpperCase() ?? st.src.code.slice(s, e));
  for (const path of pathValues(st, url, line)) {
    for (const m of methods) {
      if (/^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)$/.test(m)) {
        st.graph.addRoute({ node, method: m as HttpMethod, path: path.value, file: st.src.path, line, framework: 'Fastify', partial: path.partial });
      }
    }
  }
}

/** `x.use([prefix,] a, b)`: each router among the arguments is mounted at the prefix. */
function mount(st: FileState, node: string, args: [number, number][], line: number): void {
  let prefix = '';
  let partial = false;
  let rest = args;
  if (args.length >= 2 || (args[0] && literalAt(st.src, args[0][0]))) {
    // A first argument that is a string (or names one: `API_PREFIX`, `config.basePath`) is the mount path.
    const text = st.src.code.slice(args[0][0], args[0][1]).trim();
    const v = evalString(st.src, args[0][0], args[0][1], st.lookup);
    const named = /^[A-Z_][A-Z0-9_.]*$|[Pp]refix|[Pp]ath|[Bb]ase|BASE|PATH|URL/.test(text);
    if (v && (v.unresolved.length === 0 || v.value !== '' || named)) {
      prefix = v.value;
      partial = v.unresolved.length > 0;
      rest = args.slice(1);
    } else if (!v && named) {
      partial = true;
      rest = args.slice(1);
    }
    if (partial) { note(st.ctx, st.src.path, line, `A mount prefix could not be resolved (${text.slice(0, 60)}): compared without it.`); }
  }
  for (const [a, b] of rest) {
    const child = routerRef(st, a, b);
    if (child) { st.graph.addEdge({ from: node, to: child, prefix, file: st.src.path, line, partial }); }
  }
}

/** Fastify `x.register(plugin, { prefix })`, including @fastify/autoload folders. */
function register(st: FileState, node: string, args: [number, number][], line: number): void {
  if (!args[0]) { return; }
  const opts = args[1] && st.src.shape[args[1][0]] === '{' ? namedArgs(st.src, splitArgs(st.src.shape, args[1][0]).args) : new Map<string, [number, number]>();
  const prefixArg = opts.get('prefix');
  const prefix = prefixArg ? evalString(st.src, prefixArg[0], prefixArg[1], st.lookup) : undefined;
  const first = st.src.code.slice(args[0][0], args[0][1]).trim();
  const imported = st.imports.get(first);
  if (imported && /autoload/.test(imported.module)) { autoload(st, node, opts, line); return; }
  const child = functionRef(st, args[0][0], args[0][1], 0);
  if (child) { st.graph.addEdge({ from: node, to: child, prefix: prefix?.value ?? '', file: st.src.path, line, partial: !!prefix?.unresolved.length }); }
}

/** @fastify/autoload: every plugin file under `dir` is registered, prefixed with its folders unless told not to. */
function autoload(st: FileState, node: string, opts: Map<string, [number, number]>, line: number): void {
  const dirArg = opts.get('dir');
  const dirText = dirArg ? st.src.code.slice(dirArg[0], dirArg[1]) : '';
  const parts = [...dirText.matchAll(/['"`]([^'"`$]+)['"`]/g)].map(m => m[1]);
  const dir = /__dirname/.test(dirText) ? joinFile(dirOf(st.src.path), ...parts) : undefined;
  if (dir === undefined) { note(st.ctx, st.src.path, line, 'An @fastify/autoload folder could not be resolved: its routes were not analysed.'); return; }
  const folderPrefix = !(opts.get('dirNameRoutePrefix') && /^\s*false/.test(st.src.code.slice(...opts.get('dirNameRoutePrefix')!)));
  for (const p of st.ctx.paths) {
    if (!p.startsWith(`${dir}/`) || !/\.(?:js|ts|mjs|cjs)$/.test(p) || /\.(?:test|spec)\.|\.d\.ts$/.test(p)) { continue; }
    const sub = dirOf(p.slice(dir.length + 1));
    st.graph.addEdge({ from: node, to: `${p}#default#0`, prefix: folderPrefix ? sub : '', file: st.src.path, line });
  }
}

/** The router an expression stands for: a variable, an import, `x.routes()`, `require('./x')`, a call that returns one. */
function routerRef(st: FileState, a: number, b: number): string | undefined {
  const text = st.src.code.slice(a, b).trim().replace(/\s*\.\s*(?:routes|middleware)\s*\(\s*\)$/, '');
  const req = /^require\s*\(\s*['"]([^'"]+)['"]\s*\)(?:\s*\.\s*([\w$]+))?(\s*\(.*\))?$/s.exec(text);
  if (req) {
    const file = resolveJsModule(st.ctx, st.src.path, req[1]);
    return file ? `${file}#${req[2] ?? 'default'}${req[3] ? ':return' : ''}` : undefined;
  }
  const m = new RegExp(`^(${ID})(?:\\s*\\.\\s*(${ID}))?\\s*(\\(.*\\))?$`, 's').exec(text);
  if (!m) { return undefined; }
  const [, name, member, call] = m;
  const local = member ? undefined : routerIn(st, name, a);
  if (local && !call) { return local; }
  const fn = st.fns.find(f => f.name === name && !member);
  if (fn && call) { return `${fn.key}:return`; }
  const imp = st.imports.get(name);
  if (imp?.file) {
    const exported = imp.name === '*' || imp.name === 'default' && member ? member ?? 'default' : imp.name;
    return `${imp.file}#${exported}${call ? ':return' : ''}`;
  }
  return undefined;
}

/** The router parameter `index` of the function an expression names: local, imported, required, inline, `fp(...)`-wrapped. */
function functionRef(st: FileState, a: number, b: number, index: number): string | undefined {
  const text = st.src.code.slice(a, b).trim();
  const offset = a + st.src.code.slice(a, b).search(/\S/);
  const wrapped = /^(?:fp|fastifyPlugin|plugin)\s*\(/.exec(text);
  if (wrapped) {
    const inner = splitArgs(st.src.shape, offset + wrapped[0].length - 1).args[0];
    return inner ? functionRef(st, inner[0], inner[1], index) : undefined;
  }
  const inline = st.fns.find(f => f.start >= offset && f.start < b);
  if (inline && /^(?:async\b|function\b|\()/.test(text)) { return `${inline.key}#${index}`; }
  const req = /^(?:require|import)\s*\(\s*['"]([^'"]+)['"]\s*\)(?:\s*\.\s*([\w$]+))?$/.exec(text);
  if (req) {
    const file = resolveJsModule(st.ctx, st.src.path, req[1]);
    return file ? `${file}#${req[2] ?? 'default'}#${index}` : undefined;
  }
  const name = text.replace(/\s+/g, '');
  const fn = st.fns.find(f => f.name === name);
  if (fn) { return `${fn.key}#${index}`; }
  const [head, member] = name.split('.');
  const imp = st.imports.get(head);
  if (imp?.file) { return `${imp.file}#${imp.name === '*' || member ? member ?? 'default' : imp.name}#${index}`; }
  return undefined;
}

/** Calls that hand a router to a function: `routes(app)`, `require('./routes')(app, db)`, `registerUsers(router)`. */
function findRouterCalls(st: FileState): void {
  const re = new RegExp(`(?<![\\w$.])(?:(require\\s*\\(\\s*['"][^'"]+['"]\\s*\\))|(${ID}))\\s*\\(`, 'g');
  const s = st.src.shape;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    if (m[2] && /^(?:function|if|for|while|switch|return|catch|require|import|typeof|new|await|super)$/.test(m[2])) { continue; }
    if (/\bfunction\s*$|\bnew\s+$/.test(s.slice(Math.max(0, m.index - 12), m.index))) { continue; }
    const open = m.index + m[0].length - 1;
    if (st.fns.some(f => f.start <= m!.index && m!.index < f.bodyStart && f.name === m![2])) { continue; }
    const { args } = splitArgs(s, open);
    args.forEach(([a, b], i) => {
      const name = st.src.code.slice(a, b).trim();
      if (!new RegExp(`^${ID}$`).test(name)) { return; }
      const from = routerIn(st, name, a);
      if (!from) { return; }
      const to = functionRef(st, m!.index, m!.index + (m![1] ?? m![2]).length, i);
      if (to && to !== from) { st.graph.addEdge({ from, to, prefix: '', file: st.src.path, line: st.src.line(m!.index) }); }
    });
  }
}

/** `return router` inside a function, and what the file exports, become alias edges other files can reach. */
function findReturnsAndExports(st: FileState): void {
  const s = st.src.shape;
  const ret = new RegExp(`\\breturn\\s+(${ID})\\s*(?:\\.\\s*(?:routes|middleware)\\s*\\(\\s*\\))?\\s*[;}\\n]`, 'g');
  for (let m = ret.exec(s); m; m = ret.exec(s)) {
    const f = functionAt(st.fns, m.index);
    const node = f && routerIn(st, m[1], m.index);
    if (f && node) { st.graph.addEdge({ from: `${f.key}:return`, to: node, prefix: '', file: st.src.path, line: st.src.line(m.index), alias: true }); }
  }
  for (const ex of findExports(st.src)) {
    const line = st.src.line(ex.start);
    const alias = (to: string, suffix = ''): void => st.graph.addEdge({ from: `${st.src.path}#${ex.name}${suffix}`, to, prefix: '', file: st.src.path, line, alias: true });
    const fn = exportedFunction(st, ex);
    if (fn) {
      fn.params.forEach((_p, i) => alias(`${fn.key}#${i}`, `#${i}`));
      alias(`${fn.key}:return`, ':return');
      continue;
    }
    const declared = ex.declared ? st.vars.get(`${st.src.path}.${ex.name}`) : undefined;
    const ref = declared ?? routerRef(st, ex.start, ex.end);
    if (ref && ref !== `${st.src.path}#${ex.name}`) { alias(ref); }
  }
}

/** The function an export stands for: `export function f`, `export default (app) => {}`, `module.exports = fp(f)`. */
function exportedFunction(st: FileState, ex: JsExport): JsFunction | undefined {
  if (ex.local !== undefined) { return st.fns.find(f => f.name === ex.local && f.start >= ex.start - 40 && f.start <= ex.start) ?? st.fns.find(f => f.name === ex.local); }
  const inline = st.fns.find(f => f.start >= ex.start && f.start < ex.end && /^\s*(?:async\b|function\b|\()/.test(st.src.code.slice(ex.start, ex.end)));
  if (inline) { return inline; }
  const name = st.src.code.slice(ex.start, ex.end).trim().replace(/^(?:fp|fastifyPlugin)\s*\(\s*|\s*(?:,[^)]*)?\)$/g, '');
  return /^[A-Za-z_$][\w$]*$/.test(name) && !st.vars.has(`${st.src.path}.${name}`) ? st.fns.find(f => f.name === name) : undefined;
}
