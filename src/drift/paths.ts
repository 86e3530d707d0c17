/**
 * Every framework's path syntax to OpenAPI's, so `/users/:id`, `/users/{id}`, `/users/<int:id>`,
 * `{id:int}`, `{id?}`, `{*rest}`, `^users/(?P<id>\d+)/?$` and Rails' `(.:format)` compare equal. Pure.
 */

/**
 * A path in OpenAPI syntax (`/users/{id}`): parameters of every syntax become `{name}`, optional
 * Rails groups are dropped, the trailing slash goes (the root stays `/`). `regex` marks Django `re_path`
 * and `url()` patterns. Returns undefined when a regular expression cannot be read as a path.
 */
export function toOpenApiPath(raw: string, options: { regex?: boolean } = {}): string | undefined {
  let p = raw.trim();
  if (options.regex) {
    const fromRegex = regexToPath(p);
    if (fromRegex === undefined) { return undefined; }
    p = fromRegex;
  }
  // Rails: optional groups such as `(.:format)` and `(/:page)` are left out; the path without them is the route.
  p = p.replace(/\([^()]*\)/g, m => (/^\(\/?[.:*\w/-]*\)$/.test(m) ? '' : m));
  // Flask and Django `<int:id>`, `<id>`.
  p = p.replace(/<(?:[\w.]+:)?(\w+)>/g, '{$1}');
  // `{id:int}`, `{id?}`, `{*slug}`, `{**path}`, `{id=5}`, `{id:[0-9]+}` (chi), `{path...}` (Go 1.22); `{$}` ends a Go pattern.
  p = p.replace(/\{\$\}/g, '').replace(/\{\*{0,2}([A-Za-z_][\w-]*)(?:[^{}]*(?:\{[^{}]*\}[^{}]*)*)\}/g, '{$1}');
  // `:id`, `:id?`, `:id(\d+)` at a segment start or after `-`/`.` (Express `/:from-:to`).
  p = p.replace(/(^|[/.-]):([A-Za-z_]\w*)(?:\([^)]*\))?\??/g, '$1{$2}');
  // Wildcards: `*`, `*rest`, Rails `*path`.
  p = p.replace(/(^|\/)\*([A-Za-z_]\w*)?(?=\/|$)/g, (_m, slash: string, name?: string) => `${slash}{${name ?? 'wildcard'}}`);
  return normalizeSlashes(p);
}

/** Leading slash, no doubled or trailing slash; the root is `/`. */
export function normalizeSlashes(p: string): string {
  // Most paths are already so: this runs for every route and operation, more than once.
  if (p.length > 1 && p.charCodeAt(0) === 47 && p.charCodeAt(p.length - 1) !== 47 && !p.includes('//')) { return p; }
  const out = `/${p}`.replace(/\/{2,}/g, '/').replace(/\/+$/, '');
  return out === '' ? '/' : out;
}

/** Joins path parts as frameworks do: slashes between them whatever each part has. */
export function joinPaths(...parts: string[]): string {
  return normalizeSlashes(parts.filter(p => p !== '' && p !== '/').join('/'));
}

/** What two paths must share to be the same route: parameter names and case of names do not matter. */
export function pathKey(openApiPath: string): string {
  const p = normalizeSlashes(openApiPath);
  return p.includes('{') ? p.replace(/\{[^}]*\}/g, '{}') : p;
}

/**
 * A Django `re_path`/`url()` regular expression as a path: anchors and optional trailing slashes removed,
 * named groups to `{name}`, other groups to `{param}`. Undefined when quantifiers or alternations remain
 * outside groups (the pattern matches more than one literal path).
 */
function regexToPath(re: string): string | undefined {
  const p = re.replace(/^\^/, '').replace(/\$$/, '').replace(/\\?\/\?$/, '');
  let out = '';
  let unnamed = 0;
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') { out += p[i + 1] ?? ''; i++; continue; }
    if (c === '(') {
      const close = groupEnd(p, i);
      if (close < 0) { return undefined; }
      const named = /^\(\?P?<(\w+)>/.exec(p.slice(i));
      if (p.startsWith('(?:', i) && /^\(\?:\/?\)\?/.test(p.slice(i, close + 2))) { i = close + 1; continue; }
      out += named ? `{${named[1]}}` : `{param${unnamed++ ? unnamed : ''}}`;
      i = close;
      if (p[i + 1] === '?' || p[i + 1] === '*' || p[i + 1] === '+') { i++; }
      continue;
    }
    if ('[]*+|{}'.includes(c)) { return undefined; }
    if (c === '?' || c === '.' && p[i + 1] === '*') { return undefined; }
    out += c;
  }
  return out;
}

function groupEnd(p: string, open: number): number {
  let depth = 0;
  for (let i = open; i < p.length; i++) {
    if (p[i] === '\\') { i++; continue; }
    if (p[i] === '[') {
      // A character class may hold brackets of its own.
      const end = p.indexOf(']', i + 2);
      if (end < 0) { return -1; }
      i = end;
      continue;
    }
    if (p[i] === '(') { depth++; } else if (p[i] === ')') {
      depth--;
      if (depth === 0) { return i; }
    }
  }
  return -1;
}
