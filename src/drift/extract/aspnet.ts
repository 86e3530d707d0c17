/**
 * ASP.NET Core: attribute routing on controllers (`[Route("api/[controller]")]` on the class, `[HttpGet("{id}")]`,
 * `[Route]`, `[AcceptVerbs]` on actions, `~/` and `/` templates that ignore the class's, `[controller]`,
 * `[action]` and `[area]` tokens), minimal APIs (`app.MapGet("/x", ...)`, `MapGroup("/api")`, extension
 * methods on `IEndpointRouteBuilder`/`RouteGroupBuilder` called on a group) and `app.UsePathBase("/api")`.
 */
import { closeOf, listItems, literalAt, namedArgs, openOf, splitArgs, type SourceText } from '../lexer';
import { joinPaths } from '../paths';
import type { HttpMethod } from '../types';
import { evalString, type Lookup } from '../values';
import { note, type ExtractContext } from './context';

const VERB: Record<string, HttpMethod> = { Get: 'GET', Post: 'POST', Put: 'PUT', Patch: 'PATCH', Delete: 'DELETE', Head: 'HEAD', Options: 'OPTIONS' };

const basePathCache = new WeakMap<ExtractContext, string>();

/** `app.UsePathBase("/api")` anywhere in the project: a prefix for every route. */
function pathBase(ctx: ExtractContext): string {
  const cached = basePathCache.get(ctx);
  if (cached !== undefined) { return cached; }
  let base = '';
  for (const src of ctx.sources.values()) {
    const m = src.lang === 'csharp' ? /\.UsePathBase\s*\(/.exec(src.shape) : null;
    const arg = m ? splitArgs(src.shape, m.index + m[0].length - 1).args[0] : undefined;
    const v = arg && evalString(src, arg[0], arg[1], ctx.lookup(src));
    if (v) { base = v.value; break; }
  }
  basePathCache.set(ctx, base);
  return base;
}

/** Adds the file's controller actions and minimal-API endpoints. */
export function extractAspNetRoutes(src: SourceText, ctx: ExtractContext): void {
  controllers(src, ctx);
  minimalApis(src, ctx);
}

interface Attr { name: string; args: [number, number][]; at: number }

/** The attributes in the `[...]` lists that end right before `end` (where a declaration's modifiers start). */
function attributesBefore(src: SourceText, end: number): Attr[] {
  const out: Attr[] = [];
  for (let i = end; ;) {
    let k = i - 1;
    while (k >= 0 && /\s/.test(src.shape[k])) { k--; }
    if (src.shape[k] !== ']') { break; }
    const open = openOf(src.shape, k);
    if (open < 0) { break; }
    for (const [a, b] of splitArgs(src.shape, open).args) {
      const n = /^(\w+?)(?:Attribute)?(?=\s*\(|\s*$)\s*(\()?/.exec(src.shape.slice(a, b));
      if (n) { out.push({ name: n[1], args: n[2] ? splitArgs(src.shape, a + n[0].length - 1).args : [], at: a }); }
    }
    i = open;
  }
  return out;
}

function controllers(src: SourceText, ctx: ExtractContext): void {
  const lookup = ctx.lookup(src);
  const base = pathBase(ctx);
  const classes = [...src.shape.matchAll(/\bclass\s+(\w+)/g)].map(m => ({ name: m[1], at: m.index!, attrs: attributesBefore(src, declarationStart(src.shape, m.index!)) }));
  const methodRe = /\b(\w+)\s*(?:<[^>()]*>)?\s*\(/g;
  for (let m = methodRe.exec(src.shape); m; m = methodRe.exec(src.shape)) {
    const close = closeOf(src.shape, m.index + m[0].length - 1);
    if (close < 0 || !/^\s*(?:\{|=>|where\b)/.test(src.shape.slice(close + 1, close + 20))) { continue; }
    // A primary constructor (`class UsersController(IMediator m)`) is not an action.
    if (/\b(?:class|record|struct|interface)\s+$/.test(src.shape.slice(Math.max(0, m.index - 20), m.index))) { continue; }
    const attrs = attributesBefore(src, declarationStart(src.shape, m.index));
    const routeAttrs = attrs.filter(a => /^(?:Http(Get|Post|Put|Patch|Delete|Head|Options)|Route|AcceptVerbs)$/.test(a.name));
    if (routeAttrs.length === 0) { continue; }
    const cls = [...classes].reverse().find(c => c.at < m!.index);
    const controller = cls?.name.replace(/Controller$/, '') ?? '';
    const area = cls?.attrs.find(a => a.name === 'Area');
    const tokens = (t: string): string => t.replace(/\[controller\]/gi, controller).replace(/\[action\]/gi, m![1].replace(/Async$/, ''))
      .replace(/\[area\]/gi, area?.args[0] ? literalAt(src, area.args[0][0])?.value ?? '' : '');
    const classRoutes = cls ? cls.attrs.filter(a => a.name === 'Route').map(a => template(src, a, lookup)) : [];
    const methodRoutes = routeAttrs.filter(a => a.name === 'Route').map(a => template(src, a, lookup));
    const verbs: { method: HttpMethod; template?: string }[] = [];
    for (const a of routeAttrs) {
      const v = /^Http(\w+)$/.exec(a.name);
      if (v) { verbs.push({ method: VERB[v[1]], template: template(src, a, lookup) }); }
      if (a.name === 'AcceptVerbs') {
        for (const [s] of a.args.filter(x => namedArgs(src, [x]).size === 0)) {
          const lit = literalAt(src, s);
          if (lit && VERB[lit.value[0] + lit.value.slice(1).toLowerCase()]) { verbs.push({ method: VERB[lit.value[0] + lit.value.slice(1).toLowerCase()], template: namedTemplate(src, a) }); }
        }
      }
    }
    if (verbs.length === 0) { verbs.push({ method: 'ALL' }); }
    const line = src.line(routeAttrs[0].at);
    for (const v of verbs) {
      const own = v.template !== undefined ? [v.template] : methodRoutes.length ? methodRoutes : [undefined];
      for (const t of own) {
        const absolute = t !== undefined && /^~?\//.test(t);
        const prefixes = absolute ? [''] : classRoutes.length ? classRoutes : [''];
        for (const p of prefixes) {
          const path = tokens(joinPaths(p ?? '', (t ?? '').replace(/^~/, '')));
          ctx.routes.push({ method: v.method, path: joinPaths(base, path), file: src.path, line, framework: 'ASP.NET Core' });
        }
      }
    }
  }
}

/** Where a method declaration starts: back over its modifiers and return type, to the end of the attributes. */
function declarationStart(shape: string, nameAt: number): number {
  const before = shape.slice(Math.max(0, nameAt - 300), nameAt);
  const m = /(?:(?:public|private|protected|internal|static|async|virtual|override|sealed|abstract|partial|new)\s+|[\w.<>,?]+(?:\[\])?\s+)*$/.exec(before);
  return nameAt - (m ? m[0].length : 0);
}

function template(src: SourceText, a: Attr, lookup: Lookup): string | undefined {
  const positional = a.args.find(x => namedArgs(src, [x]).size === 0);
  const arg = positional ?? namedArgs(src, a.args).get('template');
  if (!arg) { return undefined; }
  return evalString(src, arg[0], arg[1], lookup)?.value;
}

function namedTemplate(src: SourceText, a: Attr): string | undefined {
  const r = namedArgs(src, a.args).get('Route');
  return r ? literalAt(src, r[0])?.value : undefined;
}

/** Minimal APIs: `X.MapGet("/p", ...)`, `MapMethods`, `MapGroup`, and extension methods that map on a builder. */
function minimalApis(src: SourceText, ctx: ExtractContext): void {
  const g = ctx.graph;
  const lookup = ctx.lookup(src);
  const exts = [...src.shape.matchAll(/\bstatic\s+[\w.<>?]+\s+(\w+)\s*\(\s*this\s+[\w.<>?]+\s+(\w+)[^)]*\)\s*\{/g)].map(m => {
    const open = m.index! + m[0].length - 1;
    return { name: m[1], param: m[2], start: open, end: open + (splitArgs(src.shape, open).close - open) };
  });
  const nodeOf = (name: string, at: number): string => {
    const ext = exts.find(e => e.start < at && at < e.end && e.param === name);
    return ext ? `cs:${ext.name}#this` : `${src.path}#${name}`;
  };
  for (const m of src.shape.matchAll(/\b(?:var|WebApplication)\s+(\w+)\s*=\s*\w+\s*\.\s*Build\s*\(/g)) {
    g.apps.add(`${src.path}#${m[1]}`);
    g.ownPrefix.set(`${src.path}#${m[1]}`, pathBase(ctx));
  }
  const calls = /\b(\w+)\s*\.\s*(Map(?:Get|Post|Put|Patch|Delete|Methods|Group)|Map\w+)\s*\(/g;
  for (let m = calls.exec(src.shape); m; m = calls.exec(src.shape)) {
    const from = nodeOf(m[1], m.index);
    const open = m.index + m[0].length - 1;
    const { args } = splitArgs(src.shape, open);
    const line = src.line(m.index);
    const verb = /^Map(Get|Post|Put|Patch|Delete)$/.exec(m[2]);
    const path = args[0] ? evalString(src, args[0][0], args[0][1], lookup) : undefined;
    if (verb || m[2] === 'MapMethods') {
      if (!path) { note(ctx, src.path, line, 'An endpoint whose pattern is computed was not analysed.'); continue; }
      const methods = verb ? [VERB[verb[1]]] : (args[1] ? (listItems(src, args[1][0], args[1][1]) ?? []) : [])
        .map(([s]) => literalAt(src, s)?.value.toUpperCase()).filter((x): x is string => !!x && /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)$/.test(x)) as HttpMethod[];
      for (const method of methods) { g.addRoute({ node: from, method, path: path.value, file: src.path, line, framework: 'ASP.NET Core' }); }
    } else if (m[2] === 'MapGroup') {
      const assigned = /(?:var\s+)?(\w+)\s*=\s*$/.exec(src.shape.slice(Math.max(0, m.index - 80), m.index));
      if (assigned && path) { g.addEdge({ from, to: nodeOf(assigned[1], m.index), prefix: path.value, file: src.path, line }); }
    } else if (!/^Map(?:Controllers|ControllerRoute|DefaultControllerRoute|Fallback\w*|Hub|HealthChecks|RazorPages|Static\w*|OpenApi|Swagger\w*)$/.test(m[2])) {
      g.addEdge({ from, to: `cs:${m[2]}#this`, prefix: '', file: src.path, line });
    }
  }
}
