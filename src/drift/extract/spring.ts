/**
 * Spring MVC and WebFlux annotations (Java and Kotlin): a class's `@RequestMapping("/articles")` prefix,
 * methods' `@GetMapping("{slug}")` (Post, Put, Patch, Delete) and `@RequestMapping(path = ..., method =
 * RequestMethod.X)`, values as strings, arrays, constants or `${property}` placeholders, and the servlet
 * context path from application.properties / application.yml. `@FeignClient` interfaces describe calls to
 * other services, not routes, and are skipped.
 */
import { closeOf, listItems, namedArgs, splitArgs, type SourceText } from '../lexer';
import { joinPaths } from '../paths';
import type { HttpMethod } from '../types';
import { evalString, type Lookup } from '../values';
import { note, type ExtractContext } from './context';

const SHORTCUT: Record<string, HttpMethod> = { GetMapping: 'GET', PostMapping: 'POST', PutMapping: 'PUT', PatchMapping: 'PATCH', DeleteMapping: 'DELETE' };
const TOKEN = /@(RequestMapping|GetMapping|PostMapping|PutMapping|PatchMapping|DeleteMapping)\b|\b(?:class|interface)\s+\w+/g;

/** The context path every Spring route sits under, from the application's properties. */
export function springContextPath(ctx: ExtractContext): string {
  const p = ctx.properties;
  return [p.get('server.servlet.context-path') ?? p.get('server.context-path') ?? p.get('spring.webflux.base-path') ?? '', p.get('spring.mvc.servlet.path') ?? '']
    .filter(Boolean).join('/');
}

/** Adds the routes of the controllers in `src`. */
export function extractSpringRoutes(src: SourceText, ctx: ExtractContext): void {
  const lookup = ctx.lookup(src);
  const base = springContextPath(ctx);
  let classPaths = [''];
  let pending: string[] | undefined;
  let skipClass = false;
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(src.shape); m; m = TOKEN.exec(src.shape)) {
    if (!m[1]) {
      // A class or interface: the mapping seen just before it (if any) is its prefix.
      const head = src.shape.slice(Math.max(0, m.index - 600), m.index);
      skipClass = /@(?:FeignClient|HttpExchange)\b/.test(head.slice(head.lastIndexOf('}') + 1));
      classPaths = pending ?? [''];
      pending = undefined;
      continue;
    }
    const open = /^\s*\(/.exec(src.shape.slice(m.index + m[0].length, m.index + m[0].length + 20));
    const args = open ? splitArgs(src.shape, m.index + m[0].length + open[0].length - 1).args : [];
    const paths = mappingPaths(src, ctx, args, lookup);
    if (isClassLevel(src.shape, m.index + m[0].length)) {
      pending = paths;
      continue;
    }
    if (skipClass) { continue; }
    const methods = m[1] === 'RequestMapping' ? requestMethods(src, args) : [SHORTCUT[m[1]]];
    const line = src.line(m.index);
    for (const cp of classPaths) {
      for (const p of paths) {
        for (const method of methods) {
          ctx.routes.push({ method, path: joinPaths(base, cp, p), file: src.path, line, framework: 'Spring' });
        }
      }
    }
  }
}

/** True when the next declaration after the annotation is a class or interface, not a method. */
function isClassLevel(shape: string, from: number): boolean {
  const rest = shape.slice(from, from + 2000);
  const cls = /\b(?:class|interface)\s+\w+/.exec(rest);
  const body = /[;{]/.exec(rest.replace(/\([^()]*(?:\([^()]*\)[^()]*)*\)/g, m => ' '.repeat(m.length)));
  return !!cls && (!body || cls.index < body.index);
}

/** `("x")`, `(value = "x")`, `(path = {"a", "b"})`, Kotlin `(value = ["a"])`; none means the class or method path itself. */
function mappingPaths(src: SourceText, ctx: ExtractContext, args: [number, number][], lookup: Lookup): string[] {
  const kw = namedArgs(src, args);
  const arg = kw.get('value') ?? kw.get('path') ?? args.find(a => namedArgs(src, [a]).size === 0);
  if (!arg) { return ['']; }
  const items = /^[{[]/.test(src.shape[arg[0]]) ? listItems(src, arg[0], arg[1]) ?? [] : [arg];
  const out: string[] = [];
  for (const [a, b] of items) {
    const v = evalString(src, a, b, lookup);
    if (!v) { note(ctx, src.path, src.line(a), `A mapping path (${src.code.slice(a, b).trim().slice(0, 60)}) could not be resolved: not analysed.`); continue; }
    out.push(v.value.replace(/\$\{([^}:]+)(?::([^}]*))?\}/g, (_m, key: string, fallback?: string) => ctx.properties.get(key) ?? fallback ?? ''));
  }
  return out.length ? out : [''];
}

/** `method = RequestMethod.GET`, `method = {GET, POST}`, `method = [RequestMethod.PUT]`; none means every method. */
function requestMethods(src: SourceText, args: [number, number][]): HttpMethod[] {
  const m = namedArgs(src, args).get('method');
  if (!m) { return ['ALL']; }
  const text = src.code.slice(m[0], closeOf(src.shape, m[0]) > 0 && /[{[]/.test(src.shape[m[0]]) ? closeOf(src.shape, m[0]) : m[1]);
  const found = [...text.matchAll(/\b(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|TRACE)\b/g)].map(x => x[1] as HttpMethod);
  return found.length ? found : ['ALL'];
}
