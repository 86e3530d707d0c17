/**
 * NestJS: `@Controller('articles')` (or `{ path }`) on a class, `@Get(':slug')` (Post, Put, Patch, Delete,
 * Head, Options, All) on its methods, and the global prefix `app.setGlobalPrefix('api')` wherever the
 * bootstrap file sets it. Versioning and `RouterModule` paths are reported as not analysed.
 */
import { closeOf, listItems, literalAt, namedArgs, splitArgs, type SourceText } from '../lexer';
import { joinPaths } from '../paths';
import type { HttpMethod } from '../types';
import { evalString } from '../values';
import { note, type ExtractContext } from './context';

const VERBS: Record<string, HttpMethod> = { Get: 'GET', Post: 'POST', Put: 'PUT', Patch: 'PATCH', Delete: 'DELETE', Head: 'HEAD', Options: 'OPTIONS', All: 'ALL' };

/** Nest's global prefix for the project, found once in whichever file sets it. */
function globalPrefix(ctx: ExtractContext): string {
  for (const src of ctx.sources.values()) {
    if (src.lang !== 'js') { continue; }
    const m = /\.\s*setGlobalPrefix\s*\(/.exec(src.shape);
    if (!m) { continue; }
    const arg = splitArgs(src.shape, m.index + m[0].length - 1).args;
    const v = arg[0] && evalString(src, arg[0][0], arg[0][1], ctx.lookup(src));
    if (arg[1]) { note(ctx, src.path, src.line(m.index), 'Routes excluded from the global prefix were not told apart: every route gets it.'); }
    if (v) { return v.value; }
    note(ctx, src.path, src.line(m.index), 'The global prefix could not be resolved: routes are compared without it.');
  }
  return '';
}

const prefixCache = new WeakMap<ExtractContext, string>();

/** Adds the routes of the controllers in `src`. */
export function extractNestRoutes(src: SourceText, ctx: ExtractContext): void {
  let prefix = prefixCache.get(ctx);
  if (prefix === undefined) { prefix = globalPrefix(ctx); prefixCache.set(ctx, prefix); }
  if (/\benableVersioning\s*\(/.test(src.shape)) { note(ctx, src.path, undefined, 'API versioning adds path segments that were not analysed.'); }
  if (/\bRouterModule\.register\s*\(/.test(src.shape)) { note(ctx, src.path, undefined, 'RouterModule paths were not analysed: routes are compared without them.'); }
  const lookup = ctx.lookup(src);
  const controller = /@Controller\s*\(/g;
  const starts: { at: number; paths: string[] }[] = [];
  for (let m = controller.exec(src.shape); m; m = controller.exec(src.shape)) {
    const open = m.index + m[0].length - 1;
    starts.push({ at: m.index, paths: decoratorPaths(src, open, lookup, 'path') });
  }
  const method = /@(Get|Post|Put|Patch|Delete|Head|Options|All)\s*\(/g;
  for (let m = method.exec(src.shape); m; m = method.exec(src.shape)) {
    const owner = [...starts].reverse().find(s => s.at < m!.index);
    if (!owner) { continue; }
    const open = m.index + m[0].length - 1;
    for (const base of owner.paths) {
      for (const p of decoratorPaths(src, open, lookup)) {
        ctx.routes.push({ method: VERBS[m[1]], path: joinPaths(prefix, base, p), file: src.path, line: src.line(m.index), framework: 'NestJS' });
      }
    }
  }
}

/** The paths a decorator names: none (''), a string, a list of strings, or an options object's `path`. */
function decoratorPaths(src: SourceText, open: number, lookup: ReturnType<ExtractContext['lookup']>, objectKey?: string): string[] {
  if (closeOf(src.shape, open) < 0) { return ['']; }
  const arg = splitArgs(src.shape, open).args[0];
  if (!arg) { return ['']; }
  let [a, b] = arg;
  if (src.shape[a] === '{' && objectKey) {
    const v = namedArgs(src, splitArgs(src.shape, a).args).get(objectKey);
    if (!v) { return ['']; }
    [a, b] = v;
  }
  const items = src.shape[a] === '[' ? listItems(src, a, b) ?? [] : [[a, b] as [number, number]];
  const out = items.map(([s, e]) => literalAt(src, s)?.value ?? evalString(src, s, e, lookup)?.value).filter((v): v is string => v !== undefined);
  return out.length ? out : [''];
}
