/**
 * Go: net/http (`http.HandleFunc("GET /users/{id}", h)`, `mux.Handle("/api/", http.StripPrefix("/api", sub))`),
 * chi (`r.Get`, `r.Route("/x", func(r chi.Router) {...})`, `r.Group(func...)`, `r.Mount("/x", sub)`), Gin and
 * Echo (`r.GET`, `r.Group("/api")`, `Handle`, `Any`, `Match`), gorilla/mux (`HandleFunc(...).Methods(...)`,
 * `PathPrefix(...).Subrouter()`). Routers handed to functions in other packages (`users.Register(v1.Group
 * ("/users"))`, `h.Register(v1)`) are followed by the function's name and parameter position.
 */
import type { RouteGraph } from '../graph';
import { closeOf, listItems, literalAt, splitArgs, type SourceText } from '../lexer';
import type { Framework, HttpMethod } from '../types';
import { evalString, type Lookup } from '../values';
import { note, type ExtractContext } from './context';

const ROUTER_TYPE = /^\*?(?:gin\.(?:Engine|RouterGroup|IRouter|IRoutes)|echo\.(?:Echo|Group)|chi\.(?:Router|Mux)|http\.ServeMux|mux\.Router)$/;
const FACTORY = /^(?:gin\.(?:Default|New)|echo\.New|chi\.(?:NewRouter|NewMux)|http\.NewServeMux|mux\.NewRouter)\s*\(/;
const VERBS: Record<string, HttpMethod> = {
  GET: 'GET', POST: 'POST', PUT: 'PUT', PATCH: 'PATCH', DELETE: 'DELETE', HEAD: 'HEAD', OPTIONS: 'OPTIONS', Any: 'ALL',
  Get: 'GET', Post: 'POST', Put: 'PUT', Patch: 'PATCH', Delete: 'DELETE', Head: 'HEAD', Options: 'OPTIONS',
};
const CALL = /\b(\w+)\s*\.\s*(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|Any|Get|Post|Put|Patch|Delete|Head|Options|Handle|HandleFunc|Method|MethodFunc|Match|Add|Route|Group|Mount)\s*\(/g;

interface GoFunc { key: string; name?: string; recv: boolean; params: { name: string; type: string }[]; start: number; bodyStart: number; bodyEnd: number }

interface GoState {
  src: SourceText;
  ctx: ExtractContext;
  g: RouteGraph;
  pkg: string;
  aliases: Set<string>;
  fns: GoFunc[];
  vars: Map<string, string>;
  lookup: Lookup;
  framework: Framework;
}

/** Adds the file's routers, groups, routes and router-passing calls to the graph. */
export function extractGoRoutes(src: SourceText, ctx: ExtractContext): void {
  const code = src.code;
  const framework = goFramework(code) ?? projectFramework(ctx);
  const st: GoState = {
    src, ctx, g: ctx.graph, pkg: /^\s*package\s+(\w+)/m.exec(code)?.[1] ?? '', aliases: importAliases(src), fns: goFunctions(src),
    vars: new Map(), lookup: ctx.lookup(src), framework,
  };
  st.g.apps.add('go:http.DefaultServeMux');
  assignments(st);
  CALL.lastIndex = 0;
  for (let m = CALL.exec(src.shape); m; m = CALL.exec(src.shape)) {
    const node = nodeOf(st, m[1], m.index);
    if (node) { routeCall(st, node, m[2], m.index + m[0].length - 1, m.index); }
  }
  passedRouters(st);
  returns(st);
}

function goFramework(code: string): Framework | undefined {
  return /"github\.com\/gin-gonic\/gin"/.test(code) ? 'Gin' : /"github\.com\/labstack\/echo/.test(code) ? 'Echo'
    : /"github\.com\/go-chi\/chi/.test(code) ? 'chi' : /"net\/http"/.test(code) ? 'Go net/http' : undefined;
}

const frameworkCache = new WeakMap<ExtractContext, Framework>();

/** For a file that imports no router package (main.go using a helper package): the framework the project uses. */
function projectFramework(ctx: ExtractContext): Framework {
  let f = frameworkCache.get(ctx);
  if (!f) {
    const found = [...ctx.sources.values()].filter(s => s.lang === 'go').map(s => goFramework(s.code)).filter((x): x is Framework => !!x);
    f = found.find(x => x !== 'Go net/http') ?? 'Go net/http';
    frameworkCache.set(ctx, f);
  }
  return f;
}

/** Import aliases of the file (`gin`, `users`, or an explicit alias). */
function importAliases(src: SourceText): Set<string> {
  const out = new Set<string>();
  for (const m of src.code.matchAll(/^\s*(?:import\s+)?(\w+\s+)?"([^"]+)"\s*$/gm)) {
    out.add(m[1] ? m[1].trim() : m[2].split('/').filter(p => !/^v\d+$/.test(p)).pop() ?? m[2]);
  }
  return out;
}

function goFunctions(src: SourceText): GoFunc[] {
  const out: GoFunc[] = [];
  const re = /\bfunc\s*(\([^)]*\)\s*)?(\w+)?\s*(?:\[[^\]]*\])?\s*\(/g;
  for (let m = re.exec(src.shape); m; m = re.exec(src.shape)) {
    const open = m.index + m[0].length - 1;
    const close = closeOf(src.shape, open);
    if (close < 0) { continue; }
    let i = close + 1;
    while (/\s/.test(src.shape[i] ?? '')) { i++; }
    if (src.shape[i] === '(') { i = closeOf(src.shape, i) + 1; }
    // Go puts a body's brace on the signature's line: a newline first means a function type, not a function.
    const brace = src.shape.indexOf('{', i);
    if (brace < 0 || src.shape.slice(i, brace).includes('\n')) { continue; }
    const bodyEnd = closeOf(src.shape, brace);
    if (bodyEnd < 0) { continue; }
    const params: { name: string; type: string }[] = [];
    let type = '';
    const parts = splitArgs(src.shape, open).args.map(([a, b]) => src.code.slice(a, b).trim());
    for (let k = parts.length - 1; k >= 0; k--) {
      const p = /^(\w+)(?:\s+(.+))?$/.exec(parts[k]);
      if (p?.[2]) { type = p[2].trim(); }
      params[k] = { name: p?.[1] ?? '', type: p?.[2] ? p[2].trim() : type };
    }
    out.push({ key: `${src.path}#fn@${brace}`, name: m[2], recv: !!m[1], params, start: m.index, bodyStart: brace, bodyEnd });
  }
  return out;
}

