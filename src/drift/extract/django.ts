/**
 * Django and Django REST framework: `urlpatterns` entries (`path()`, `re_path()`, `url()`) with `include()`
 * of other URLconfs, DRF routers (`router.register('articles', ArticleViewSet)` with `include(router.urls)`),
 * and the methods each view answers: a class's handlers or generic base (`ListCreateAPIView` → GET, POST),
 * a viewset's actions (`ModelViewSet`, mixins, `@action`), a function's `@api_view([...])`. Each URLconf is a
 * node of the route graph; `include()` is an edge; the root URLconf (settings `ROOT_URLCONF`) is the app.
 */
import { closeOf, literalAt, splitArgs, type SourceText } from '../lexer';
import { joinPaths, toOpenApiPath } from '../paths';
import type { HttpMethod } from '../types';
import { note, type ExtractContext } from './context';
import { allMethods, findPyImports, pyClasses, resolvePyModule, type PyImport } from './pyShared';
import { stringList } from './python';

const GENERIC: Record<string, HttpMethod[]> = {
  ListAPIView: ['GET'], CreateAPIView: ['POST'], RetrieveAPIView: ['GET'], DestroyAPIView: ['DELETE'], UpdateAPIView: ['PUT', 'PATCH'],
  ListCreateAPIView: ['GET', 'POST'], RetrieveUpdateAPIView: ['GET', 'PUT', 'PATCH'], RetrieveDestroyAPIView: ['GET', 'DELETE'],
  RetrieveUpdateDestroyAPIView: ['GET', 'PUT', 'PATCH', 'DELETE'],
  TemplateView: ['GET'], ListView: ['GET'], DetailView: ['GET'], RedirectView: ['GET'], FormView: ['GET', 'POST'],
  CreateView: ['GET', 'POST'], UpdateView: ['GET', 'POST'], DeleteView: ['GET', 'POST'],
};
const HANDLERS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'];
/** Viewset actions: which mixin brings each, and where it answers. */
const ACTIONS: { action: string; method: HttpMethod; detail: boolean; mixin: string }[] = [
  { action: 'list', method: 'GET', detail: false, mixin: 'ListModelMixin' },
  { action: 'create', method: 'POST', detail: false, mixin: 'CreateModelMixin' },
  { action: 'retrieve', method: 'GET', detail: true, mixin: 'RetrieveModelMixin' },
  { action: 'update', method: 'PUT', detail: true, mixin: 'UpdateModelMixin' },
  { action: 'partial_update', method: 'PATCH', detail: true, mixin: 'UpdateModelMixin' },
  { action: 'destroy', method: 'DELETE', detail: true, mixin: 'DestroyModelMixin' },
];
const ALL_MIXINS = new Set(['ModelViewSet']);
const READ_ONLY = new Set(['ReadOnlyModelViewSet']);

/** The node of a URLconf module's patterns. */
const confNode = (file: string): string => `${file}#urlpatterns`;

