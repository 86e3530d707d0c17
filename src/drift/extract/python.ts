/**
 * FastAPI and Flask: apps and routers (`FastAPI()`, `APIRouter(prefix=...)`, `Flask()`, `Blueprint(...,
 * url_prefix=...)`, flask-restful `Api(app, prefix=...)`), routes by decorators (`@router.get(path)`,
 * `@bp.route(path, methods=[...])`, `@app.api_route`), `add_api_route`, `add_url_rule` and `add_resource`
 * (methods from the view class), and mounts by `include_router(r, prefix=...)`, `register_blueprint(bp,
 * url_prefix=...)` and `mount(path, app)`, across modules through imports.
 */
import { listItems, literalAt, namedArgs, splitArgs, type SourceText } from '../lexer';
import type { Framework, HttpMethod } from '../types';
import { evalString, type Lookup } from '../values';
import { note, type ExtractContext } from './context';
import { allMethods, findPyImports, pyClasses, resolvePyRef, type PyImport } from './pyShared';

const VIEW_METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'];
const VERB_DECORATORS: Record<string, HttpMethod> = { get: 'GET', post: 'POST', put: 'PUT', patch: 'PATCH', delete: 'DELETE', head: 'HEAD', options: 'OPTIONS' };

interface PyState {
  src: SourceText;
  ctx: ExtractContext;
  imports: Map<string, PyImport>;
  lookup: Lookup;
  framework: Framework;
  /** Router names of this file → node. */
  routers: Set<string>;
}

