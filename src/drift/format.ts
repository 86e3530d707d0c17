/** The drift report as a short block of text for a prompt (Review's context). Pure. */
import type { PromptContext } from '../context/types';
import type { DriftReport } from './types';

/**
 * A few lines a reviewer can act on: what was compared, each drift with its file and line (up to `max`), and
 * what could not be analysed. Empty when there was no spec to compare with.
 */
export function formatDriftForPrompt(report: DriftReport, max = 30): string {
  if (report.spec === null) { return ''; }
  const specs = report.specs.map(s => s.file).join(', ');
  const out = [`API drift: ${specs} (${report.operations.length} operations${report.basePath ? `, base path ${report.basePath}` : ''}) against ` +
    `${report.routes.length} routes declared in the code${report.frameworks.length ? ` (${report.frameworks.join(', ')})` : ''}.`];
  const inCode = report.items.filter(i => i.kind === 'missing-in-code');
  const inSpec = report.items.filter(i => i.kind === 'missing-in-spec');
  if (report.items.length === 0) { out.push('Every operation has a route and every route an operation.'); }
  const list = (label: string, items: typeof report.items): void => {
    if (items.length === 0) { return; }
    out.push(`${label} (${items.length}):`);
    for (const i of items.slice(0, max)) { out.push(`- ${i.method} ${i.path} (${i.file}:${i.line})`); }
    if (items.length > max) { out.push(`- … and ${items.length - max} more`); }
  };
  list('Operations in the spec with no route', inCode);
  list('Routes not in the spec', inSpec);
  if (report.notes.length) {
    out.push(`Not analysed or assumed (${report.notes.length}):`);
    for (const n of report.notes.slice(0, 10)) { out.push(`- ${n.file ? `${n.file}${n.line ? `:${n.line}` : ''}: ` : ''}${n.message}`); }
  }
  return out.join('\n');
}

/**
 * A prompt context with the drift block added after what the scan chose (or after the bare listing when the
 * scan failed); unchanged when there is no block.
 */
export function appendDriftContext(ctx: PromptContext | undefined, drift: string): PromptContext | undefined {
  if (!drift) { return ctx; }
  const base = ctx ?? {};
  const before = base.contextText ?? (base.listing ? `Files (a partial listing):\n${base.listing}` : '');
  return { ...base, contextText: before ? `${before}\n\n${drift}` : drift };
}