/** Adds the file's URL patterns and DRF router registrations. */
export function extractDjangoRoutes(src: SourceText, ctx: ExtractContext): void {
  const imports = findPyImports(src, ctx);
  const routers = registerRouters(src, ctx);
  markRoot(src, ctx);
  const re = /\b(path|re_path|url)\s*\(/g;
  for (let m = re.exec(src.shape); m; m = re.exec(src.shape)) {
    if (/[.\w]$/.test(src.shape.slice(Math.max(0, m.index - 1), m.index))) { continue; }
    const open = m.index + m[0].length - 1;
    const { args } = splitArgs(src.shape, open);
    const lit = args[0] && literalAt(src, args[0][0]);
    if (!lit || !args[1]) { continue; }
    const line = src.line(m.index);
    const prefix = toOpenApiPath(lit.value, { regex: m[1] !== 'path' });
    if (prefix === undefined) { note(ctx, src.path, line, `The URL pattern ${lit.value} is a regular expression that matches more than one path: not analysed.`); continue; }
    const target = src.code.slice(args[1][0], args[1][1]).trim();
    if (/^[\w.]+\.urls$/.test(target)) {
      note(ctx, src.path, line, `The URLconf ${target} is not part of the workspace: its routes were not analysed.`);
      continue;
    }
    const inc = /^include\s*\(/.exec(target);
    if (inc) {
      include(src, ctx, imports, routers, args[1][0] + inc[0].length - 1, prefix, line);
      continue;
    }
    const methods = viewMethods(ctx, imports, target);
    if (!methods) { note(ctx, src.path, line, `The view ${target.slice(0, 60)} could not be found: its methods were not analysed.`); }
    addRoutes(ctx, src, confNode(src.path), prefix, methods ?? ['ALL'], line);
  }
}

function addRoutes(ctx: ExtractContext, src: SourceText, node: string, path: string, methods: HttpMethod[], line: number): void {
  const group = methods.includes('PUT') && methods.includes('PATCH') ? `${src.path}:${line}:${path}` : undefined;
  for (const method of methods) {
    ctx.graph.addRoute({ node, method, path, file: src.path, line, framework: 'Django', group: group && (method === 'PUT' || method === 'PATCH') ? group : undefined });
  }
}

/** The root URLconf (from settings' `ROOT_URLCONF`, else a `urls.py` beside `settings.py` or `wsgi.py`) is the app. */
function markRoot(src: SourceText, ctx: ExtractContext): void {
  for (const s of ctx.sources.values()) {
    if (s.lang !== 'python') { continue; }
    const m = /^ROOT_URLCONF\s*=\s*/m.exec(s.code);
    const lit = m && literalAt(s, m.index + m[0].length);
    if (lit) {
      if (resolvePyModule(ctx, lit.value) === src.path) { ctx.graph.apps.add(confNode(src.path)); }
      return;
    }
  }
  const dir = src.path.slice(0, src.path.lastIndexOf('/') + 1);
  if (/(^|\/)urls\.py$/.test(src.path) && (ctx.exists(`${dir}settings.py`) || ctx.exists(`${dir}wsgi.py`) || ctx.exists(`${dir}asgi.py`))) {
    ctx.graph.apps.add(confNode(src.path));
  }
}

/** `include('app.urls')`, `include(router.urls)`, `include((patterns, 'ns'))`, `include(views.urlpatterns)`. */
function include(src: SourceText, ctx: ExtractContext, imports: Map<string, PyImport>, routers: Map<string, string>, open: number, prefix: string, line: number): void {
  const arg = splitArgs(src.shape, open).args[0];
  if (!arg) { return; }
  let text = src.code.slice(arg[0], arg[1]).trim();
  const tuple = /^\(\s*([^,]+),/.exec(text);
  if (tuple) { text = tuple[1].trim(); }
  const lit = /^['"]/.test(text) ? literalAt(src, arg[0] + src.code.slice(arg[0], arg[1]).indexOf(text)) : undefined;
  let child: string | undefined;
  if (lit) {
    const file = resolvePyModule(ctx, lit.value);
    child = file ? confNode(file) : undefined;
  } else {
    const m = /^(\w+)\.(urls|urlpatterns)$/.exec(text);
    if (m && routers.has(m[1])) { child = routers.get(m[1]); }
    else if (m) {
      const imp = imports.get(m[1]);
      child = imp?.file && !imp.name ? confNode(imp.file) : undefined;
    }
  }
  if (!child) {
    note(ctx, src.path, line, `The URLconf included here (${text.slice(0, 60)}) could not be followed: its routes were not analysed.`);
    return;
  }
  ctx.graph.addEdge({ from: confNode(src.path), to: child, prefix, file: src.path, line });
}

/** DRF routers in the file: `router = DefaultRouter()` and each `router.register(prefix, ViewSet)`. */
function registerRouters(src: SourceText, ctx: ExtractContext): Map<string, string> {
  const out = new Map<string, string>();
  const make = /^[ \t]*(\w+)\s*=\s*(?:[\w.]*\.)?(DefaultRouter|SimpleRouter|ExtendedSimpleRouter|\w*Router)\s*\(/gm;
  for (let m = make.exec(src.shape); m; m = make.exec(src.shape)) {
    const node = `${src.path}#${m[1]}`;
    out.set(m[1], node);
    if (m[2] === 'DefaultRouter') {
      // DefaultRouter serves an API root view listing the registered viewsets.
      ctx.graph.addRoute({ node, method: 'GET', path: '', file: src.path, line: src.line(m.index), framework: 'Django' });
    }
  }
  for (const [name, node] of out) {
    const reg = new RegExp(`\\b${name}\\s*\\.\\s*register\\s*\\(`, 'g');
    for (let m = reg.exec(src.shape); m; m = reg.exec(src.shape)) {
      const { args } = splitArgs(src.shape, m.index + m[0].length - 1);
      const prefix = args[0] && literalAt(src, args[0][0]);
      const viewset = args[1] && src.code.slice(args[1][0], args[1][1]).trim();
      if (!prefix || !viewset) { continue; }
      const path = toOpenApiPath(prefix.value, { regex: /[\^$\\(]/.test(prefix.value) }) ?? prefix.value;
      viewsetRoutes(ctx, src, node, path, viewset.split('.').pop() ?? viewset, src.line(m.index));
    }
  }
  return out;
}

/** A viewset's routes: list/create on the collection, retrieve/update/destroy on `{lookup}`, and its `@action`s. */
function viewsetRoutes(ctx: ExtractContext, src: SourceText, node: string, prefix: string, name: string, line: number): void {
  const cls = pyClasses(ctx).get(name)?.[0];
  if (!cls) { note(ctx, src.path, line, `The viewset ${name} could not be found: its routes were not analysed.`); return; }
  const { methods, bases, attrs } = allMethods(ctx, cls);
  const all = [...bases].some(b => ALL_MIXINS.has(b));
  const readOnly = [...bases].some(b => READ_ONLY.has(b));
  const lookup = `{${attrs.get('lookup_url_kwarg') ?? attrs.get('lookup_field') ?? 'pk'}}`;
  for (const a of ACTIONS) {
    const has = all || (readOnly && (a.action === 'list' || a.action === 'retrieve')) || bases.has(a.mixin) || methods.has(a.action);
    if (!has) { continue; }
    const group = a.method === 'PUT' || a.method === 'PATCH' ? `${src.path}:${line}:${name}` : undefined;
    ctx.graph.addRoute({ node, method: a.method, path: joinPaths(prefix, a.detail ? lookup : ''), file: src.path, line, framework: 'Django', group });
  }
  for (const act of cls.actions) {
    const path = joinPaths(prefix, act.detail ? lookup : '', act.urlPath ?? act.name);
    for (const m of act.methods) {
      ctx.graph.addRoute({ node, method: m.toUpperCase() as HttpMethod, path, file: src.path, line, framework: 'Django' });
    }
  }
}

/** The methods a view expression answers (`Cls.as_view()`, `views.fn`, `fn`); undefined when the view is not found. */
function viewMethods(ctx: ExtractContext, imports: Map<string, PyImport>, target: string): HttpMethod[] | undefined {
  const view = target.split(',')[0].trim();
  const cls = /^([\w.]+)\.as_view\s*\(/.exec(view);
  if (cls) {
    const name = cls[1].split('.').pop()!;
    const c = pyClasses(ctx).get(name)?.[0];
    if (!c) { return undefined; }
    const { methods, bases } = allMethods(ctx, c);
    const found = new Set<HttpMethod>(HANDLERS.filter(h => methods.has(h)).map(h => h.toUpperCase() as HttpMethod));
    for (const b of bases) { for (const m of GENERIC[b] ?? []) { found.add(m); } }
    return found.size ? [...found] : ['GET'];
  }
  const fn = /^([\w.]+)$/.exec(view);
  if (!fn) { return undefined; }
  const parts = fn[1].split('.');
  const name = parts.pop()!;
  // `views.item_detail`: the imported module's file; a bare `item_detail`: wherever it is defined.
  const file = imports.get(parts[0] ?? name)?.file;
  for (const s of ctx.sources.values()) {
    if (s.lang !== 'python' || (file && s.path !== file)) { continue; }
    const def = new RegExp(`((?:^[ \\t]*@[^\\n]*\\n)*)^[ \\t]*(?:async\\s+)?def\\s+${name}\\s*\\(`, 'm').exec(s.code);
    if (!def) { continue; }
    const api = /@(?:api_view|require_http_methods)\s*\(/.exec(def[1]);
    if (api) {
      const open = def.index + api.index + api[0].length - 1;
      if (closeOf(s.shape, open) < 0) { return ['ALL']; }
      const arg = splitArgs(s.shape, open).args[0];
      const list = arg ? stringList(s, arg).map(x => x.toUpperCase() as HttpMethod) : [];
      return list.length ? list : ['GET'];
    }
    if (/@require_GET\b|@require_safe\b/.test(def[1])) { return ['GET']; }
    if (/@require_POST\b/.test(def[1])) { return ['POST']; }
    return ['ALL'];
  }
  return undefined;
}