const resultCache = new WeakMap<ExtractContext, Map<string, string>>();

/** The result type of every Go function in the project, by name (`New` → `*echo.Echo`). */
function resultTypes(ctx: ExtractContext): Map<string, string> {
  let out = resultCache.get(ctx);
  if (out) { return out; }
  out = new Map();
  for (const src of ctx.sources.values()) {
    if (src.lang !== 'go') { continue; }
    for (const m of src.code.matchAll(/^func\s+(?:\([^)]*\)\s*)?(\w+)\s*\([^)]*\)\s*([*\w.]+)\s*\{/gm)) { out.set(m[1], m[2]); }
  }
  resultCache.set(ctx, out);
  return out;
}

function innermost(st: GoState, offset: number): GoFunc | undefined {
  let best: GoFunc | undefined;
  for (const f of st.fns) { if (f.bodyStart < offset && offset < f.bodyEnd && (!best || f.bodyStart > best.bodyStart)) { best = f; } }
  return best;
}

/** The key other files use for a function's parameter: by package and name (methods also by name alone). */
function paramKey(st: GoState, f: GoFunc, i: number): string {
  return f.name ? `go:${f.recv ? '*' : st.pkg}.${f.name}#${i}` : `${f.key}#${i}`;
}

/** The router node an identifier stands for at `offset`: a variable in scope, a router parameter, `http`. */
function nodeOf(st: GoState, name: string, offset: number): string | undefined {
  if (name === 'http' && st.aliases.has('http')) { return 'go:http.DefaultServeMux'; }
  for (let f = innermost(st, offset); f; f = innermost(st, f.start)) {
    const v = st.vars.get(`${f.key}.${name}`);
    if (v) { return v; }
    const i = f.params.findIndex(p => p.name === name);
    if (i >= 0) {
      if (!ROUTER_TYPE.test(f.params[i].type)) { return undefined; }
      const key = paramKey(st, f, i);
      st.g.label(key, st.src.path, st.src.line(f.start), `The router parameter "${name}" of ${f.name ? `"${f.name}"` : 'a function'}`);
      return key;
    }
  }
  return st.vars.get(`${st.src.path}.${name}`);
}

