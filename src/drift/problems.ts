/**
 * The drift report as Problems-panel entries: each difference on its own line in both files (the route or
 * operation itself as a warning, and an information entry where the other side is or would be), each naming
 * the other place so a quick fix can open it. Pure: the editor turns these into diagnostics.
 */
import { looksLikeOpenApi } from '../artifacts/sniff';
import { mayAffectDrift } from './drift';
import type { DriftReport } from './types';

/** Problem codes, one per kind of drift, as the Problems panel shows them. */
export type DriftProblemCode = 'route-not-in-spec' | 'operation-without-route';

/** One entry for the Problems panel. Lines are 1-based, files workspace-relative. */
export interface DriftProblem {
  file: string;
  line: number;
  severity: 'warning' | 'info';
  code: DriftProblemCode;
  message: string;
  /** Index of the difference in `report.items`. */
  item: number;
  /** `item`: on the route or operation itself; `related`: on the other side (where it is missing). */
  side: 'item' | 'related';
  /** The other side of the difference, when there is one. */
  other?: { file: string; line: number; label: string };
}

/** Every drift item of `report`, on its own line and mirrored on the other side's nearest line. */
export function driftProblems(report: DriftReport): DriftProblem[] {
  const out: DriftProblem[] = [];
  report.items.forEach((item, index) => {
    const op = `${item.method} ${item.path}`;
    if (item.kind === 'missing-in-spec') {
      const spec = item.related?.file ?? report.spec ?? 'the spec';
      const routePath = item.route?.path && item.route.path !== item.path ? ` (${item.method} ${item.route.path} in the code)` : '';
      out.push({
        file: item.file, line: item.line, severity: 'warning', code: 'route-not-in-spec', item: index, side: 'item',
        message: `${op} is not in ${spec}${routePath}: the route has no operation in the spec.`,
        other: item.related && { ...item.related, label: 'where it would go in the spec' },
      });
      if (item.related) {
        out.push({
          file: item.related.file, line: item.related.line, severity: 'info', code: 'route-not-in-spec', item: index, side: 'related',
          message: `${op} is declared at ${item.file}:${item.line} but missing from this spec.`,
          other: { file: item.file, line: item.line, label: 'the route' },
        });
      }
    } else {
      out.push({
        file: item.file, line: item.line, severity: 'warning', code: 'operation-without-route', item: index, side: 'item',
        message: `${op} has no route in the code: no handler declares this operation.`,
        other: item.related && { ...item.related, label: 'the closest route' },
      });
      if (item.related) {
        out.push({
          file: item.related.file, line: item.related.line, severity: 'info', code: 'operation-without-route', item: index, side: 'related',
          message: `${op} is in the spec (${item.file}:${item.line}) but no route declares it; the closest route is here.`,
          other: { file: item.file, line: item.line, label: 'the operation' },
        });
      }
    }
  });
  return out;
}

/** What one check found, in one sentence for a notification. */
export function driftSummary(report: DriftReport): string {
  if (report.spec === null) { return 'No OpenAPI document was found: there is nothing to compare the routes with.'; }
  const inCode = report.items.filter(i => i.kind === 'missing-in-code').length;
  const inSpec = report.items.length - inCode;
  const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;
  if (report.items.length === 0) {
    return `No API drift: ${plural(report.operations.length, 'operation', 'operations')} in ${report.specs.map(s => s.file).join(', ')} and ` +
      `${plural(report.routes.length, 'route', 'routes')} in the code agree.`;
  }
  return `API drift: ${plural(inCode, 'operation without a route', 'operations without a route')}, ` +
    `${plural(inSpec, 'route not in the spec', 'routes not in the spec')}.`;
}

/**
 * Whether saving `path` calls for a new check, given the folder's last report: before any check, any file
 * that can hold routes or a spec; after a check that found no spec, only a file that now looks like one
 * (`text` gives its start); otherwise whatever can change the result (mayAffectDrift).
 */
export function recheckOnSave(path: string, last: DriftReport | undefined, text: () => string): boolean {
  if (!last) { return mayAffectDrift(path); }
  if (last.spec === null) { return /\.(?:ya?ml|json)$/i.test(path) && looksLikeOpenApi(text()); }
  return mayAffectDrift(path, last);
}
