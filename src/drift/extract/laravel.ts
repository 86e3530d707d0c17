/**
 * Laravel route files: `Route::get/post/put/patch/delete/options/any/match/view/redirect`, `resource`,
 * `apiResource`, `resources`, `apiResources` (with `only`/`except`, nested `photos.comments`), groups by
 * `Route::prefix('x')->group(fn)` or `Route::group(['prefix' => 'x'], fn)`, files `require`d from route
 * files, and the prefix each file gets from `RouteServiceProvider` or `bootstrap/app.php` (`api` by default
 * for routes/api.php, as Laravel does). Lumen's `$router->get(...)` is read the same way.
 */
import { listItems, literalAt, namedArgs, splitArgs, type SourceText } from '../lexer';
import { joinPaths } from '../paths';
import type { HttpMethod } from '../types';
import { evalString } from '../values';
import { dirOf, joinFile, note, type ExtractContext } from './context';
import { singular } from './rails';

interface Link { name: string; args: [number, number][]; at: number }

const VERBS: Record<string, HttpMethod> = { get: 'GET', post: 'POST', put: 'PUT', patch: 'PATCH', delete: 'DELETE', options: 'OPTIONS', any: 'ALL', view: 'GET', redirect: 'ALL', permanentRedirect: 'ALL' };
const RESOURCE_ACTIONS: { action: string; method: HttpMethod; path: (p: string) => string; api: boolean }[] = [
  { action: 'index', method: 'GET', path: () => '', api: true },
  { action: 'create', method: 'GET', path: () => 'create', api: false },
  { action: 'store', method: 'POST', path: () => '', api: true },
  { action: 'show', method: 'GET', path: p => p, api: true },
  { action: 'edit', method: 'GET', path: p => `${p}/edit`, api: false },
  { action: 'update', method: 'PUT', path: p => p, api: true },
  { action: 'update', method: 'PATCH', path: p => p, api: true },
  { action: 'destroy', method: 'DELETE', path: p => p, api: true },
];

const visited = new WeakMap<ExtractContext, Set<string>>();

/** Adds the routes of a route file, with the prefix its provider gives it. Provider files only point to route files. */
export function extractLaravelRoutes(src: SourceText, ctx: ExtractContext): void {
  if (!/(^|\/)routes\/[^/]+\.php$/.test(src.path)) { return; }
  let seen = visited.get(ctx);
  if (!seen) { seen = new Set(); visited.set(ctx, seen); }
  // A file `require`d from another route file is read from there, with that file's prefix.
  if (seen.has(src.path) || requiredElsewhere(src, ctx)) { return; }
  seen.add(src.path);
  run(src, ctx, 0, src.shape.length, filePrefix(src, ctx), seen);
}