/** `r := gin.Default()`, `api := r.Group("/api")`, `s := r.PathPrefix("/x").Subrouter()`, `g := r.With(mw)`. */
function assignments(st: GoState): void {
  const re = /(?:\bvar\s+)?\b(\w+)\s*(?::=|=)\s*/g;
  const s = st.src.shape;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    const at = m.index + m[0].length;
    const rest = st.src.code.slice(at, at + 300);
    const f = innermost(st, m.index);
    const key = `${f?.key ?? st.src.path}.${m[1]}`;
    const line = st.src.line(m.index);
    const made = /^(?:\w+\s*\.\s*)?(\w+)\s*\(/.exec(rest);
    if (FACTORY.test(rest) || (made && ROUTER_TYPE.test(resultTypes(st.ctx).get(made[1]) ?? ''))) {
      // A router made here, or by a project function that returns one (`r := router.New()`): an application.
      st.vars.set(key, key);
      st.g.apps.add(key);
      continue;
    }
    const sub = /^(\w+)\s*\.\s*(Group|PathPrefix|With|Route)\s*\(/.exec(rest);
    const parent = sub && nodeOf(st, sub[1], at);
    if (!sub || !parent) { continue; }
    const open = at + sub[0].length - 1;
    const arg = splitArgs(s, open).args[0];
    const prefix = sub[2] === 'With' || !arg ? undefined : evalString(st.src, arg[0], arg[1], st.lookup);
    st.vars.set(key, key);
    st.g.label(key, st.src.path, line, `The group "${m[1]}"`);
    st.g.addEdge({ from: parent, to: key, prefix: prefix?.value ?? '', file: st.src.path, line, partial: !!prefix?.unresolved.length });
  }
}

function routeCall(st: GoState, node: string, method: string, open: number, at: number): void {
  const { src, g } = st;
  const { args, close } = splitArgs(src.shape, open);
  const line = src.line(at);
  const lit = (i: number): string | undefined => (args[i] ? evalString(src, args[i][0], args[i][1], st.lookup)?.value : undefined);
  const add = (m: HttpMethod, path: string): void => g.addRoute({ node, method: m, path, file: src.path, line, framework: st.framework });
  if (method in VERBS) {
    const path = lit(0);
    if (path === undefined) { note(st.ctx, src.path, line, 'A route whose path is computed was not analysed.'); return; }
    add(VERBS[method], path);
  } else if (method === 'Handle' || method === 'HandleFunc') {
    const first = lit(0);
    if (first === undefined) { return; }
    if (args.length >= 3 && /^[A-Z]+$/.test(first)) { add(first as HttpMethod, lit(1) ?? ''); return; }
    const pattern = /^(?:([A-Z]+)\s+)?(?:[^/\s]*)(\/.*)$/.exec(first);
    if (!pattern) { return; }
    const handler = args[1] ? src.code.slice(args[1][0], args[1][1]).trim() : '';
    const child = handlerRef(st, handler, args[1]?.[0] ?? at);
    if (child && method === 'Handle') {
      g.addEdge({ from: node, to: child.node, prefix: child.strip ?? pattern[2].replace(/\/$/, ''), file: src.path, line });
      return;
    }
    // gorilla/mux: `.Methods("GET", "POST")` after the call names the methods.
    const methods = /^\s*\.\s*Methods\s*\(([^)]*)\)/.exec(src.code.slice(close + 1, close + 200));
    const list = methods ? [...methods[1].matchAll(/"(\w+)"/g)].map(x => x[1]) : [pattern[1] ?? 'ALL'];
    for (const m of list) { add(m.toUpperCase() as HttpMethod, pattern[2]); }
  } else if (method === 'Method' || method === 'MethodFunc' || method === 'Add') {
    const verb = lit(0);
    const path = lit(1);
    if (verb && path !== undefined) { add(verb.toUpperCase() as HttpMethod, path); }
  } else if (method === 'Match') {
    const path = lit(1);
    const items = args[0] ? listItems(src, args[0][0] + src.shape.slice(args[0][0], args[0][1]).indexOf('{'), args[0][1]) ?? [] : [];
    for (const [s] of items) {
      const v = literalAt(src, s)?.value ?? /\b(GET|POST|PUT|PATCH|DELETE)\b/.exec(src.code.slice(s, s + 30))?.[1];
      if (v && path !== undefined) { add(v.toUpperCase() as HttpMethod, path); }
    }
  } else if (method === 'Route' || method === 'Group' || method === 'Mount') {
    closureOrMount(st, node, method, args, line);
  }
}

