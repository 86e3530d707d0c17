/**
 * Spec against routes: which base path the routes are declared under (the spec's `servers` path or
 * `basePath`, or none when a proxy or context path adds it), then every operation without a route and every
 * route without an operation. Parameter names and syntax do not matter (`/users/{id}` is `/users/:userId`);
 * a GET route answers the spec's HEAD, any route answers OPTIONS, and a route that answers every method
 * (`all`, `Any`, `match via: :all`) answers whatever its path has. Pure.
 */
import { joinPaths, normalizeSlashes, pathKey } from './paths';
import type { CodeRoute, DriftItem, DriftNote, SpecDocument, SpecOperation } from './types';

/** The comparison: the base path chosen, the drift found, and routes left out (outside the base path). */
export interface Comparison {
  basePath: string;
  operations: SpecOperation[];
  items: DriftItem[];
  notes: DriftNote[];
}

/** The path of a route relative to `base`, or undefined when it is not under it. */
function relative(path: string, base: string): string | undefined {
  if (base === '') { return path; }
  if (path === base) { return '/'; }
  return path.startsWith(`${base}/`) ? normalizeSlashes(path.slice(base.length)) : undefined;
}

function answers(route: CodeRoute, op: SpecOperation): boolean {
  return route.method === op.method || route.method === 'ALL' || op.method === 'OPTIONS' || (op.method === 'HEAD' && route.method === 'GET');
}

/** Compares the routes with the operations of every spec (operations found in two specs count once). */
export function compareRoutes(routes: readonly CodeRoute[], specs: readonly SpecDocument[]): Comparison {
  const operations: SpecOperation[] = [];
  const seen = new Set<string>();
  for (const s of specs) {
    for (const op of s.operations) {
      const key = `${op.method} ${pathKey(op.path)}`;
      if (!seen.has(key)) { seen.add(key); operations.push(op); }
    }
  }
  const byPath = new Map<string, SpecOperation[]>();
  const byLowerPath = new Map<string, SpecOperation[]>();
  for (const op of operations) {
    for (const [map, k] of [[byPath, pathKey(op.path)], [byLowerPath, pathKey(op.path).toLowerCase()]] as const) {
      const list = map.get(k);
      if (list) { list.push(op); } else { map.set(k, [op]); }
    }
  }
  // ASP.NET Core matches paths without regard to case (`[controller]` gives `Products`); the others do not.
  const keys = new Map<string, string>();
  const keyOf = (rel: string): string => {
    let k = keys.get(rel);
    if (k === undefined) { k = pathKey(rel); keys.set(rel, k); }
    return k;
  };
  const opsAt = (route: CodeRoute, rel: string): SpecOperation[] =>
    (route.framework === 'ASP.NET Core' ? byLowerPath.get(keyOf(rel).toLowerCase()) : byPath.get(keyOf(rel))) ?? [];
  const basePath = chooseBase(routes, specs, opsAt);
  const notes: DriftNote[] = [];
  const declared = specs.flatMap(s => s.basePaths).filter(b => b !== '');
  if (basePath === '' && declared.length > 0 && routes.length > 0) {
    notes.push({ file: specs[0].file, message: `Routes are declared without the spec's base path ${declared[0]}: they were compared as if a proxy or context path adds it.` });
  }
  const matched = new Set<SpecOperation>();
  const unmatched: { route: CodeRoute; rel: string }[] = [];
  const groupsMatched = new Set<string>();
  for (const route of routes) {
    const rel = relative(route.path, basePath);
    if (rel === undefined) {
      notes.push({ file: route.file, line: route.line, message: `${route.method} ${route.path} is outside the spec's base path ${basePath}: not compared.` });
      continue;
    }
    const ops = opsAt(route, rel).filter(op => answers(route, op));
    for (const op of ops) { matched.add(op); }
    if (ops.length > 0) {
      if (route.group) { groupsMatched.add(route.group); }
    } else {
      unmatched.push({ route, rel });
    }
  }
  const items: DriftItem[] = [];
  const routeSegments = routes.map(r => ({ route: r, segments: pathKey(r.path).split('/') }));
  for (const { route, rel } of unmatched) {
    if (route.group && groupsMatched.has(route.group)) { continue; }
    if (route.method === 'ALL' && opsAt(route, rel).length > 0) { continue; }
    const samePath = opsAt(route, rel)[0];
    const spec = samePath ? { file: samePath.file, line: samePath.pathLine } : specs[0] ? { file: specs[0].file, line: specs[0].pathsLine } : undefined;
    items.push({ kind: 'missing-in-spec', method: route.method, path: rel, file: route.file, line: route.line, ...(spec ? { related: spec } : {}), route });
  }
  for (const op of operations) {
    if (matched.has(op)) { continue; }
    const near = nearestRoute(routeSegments, joinPaths(basePath, op.path));
    items.push({ kind: 'missing-in-code', method: op.method, path: op.path, file: op.file, line: op.line, ...(near ? { related: { file: near.file, line: near.line } } : {}), operation: op });
  }
  items.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.method.localeCompare(b.method)));
  return { basePath, operations, items, notes };
}

/**
 * The base path that explains the most routes: the spec's own (`/api`) when the code declares it, none when the
 * code leaves it to a proxy. Ties go to the spec's declared base.
 */
function chooseBase(routes: readonly CodeRoute[], specs: readonly SpecDocument[], opsAt: (r: CodeRoute, rel: string) => SpecOperation[]): string {
  const candidates = [...new Set([...specs.flatMap(s => s.basePaths), ''])];
  let best = candidates[0] ?? '';
  let bestScore = -1;
  for (const base of candidates) {
    let score = 0;
    for (const r of routes) {
      const rel = relative(r.path, base);
      if (rel !== undefined && opsAt(r, rel).some(op => answers(r, op))) { score++; }
    }
    if (score > bestScore) { best = base; bestScore = score; }
  }
  return best;
}

/** The route whose path shares the longest run of leading segments with `path`: where a missing one would go. */
function nearestRoute(routes: readonly { route: CodeRoute; segments: string[] }[], path: string): CodeRoute | undefined {
  const want = pathKey(path).split('/');
  let best: CodeRoute | undefined;
  let bestLen = 0;
  for (const { route, segments } of routes) {
    let n = 0;
    while (n < want.length && n < segments.length && want[n] === segments[n]) { n++; }
    if (n > bestLen) { best = route; bestLen = n; }
  }
  return bestLen > 1 ? best : undefined;
}