/** The prefix the application gives a route file: from RouteServiceProvider or bootstrap/app.php, else Laravel's default. */
function filePrefix(src: SourceText, ctx: ExtractContext): string {
  const name = src.path.slice(src.path.lastIndexOf('/') + 1);
  for (const s of ctx.sources.values()) {
    if (!/(RouteServiceProvider|bootstrap\/app)\.php$/.test(s.path)) { continue; }
    // `Route::prefix('api')->middleware('api')->group(base_path('routes/api.php'))`
    for (const m of s.code.matchAll(/Route::([\s\S]*?)->group\s*\(\s*(?:base_path\s*\(\s*)?[^;]*?['"][^'"]*?([\w-]+\.php)['"]/g)) {
      if (m[2] !== name) { continue; }
      const p = /prefix\s*\(\s*['"]([^'"]*)['"]/.exec(m[1]);
      return p ? p[1] : '';
    }
    // Laravel 11: `->withRouting(api: __DIR__.'/../routes/api.php', apiPrefix: 'api/v1')`
    const routing = /withRouting\s*\(([\s\S]*?)\)\s*->/.exec(s.code);
    const named = routing && new RegExp(`(\\w+)\\s*:\\s*__DIR__\\s*\\.\\s*['"][^'"]*${name.replace('.', '\\.')}['"]`).exec(routing[1]);
    if (routing && named) {
      const prefix = new RegExp(`${named[1]}Prefix\\s*:\\s*['"]([^'"]*)['"]`).exec(routing[1]);
      return prefix ? prefix[1] : named[1] === 'api' ? 'api' : '';
    }
  }
  return name === 'api.php' ? 'api' : '';
}

function requiredElsewhere(src: SourceText, ctx: ExtractContext): boolean {
  const name = src.path.slice(src.path.lastIndexOf('/') + 1);
  return [...ctx.sources.values()].some(s => s !== src && /(^|\/)routes\/[^/]+\.php$/.test(s.path)
    && new RegExp(`\\b(?:require|include)(?:_once)?\\s*\\(?\\s*__DIR__\\s*\\.\\s*['"]/${name.replace('.', '\\.')}['"]`).test(s.code));
}

/** Reads the route chains in [start, end) with `prefix`, descending into group closures and required files. */
function run(src: SourceText, ctx: ExtractContext, start: number, end: number, prefix: string, seen: Set<string>): void {
  const re = /(?:\bRoute::|\$(?:router|route)\s*->\s*)(\w+)\s*\(|\b(?:require|include)(?:_once)?\s*\(?\s*__DIR__\s*\.\s*(?=['"])/g;
  re.lastIndex = start;
  for (let m = re.exec(src.shape); m && m.index < end; m = re.exec(src.shape)) {
    if (!m[1]) {
      const lit = literalAt(src, m.index + m[0].length);
      const file = lit && joinFile(dirOf(src.path), lit.value);
      const other = file ? ctx.sources.get(file) : undefined;
      if (other && !seen.has(other.path)) { seen.add(other.path); run(other, ctx, 0, other.shape.length, prefix, seen); }
      continue;
    }
    const { links, end: close } = chain(src, m.index + m[0].length - 1, m[1], m.index);
    chainRoutes(src, ctx, links, prefix, seen);
    re.lastIndex = Math.max(close, m.index + m[0].length);
  }
}

/** `Route::a(...)->b(...)->c(...)` as links, and the offset of the chain's last parenthesis. */
function chain(src: SourceText, open: number, first: string, at: number): { links: Link[]; end: number } {
  const links: Link[] = [];
  let name = first;
  let o = open;
  for (;;) {
    const { args, close } = splitArgs(src.shape, o);
    links.push({ name, args, at });
    if (close < 0) { return { links, end: src.shape.length }; }
    const next = /^\s*->\s*(\w+)\s*\(/.exec(src.shape.slice(close + 1, close + 200));
    if (!next) { return { links, end: close }; }
    name = next[1];
    o = close + next[0].length;
    at = close + 1;
  }
}

function chainRoutes(src: SourceText, ctx: ExtractContext, links: Link[], prefix: string, seen: Set<string>): void {
  const line = src.line(links[0].at);
  let here = prefix;
  const text = (r?: [number, number]): string | undefined => (r ? evalString(src, r[0], r[1], ctx.lookup(src))?.value : undefined);
  for (const l of links) {
    if (l.name === 'prefix') { here = joinPaths(here, text(l.args[0]) ?? ''); }
    if (l.name === 'group') {
      const attrs = l.args.length > 1 && src.shape[l.args[0][0]] === '[' ? namedArgs(src, listItems(src, l.args[0][0], l.args[0][1]) ?? []) : undefined;
      const p = attrs?.get('prefix');
      const inner = joinPaths(here, (p && text(p)) ?? '');
      const body = l.args[l.args.length - 1];
      const brace = src.shape.indexOf('{', body[0]);
      const arrow = /^(?:static\s+)?fn\s*\([^)]*\)\s*=>/.exec(src.shape.slice(body[0], body[1]));
      if (arrow) { run(src, ctx, body[0] + arrow[0].length, body[1], inner, seen); } else if (brace >= 0 && brace < body[1]) { run(src, ctx, brace, body[1], inner, seen); }
      return;
    }
  }
  for (const l of links) {
    if (l.name in VERBS && l.args[0]) {
      const path = text(l.args[0]);
      if (path === undefined) { note(ctx, src.path, line, 'A route whose path is computed was not analysed.'); continue; }
      ctx.routes.push({ method: VERBS[l.name], path: joinPaths(here, path), file: src.path, line, framework: 'Laravel' });
    } else if (l.name === 'match' && l.args[1]) {
      const path = text(l.args[1]) ?? '';
      const methods = (listItems(src, l.args[0][0], l.args[0][1]) ?? []).map(([s]) => literalAt(src, s)?.value.toUpperCase()).filter((x): x is string => !!x);
      const group = methods.includes('PUT') && methods.includes('PATCH') ? `${src.path}:${line}` : undefined;
      for (const method of methods) {
        ctx.routes.push({ method: method as HttpMethod, path: joinPaths(here, path), file: src.path, line, framework: 'Laravel', ...(group && (method === 'PUT' || method === 'PATCH') ? { group } : {}) });
      }
    } else if (/^(?:api)?[Rr]esources?$/.test(l.name)) {
      resources(src, ctx, links, l, here, line);
    }
  }
}

/** `resource('photos', C::class, ['only' => [...]])->except([...])`, `resources(['a' => A::class])`, api variants. */
function resources(src: SourceText, ctx: ExtractContext, links: Link[], l: Link, prefix: string, line: number): void {
  const api = l.name.startsWith('api');
  const names: string[] = [];
  if (/s$/.test(l.name)) {
    for (const [s, e] of listItems(src, l.args[0][0], l.args[0][1]) ?? []) {
      const key = /^\s*(['"])(.*?)\1\s*=>/.exec(src.code.slice(s, e));
      if (key) { names.push(key[2]); }
    }
  } else {
    const n = literalAt(src, l.args[0][0])?.value;
    if (n) { names.push(n); }
  }
  const pick = (key: string): string[] | undefined => {
    const link = links.find(x => x.name === key);
    const opts = l.args[2] ? namedArgs(src, listItems(src, l.args[2][0], l.args[2][1]) ?? []).get(key) : undefined;
    const r = link?.args[0] ?? opts;
    return r ? (listItems(src, r[0], r[1]) ?? [r]).map(([s]) => literalAt(src, s)?.value).filter((x): x is string => !!x) : undefined;
  };
  const only = pick('only');
  const except = pick('except') ?? [];
  for (const name of names) {
    const parts = name.split('.');
    let base = prefix;
    parts.forEach((p, i) => {
      base = joinPaths(base, p);
      if (i < parts.length - 1) { base = joinPaths(base, `{${singular(p).replace(/-/g, '_')}}`); }
    });
    const last = parts[parts.length - 1].split('/').pop() ?? '';
    const param = `{${singular(last).replace(/-/g, '_')}}`;
    const group = `${src.path}:${line}:${name}`;
    for (const a of RESOURCE_ACTIONS) {
      if ((api && !a.api) || (only && !only.includes(a.action)) || except.includes(a.action)) { continue; }
      ctx.routes.push({ method: a.method, path: joinPaths(base, a.path(param)), file: src.path, line, framework: 'Laravel', ...(a.action === 'update' ? { group } : {}) });
    }
  }
}