/** chi's `Route(p, func(r chi.Router) {...})`, `Group(func(r chi.Router) {...})` and `Mount(p, handler)`. */
function closureOrMount(st: GoState, node: string, method: string, args: [number, number][], line: number): void {
  const { src, g } = st;
  const fnArg = args.find(([a]) => /^func\s*\(/.test(src.shape.slice(a, a + 10)));
  const prefix = method === 'Group' ? '' : args[0] ? evalString(src, args[0][0], args[0][1], st.lookup)?.value : undefined;
  if (fnArg) {
    const closure = st.fns.find(f => f.start === fnArg[0]);
    if (closure && prefix !== undefined) { g.addEdge({ from: node, to: `${closure.key}#0`, prefix, file: src.path, line }); }
    return;
  }
  if (method === 'Mount' && args[1] && prefix !== undefined) {
    const child = handlerRef(st, src.code.slice(args[1][0], args[1][1]).trim(), args[1][0]);
    if (child) { g.addEdge({ from: node, to: child.node, prefix: child.strip ?? prefix, file: src.path, line }); }
    else { note(st.ctx, src.path, line, 'A router mounted here could not be followed: its routes were not analysed.'); }
  }
}

/** A handler that is itself a router: a variable, `http.StripPrefix("/p", x)`, or a call returning one (`h.Routes()`). */
function handlerRef(st: GoState, text: string, at: number): { node: string; strip?: string } | undefined {
  const strip = /^http\.StripPrefix\s*\(\s*"([^"]*)"\s*,\s*(.+)\)$/s.exec(text);
  if (strip) {
    const inner = handlerRef(st, strip[2].trim(), at);
    return inner ? { node: inner.node, strip: strip[1] } : undefined;
  }
  if (/^\w+$/.test(text)) {
    const n = nodeOf(st, text, at);
    return n ? { node: n } : undefined;
  }
  const call = /^(?:(\w+)\s*\.\s*)?(\w+)\s*\([^()]*\)$/.exec(text);
  if (!call) { return undefined; }
  const owner = call[1] ? (st.aliases.has(call[1]) ? call[1] : '*') : st.pkg;
  return { node: `go:${owner}.${call[2]}:return` };
}

/** Calls that hand a router (or a new group of one) to a function: `users.Register(v1.Group("/users"))`, `h.Register(v1)`. */
function passedRouters(st: GoState): void {
  const { src, g } = st;
  const re = /\b(?:(\w+)\s*\.\s*)?(\w+)\s*\(/g;
  for (let m = re.exec(src.shape); m; m = re.exec(src.shape)) {
    if (m[2] === 'func' || /\bfunc\s*(?:\([^)]*\)\s*)?$/.test(src.shape.slice(Math.max(0, m.index - 60), m.index))) { continue; }
    if (m[1] && nodeOf(st, m[1], m.index)) { continue; }
    const open = m.index + m[0].length - 1;
    const { args } = splitArgs(src.shape, open);
    args.forEach(([a, b], i) => {
      const text = src.code.slice(a, b).trim();
      const group = /^(\w+)\s*\.\s*Group\s*\(/.exec(text);
      const from = group ? nodeOf(st, group[1], a) : /^\w+$/.test(text) ? nodeOf(st, text, a) : undefined;
      if (!from) { return; }
      let prefix = '';
      if (group) {
        const arg = splitArgs(src.shape, a + group[0].length - 1).args[0];
        prefix = (arg && evalString(src, arg[0], arg[1], st.lookup)?.value) ?? '';
      }
      const owner = m![1] ? (st.aliases.has(m![1]) ? m![1] : '*') : st.pkg;
      g.addEdge({ from, to: `go:${owner}.${m![2]}#${i}`, prefix, file: src.path, line: src.line(m!.index) });
    });
  }
}

/** `return r` in a function makes `pkg.F:return` (and `*.F:return` for methods) stand for that router. */
function returns(st: GoState): void {
  for (const m of st.src.shape.matchAll(/\breturn\s+(\w+)\s*$/gm)) {
    const f = innermost(st, m.index!);
    const node = f?.name ? nodeOf(st, m[1], m.index!) : undefined;
    if (f?.name && node) { st.g.addEdge({ from: `go:${f.recv ? '*' : st.pkg}.${f.name}:return`, to: node, prefix: '', file: st.src.path, line: st.src.line(m.index!), alias: true }); }
  }
}