/** Adds the file's apps, routers, routes and mounts to the graph. */
export function extractPythonRoutes(src: SourceText, ctx: ExtractContext): void {
  const st: PyState = {
    src, ctx, imports: findPyImports(src, ctx), lookup: ctx.lookup(src), routers: new Set(),
    framework: /\bfastapi\b|APIRouter|include_router/.test(src.code) ? 'FastAPI' : 'Flask',
  };
  const g = ctx.graph;
  // Re-exports (`from .routes import router`) let other modules reach a router through this one.
  for (const [local, imp] of st.imports) {
    if (imp.name !== undefined && imp.file) { g.addEdge({ from: `${src.path}#${local}`, to: `${imp.file}#${imp.name}`, prefix: '', file: src.path, line: 1, alias: true }); }
  }
  const make = /^[ \t]*(\w+)\s*(?::\s*[\w.]+\s*)?=\s*(?:[\w.]*\.)?(APIRouter|FastAPI|Blueprint|Flask|Api|Namespace)\s*\(/gm;
  for (let m = make.exec(src.shape); m; m = make.exec(src.shape)) {
    const node = `${src.path}#${m[1]}`;
    const open = m.index + m[0].length - 1;
    const { args } = splitArgs(src.shape, open);
    const kw = namedArgs(src, args);
    st.routers.add(m[1]);
    g.label(node, src.path, src.line(m.index), `The ${m[2]} "${m[1]}"`);
    if (m[2] === 'FastAPI' || m[2] === 'Flask') { g.apps.add(node); }
    const own = kw.get(m[2] === 'Blueprint' ? 'url_prefix' : m[2] === 'Namespace' ? 'path' : 'prefix');
    if (own) { setOwnPrefix(st, node, own); }
    if (m[2] === 'Api' && args[0] && !kw.has(src.code.slice(args[0][0], args[0][1]).split('=')[0].trim())) {
      // flask-restful `Api(app_or_blueprint, prefix=...)`: its resources live on that app or blueprint.
      const parent = resolvePyRef(ctx, src, st.imports, src.code.slice(args[0][0], args[0][1]));
      if (parent) { g.addEdge({ from: parent, to: node, prefix: '', file: src.path, line: src.line(m.index) }); }
    }
  }
  // `def register(app):` parameters named like an app are apps: nothing else mounts them.
  for (const m of src.code.matchAll(/^[ \t]*def\s+\w+\s*\(\s*(app|application)\b/gm)) { g.apps.add(`${src.path}#${m[1]}`); }
  decoratorRoutes(st);
  calls(st);
}

function setOwnPrefix(st: PyState, node: string, [a, b]: [number, number]): void {
  const v = evalString(st.src, a, b, st.lookup);
  if (!v) { return; }
  st.ctx.graph.ownPrefix.set(node, v.value);
  if (v.unresolved.length) { note(st.ctx, st.src.path, st.src.line(a), `Part of a prefix could not be resolved (${v.unresolved.join(', ')}): compared without it.`); }
}

/** `@x.get('/p')`, `@x.route('/p', methods=[...])`, `@x.api_route('/p', methods=[...])`; on a class, its methods. */
function decoratorRoutes(st: PyState): void {
  const { src, ctx } = st;
  const re = /^[ \t]*@(\w+)\.(route|get|post|put|patch|delete|head|options|api_route)\s*\(/gm;
  for (let m = re.exec(src.shape); m; m = re.exec(src.shape)) {
    const open = m.index + m[0].length - 1;
    const { args, close } = splitArgs(src.shape, open);
    const kw = namedArgs(src, args);
    const pathArg = kw.get('path') ?? kw.get('rule') ?? args.find(a => !namedArgs(st.src, [a]).size);
    if (!pathArg) { continue; }
    const line = src.line(m.index + m[0].indexOf('@'));
    let methods: string[];
    if (m[2] in VERB_DECORATORS) {
      methods = [VERB_DECORATORS[m[2]]];
    } else if (kw.has('methods')) {
      methods = stringList(src, kw.get('methods')!);
    } else {
      // A decorated class (flask-restx `@ns.route`): the methods it defines.
      const decorated = /^(?:\s*@[^\n]*\n)*\s*class\s+(\w+)/.exec(src.code.slice(close + 1));
      methods = decorated ? classMethods(ctx, decorated[1]) : ['GET'];
    }
    addRoutes(st, `${src.path}#${m[1]}`, pathArg, methods, line);
  }
}

/** `add_api_route`, `add_url_rule`, `add_resource`, `include_router`, `register_blueprint`, `mount`, `add_namespace`. */
function calls(st: PyState): void {
  const { src, ctx } = st;
  const g = ctx.graph;
  const re = /\b(\w+)\s*\.\s*(add_api_route|add_url_rule|add_resource|include_router|register_blueprint|mount|add_namespace)\s*\(/g;
  for (let m = re.exec(src.shape); m; m = re.exec(src.shape)) {
    const node = `${src.path}#${m[1]}`;
    const open = m.index + m[0].length - 1;
    const { args } = splitArgs(src.shape, open);
    const kw = namedArgs(src, args);
    const positional = args.filter(a => !namedArgs(src, [a]).size);
    const line = src.line(m.index);
    const text = (r?: [number, number]): string => (r ? src.code.slice(r[0], r[1]).trim() : '');
    switch (m[2]) {
      case 'add_api_route': {
        const path = kw.get('path') ?? positional[0];
        if (path) { addRoutes(st, node, path, kw.has('methods') ? stringList(src, kw.get('methods')!) : ['GET'], line); }
        break;
      }
      case 'add_url_rule': {
        const path = kw.get('rule') ?? positional[0];
        const view = text(kw.get('view_func') ?? positional[2]);
        const cls = /^(\w+)\.as_view\s*\(/.exec(view);
        const methods = kw.has('methods') ? stringList(src, kw.get('methods')!) : cls ? classMethods(ctx, cls[1]) : ['GET'];
        if (path) { addRoutes(st, node, path, methods, line); }
        break;
      }
      case 'add_resource': {
        const cls = text(positional[0]);
        const methods = classMethods(ctx, cls.split('.').pop() ?? cls);
        for (const p of positional.slice(1)) { addRoutes(st, node, p, methods, line); }
        break;
      }
      default: {
        const childArg = m[2] === 'mount' ? positional[1] ?? kw.get('app') : positional[0];
        const child = childArg && resolvePyRef(ctx, src, st.imports, text(childArg));
        if (!child) {
          if (childArg) { note(ctx, src.path, line, `A router mounted here (${text(childArg).slice(0, 60)}) could not be followed: its routes may lack this prefix.`); }
          break;
        }
        const prefixArg = m[2] === 'mount' ? positional[0] ?? kw.get('path')
          : kw.get(m[2] === 'register_blueprint' ? 'url_prefix' : m[2] === 'add_namespace' ? 'path' : 'prefix');
        const prefix = prefixArg ? evalString(src, prefixArg[0], prefixArg[1], st.lookup) : undefined;
        if (prefix?.unresolved.length) { note(ctx, src.path, line, `Part of a prefix could not be resolved (${prefix.unresolved.join(', ')}): compared without it.`); }
        g.addEdge({
          from: node, to: child, prefix: prefix?.value ?? '', file: src.path, line, partial: !!prefix?.unresolved.length,
          replacesOwnPrefix: m[2] === 'register_blueprint' && !!prefixArg,
        });
      }
    }
  }
}

function addRoutes(st: PyState, node: string, [a, b]: [number, number], methods: string[], line: number): void {
  const v = evalString(st.src, a, b, st.lookup);
  if (!v || (v.value === '' && v.unresolved.length)) {
    note(st.ctx, st.src.path, line, `A route whose path is computed (${st.src.code.slice(a, b).trim().slice(0, 60)}) was not analysed.`);
    return;
  }
  if (v.unresolved.length) { note(st.ctx, st.src.path, line, `Part of a route's path could not be resolved (${v.unresolved.join(', ')}): compared without it.`); }
  const upper = methods.map(x => x.toUpperCase()).filter(x => /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)$/.test(x));
  const group = upper.includes('PUT') && upper.includes('PATCH') ? `${st.src.path}:${line}` : undefined;
  for (const method of upper) {
    st.ctx.graph.addRoute({
      node, method: method as HttpMethod, path: v.value, file: st.src.path, line, framework: st.framework,
      group: group && (method === 'PUT' || method === 'PATCH') ? group : undefined, partial: v.unresolved.length > 0,
    });
  }
}

/** A literal list or tuple of strings (`['GET', 'POST']`, `('GET',)`). */
export function stringList(src: SourceText, [a, b]: [number, number]): string[] {
  const items = listItems(src, a, b) ?? [[a, b] as [number, number]];
  return items.map(([s]) => literalAt(src, s)?.value).filter((v): v is string => v !== undefined);
}

/** The HTTP methods a view class answers: the handlers it (or a project base class) defines. */
function classMethods(ctx: ExtractContext, name: string): string[] {
  const cls = pyClasses(ctx).get(name)?.[0];
  if (!cls) { return ['GET']; }
  const found = VIEW_METHODS.filter(v => allMethods(ctx, cls).methods.has(v)).map(v => v.toUpperCase());
  return found.length ? found : ['GET'];
}
