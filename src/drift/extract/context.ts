/** What every route extractor is given: the graph to add to, where direct routes and notes go, lookups. */
import type { RouteGraph } from '../graph';
import type { SourceText } from '../lexer';
import type { CodeRoute, DriftNote } from '../types';
import type { Lookup } from '../values';

export interface ExtractContext {
  graph: RouteGraph;
  /** Routes whose full path an extractor knows without the graph (decorators, annotations, route files). */
  routes: CodeRoute[];
  notes: DriftNote[];
  /** Every prepared source by workspace-relative path. */
  sources: ReadonlyMap<string, SourceText>;
  /** Every listed file (read or not), for module resolution. */
  exists(path: string): boolean;
  /** All listed paths, sorted. */
  paths: readonly string[];
  /** Constants of this file first, then unambiguous ones of the project. */
  lookup(src: SourceText): Lookup;
  /** Spring-style properties (`server.servlet.context-path`) from application.properties / .yml. */
  properties: ReadonlyMap<string, string>;
}

/** Adds a note once per file and message (at its first line): one unresolved prefix is one note, not one per route. */
export function note(ctx: ExtractContext, file: string, line: number | undefined, message: string): void {
  if (!ctx.notes.some(n => n.file === file && n.message === message)) {
    ctx.notes.push(line === undefined ? { file, message } : { file, line, message });
  }
}

/** The folder of a workspace-relative path ('' for the root). */
export function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

/** Joins and normalises workspace-relative path parts (`..` and `.` resolved); undefined when it leaves the root. */
export function joinFile(...parts: string[]): string | undefined {
  const out: string[] = [];
  for (const seg of parts.join('/').split('/')) {
    if (seg === '' || seg === '.') { continue; }
    if (seg === '..') {
      if (out.length === 0) { return undefined; }
      out.pop();
    } else {
      out.push(seg);
    }
  }
  return out.join('/');
}
