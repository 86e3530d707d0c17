/**
 * `backend-architect drift [--json] [--spec FILE] DIR`: the OpenAPI document(s) of DIR against the routes its
 * code declares. Exit 1 when it found drift, 0 when spec and code agree, 2 for wrong arguments, an
 * unreadable DIR or no spec to compare with.
 */
import { type CliIo, HELP_OPTION, helpOrUsageError, isReadableFolder, readCommandLine, terminalSafe } from '../cliSupport';
import { nodeFileSource } from '../context/nodeFileSource';
import { checkDrift } from './drift';
import type { DriftReport } from './types';

/** The help text of `backend-architect drift`. */
export const DRIFT_USAGE = `Usage: backend-architect drift [options] DIR

Compares the OpenAPI documents found in DIR with the routes its code declares
(Express, NestJS, Fastify, Koa, FastAPI, Flask, Django REST framework, Spring,
ASP.NET Core, Go net/http, chi, Gin, Echo, Rails, Laravel) and lists operations
with no route (missing-in-code) and routes with no operation (missing-in-spec),
each at its file and line. Prefixes are resolved across files; what could not
be analysed (computed paths, unmounted routers) is listed as notes, not drift.

Options:
  --json          print JSON: {spec, items: [{kind, method, path, file, line}], notes, ...}
  --spec FILE     compare with this document only (relative to DIR)
  --no-gitignore  do not honour .gitignore files
  -h, --help      show this help

Exit status: 0 when spec and code agree, 1 when drift was found, 2 when the
arguments are wrong, DIR cannot be read or no OpenAPI document was found.
`;

interface DriftArgs { json: boolean; spec?: string; gitignore: boolean; dir: string }

/** Runs the `drift` subcommand (`args` without the subcommand name); resolves with the exit code. */
export async function runDriftCommand(args: string[], io: CliIo): Promise<number> {
  const parsed = parseDriftArgs(args);
  const early = helpOrUsageError(parsed, 'drift', DRIFT_USAGE, io);
  if (early !== undefined || typeof parsed === 'string') { return early ?? 2; }
  if (!await isReadableFolder(parsed.dir, 'drift', io)) { return 2; }
  const spec = parsed.spec?.replace(/\\/g, '/').replace(/^\.\//, '');
  if (spec !== undefined && (spec.startsWith('/') || spec.split('/').includes('..') || /^[a-zA-Z]:/.test(spec))) {
    io.stderr(`backend-architect drift: --spec must be a path inside DIR\n\n${DRIFT_USAGE}`);
    return 2;
  }
  const report = await checkDrift(nodeFileSource(parsed.dir, { gitignore: parsed.gitignore, stat: true }), { spec });
  if (report.spec === null) {
    io.stderr(terminalSafe(`backend-architect drift: ${spec ? `${spec} is not an OpenAPI document that could be read` : `no OpenAPI document found in ${parsed.dir}`} (give one with --spec FILE).\n`));
    return 2;
  }
  io.stdout(terminalSafe(parsed.json ? `${JSON.stringify(toJson(report), null, 2)}\n` : formatText(report)));
  return report.items.length > 0 ? 1 : 0;
}

function parseDriftArgs(args: string[]): DriftArgs | 'help' | string {
  const read = readCommandLine(args, { ...HELP_OPTION, json: { type: 'boolean' }, 'no-gitignore': { type: 'boolean' }, spec: { type: 'string' } });
  if (typeof read === 'string') { return read; }
  const { values, positionals } = read;
  if (values.spec === '') { return '--spec needs a file'; }
  if (positionals.length !== 1) { return positionals.length === 0 ? 'no DIR given' : 'give one DIR'; }
  return { json: !!values.json, gitignore: !values['no-gitignore'], spec: values.spec, dir: positionals[0] };
}

/** The JSON of `--json`: the issue's `{ spec, items }`, plus what a CI log wants to show beside them. */
function toJson(r: DriftReport): unknown {
  return {
    spec: r.spec,
    items: r.items.map(i => ({ kind: i.kind, method: i.method, path: i.path, file: i.file, line: i.line })),
    specs: r.specs.map(s => s.file),
    basePath: r.basePath,
    frameworks: r.frameworks,
    routes: r.routes.length,
    operations: r.operations.length,
    notes: r.notes.map(n => (n.line === undefined ? { file: n.file, message: n.message } : { file: n.file, line: n.line, message: n.message })),
  };
}

function formatText(r: DriftReport): string {
  const out: string[] = [];
  const specs = r.specs.map(s => s.file).join(', ');
  out.push(`Spec: ${specs} (${r.operations.length} operation${r.operations.length === 1 ? '' : 's'}${r.basePath ? `, base path ${r.basePath}` : ''})`);
  out.push(`Code: ${r.routes.length} route${r.routes.length === 1 ? '' : 's'}${r.frameworks.length ? ` (${r.frameworks.join(', ')})` : ''}`);
  out.push('');
  const missingInCode = r.items.filter(i => i.kind === 'missing-in-code');
  const missingInSpec = r.items.filter(i => i.kind === 'missing-in-spec');
  if (r.items.length === 0) { out.push('No drift: every operation has a route and every route an operation.'); }
  if (missingInCode.length) {
    out.push(`In the spec, not in the code (${missingInCode.length}):`);
    for (const i of missingInCode) { out.push(`  ${i.method.padEnd(7)} ${i.path}  ${i.file}:${i.line}`); }
  }
  if (missingInSpec.length) {
    if (missingInCode.length) { out.push(''); }
    out.push(`In the code, not in the spec (${missingInSpec.length}):`);
    for (const i of missingInSpec) { out.push(`  ${i.method.padEnd(7)} ${i.path}  ${i.file}:${i.line}`); }
  }
  if (r.notes.length) {
    out.push('', 'Notes (not drift):');
    for (const n of r.notes) { out.push(`  ${n.file ? `${n.file}${n.line ? `:${n.line}` : ''}: ` : ''}${n.message}`); }
  }
  return `${out.join('\n')}\n`;
}
