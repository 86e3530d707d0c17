/**
 * Routers mounted on routers, across files: Express `app.use('/api', router)`, Koa `router.use('/api',
 * api.routes())`, Fastify `register(plugin, { prefix })`, FastAPI `include_router(r, prefix=...)`, Flask
 * blueprints, Go groups passed to functions. Extractors add nodes (a router, a function's router parameter,
 * an exported name), edges (mounted at a prefix) and routes on nodes; `resolve` walks from the roots and
 * gives every route its full path, once per place its router is mounted. Pure.
 */
import { joinPaths } from './paths';
import type { CodeRoute, DriftNote } from './types';

/** A route declared on a router node, with its path relative to that router. */
export type NodeRoute = CodeRoute & { node: string };

/** A mount: the routes of `to` appear under `from`'s paths plus `prefix`. */
export interface MountEdge {
  from: string;
  to: string;
  prefix: string;
  file: string;
  line: number;
  partial?: boolean;
  /** Flask's `register_blueprint(bp, url_prefix=...)` replaces the blueprint's own prefix instead of adding to it. */
  replacesOwnPrefix?: boolean;
  /**
   * `from` is only a name for `to` (an export, an import, what a function returns). A name nothing reaches
   * does not make `to` part of anything: `to` is then a root of its own.
   */
  alias?: boolean;
}

/** How many full paths one router may get (a router mounted in many places); beyond it, a note. */
const MAX_PREFIXES = 64;

/** The graph one extraction run builds. Node ids are strings chosen by the extractors (`file#name`). */
export class RouteGraph {
  readonly routes: NodeRoute[] = [];
  readonly edges: MountEdge[] = [];
  /** A router's own prefix (Koa `new Router({ prefix })`, `APIRouter(prefix=...)`, `Blueprint(url_prefix=...)`). */
  readonly ownPrefix = new Map<string, string>();
  /** Nodes that are applications (roots by nature): not being mounted is expected of them. */
  readonly apps = new Set<string>();
  /** Human names of nodes for notes: `router in src/routes/users.ts`. */
  readonly labels = new Map<string, { file: string; line: number; name: string }>();

  addRoute(r: NodeRoute): void { this.routes.push(r); }
  addEdge(e: MountEdge): void { if (e.from !== e.to) { this.edges.push(e); } }
  /** Records where a router was made, for notes about it. */
  label(node: string, file: string, line: number, name: string): void {
    if (!this.labels.has(node)) { this.labels.set(node, { file, line, name }); }
  }

  /** Every route with its full path(s), and notes about routers nothing mounts and prefixes cut short. */
  resolve(): { routes: CodeRoute[]; notes: DriftNote[] } {
    const incoming = new Map<string, MountEdge[]>();
    for (const e of this.edges) {
      const list = incoming.get(e.to);
      if (list) { list.push(e); } else { incoming.set(e.to, [e]); }
    }
    const names = new Set(this.edges.filter(e => e.alias).map(e => e.from));
    const danglingMemo = new Map<string, boolean>();
    const dangling = (node: string, depth = 0): boolean => {
      if (!names.has(node) || this.apps.has(node)) { return false; }
      let d = danglingMemo.get(node);
      if (d === undefined) {
        danglingMemo.set(node, true);
        d = depth > 50 || (incoming.get(node) ?? []).every(e => dangling(e.from, depth + 1));
        danglingMemo.set(node, d);
      }
      return d;
    };
    const memo = new Map<string, { prefix: string; partial: boolean; root: string }[]>();
    const active = new Set<string>();
    const notes: DriftNote[] = [];
    const prefixes = (node: string, ownReplaced: boolean): { prefix: string; partial: boolean; root: string }[] => {
      const key = `${node}\u0000${ownReplaced}`;
      const cached = memo.get(key);
      if (cached) { return cached; }
      const own = ownReplaced ? '' : this.ownPrefix.get(node) ?? '';
      const ins = (incoming.get(node) ?? []).filter(e => !active.has(e.from) && !dangling(e.from));
      if (ins.length === 0) { return [{ prefix: own, partial: false, root: node }]; }
      active.add(node);
      const out: { prefix: string; partial: boolean; root: string }[] = [];
      for (const e of ins) {
        for (const p of prefixes(e.from, false)) {
          if (out.length >= MAX_PREFIXES) { break; }
          out.push({ prefix: joinPaths(p.prefix, e.prefix, e.replacesOwnPrefix ? '' : own), partial: p.partial || !!e.partial, root: p.root });
        }
      }
      active.delete(node);
      memo.set(key, out);
      return out;
    };
    const routes: CodeRoute[] = [];
    const unmounted = new Set<string>();
    for (const r of this.routes) {
      for (const p of prefixes(r.node, false)) {
        const route: CodeRoute = { method: r.method, path: joinPaths(p.prefix, r.path), file: r.file, line: r.line, framework: r.framework };
        if (r.group) { route.group = r.group; }
        if (r.partial || p.partial) { route.partial = true; }
        routes.push(route);
        if (!this.apps.has(p.root)) { unmounted.add(this.labels.has(p.root) ? p.root : r.node); }
      }
    }
    for (const node of unmounted) {
      const l = this.labels.get(node);
      if (l) { notes.push({ file: l.file, line: l.line, message: `${l.name} is not mounted anywhere the check could see: its routes are compared as declared, without a prefix.` }); }
    }
    return { routes, notes };
  }
}
