/**
 * `backend-architect context [--json] DIR`: what the extension would read from a folder, and why,
 * without VS Code. Shows the detected stack, the chosen files with their sizes and token estimates,
 * where routes, models, migrations, specs and deployment files are, and what was skipped.
 */
import { type CliIo, HELP_OPTION, helpOrUsageError, isReadableFolder, readCommandLine, terminalSafe } from '../cliSupport';
import { nodeFileSource } from './nodeFileSource';
import { formatContextForPrompt } from './promptFormat';
import { scanWorkspace } from './scan';
import type { WorkspaceContext } from './types';

/** The budget when none is given: a mid-sized share of a 128k-token context window. */
export const DEFAULT_CLI_BUDGET = 24_000;

/** The help text of `backend-architect context`. */
export const CONTEXT_USAGE = `Usage: backend-architect context [options] DIR

Scans DIR the way the extension does and prints what it would send to the model:
the stack, each file chosen (why, bytes, estimated tokens), routes, data model,
migrations, API specs, deployment files, and what was skipped and why.
Secret files (.env, keys, credentials) are never read; secret values are redacted.

Options:
  --json                 print JSON: {stack, files, routes, models, migrations, specs, deployment, skipped, ...}
  --prompt               print the exact text that would go into the prompt
  --budget N             token budget (default ${DEFAULT_CLI_BUDGET})
  --max-file-bytes N     skip files larger than N bytes (default 524288)
  --include GLOB         read this path or glob first (repeatable)
  --exclude GLOB         never read this path or glob (repeatable)
  --no-gitignore         do not honour .gitignore files
  -h, --help             show this help

Exit status: 0 on success, 2 when the arguments are wrong or DIR cannot be read.
`;

interface ContextArgs {
  json: boolean;
  prompt: boolean;
  budget: number;
  maxFileBytes?: number;
  include: string[];
  exclude: string[];
  gitignore: boolean;
  dir: string;
}

/** Runs the `context` subcommand (`args` without the subcommand name); resolves with the exit code. */
export async function runContextCommand(args: string[], io: CliIo): Promise<number> {
  const parsed = parseContextArgs(args);
  const early = helpOrUsageError(parsed, 'context', CONTEXT_USAGE, io);
  if (early !== undefined || typeof parsed === 'string') { return early ?? 2; }
  if (!await isReadableFolder(parsed.dir, 'context', io)) { return 2; }
  const ctx = await scanWorkspace(nodeFileSource(parsed.dir, { gitignore: parsed.gitignore }), {
    tokenBudget: parsed.budget, maxFileBytes: parsed.maxFileBytes, include: parsed.include, exclude: parsed.exclude,
  });
  const out = parsed.prompt ? `${formatContextForPrompt(ctx)}\n` : parsed.json ? `${JSON.stringify(toJson(ctx), null, 2)}\n` : formatText(ctx);
  io.stdout(terminalSafe(out));
  return 0;
}

function parseContextArgs(args: string[]): ContextArgs | 'help' | string {
  const read = readCommandLine(args, {
    ...HELP_OPTION, json: { type: 'boolean' }, prompt: { type: 'boolean' }, 'no-gitignore': { type: 'boolean' },
    budget: { type: 'string' }, 'max-file-bytes': { type: 'string' }, include: { type: 'string', multiple: true }, exclude: { type: 'string', multiple: true },
  });
  if (typeof read === 'string') { return read; }
  const { values, positionals } = read;
  const out: ContextArgs = { json: !!values.json, prompt: !!values.prompt, budget: DEFAULT_CLI_BUDGET, include: values.include ?? [], exclude: values.exclude ?? [], gitignore: !values['no-gitignore'], dir: '' };
  for (const [flag, value] of [['--budget', values.budget], ['--max-file-bytes', values['max-file-bytes']]] as const) {
    if (value === undefined) { continue; }
    const n = Number(value.replace(/_/g, ''));
    if (!Number.isInteger(n) || n <= 0) { return `${flag} expects a positive whole number, got "${value}"`; }
    if (flag === '--budget') { out.budget = n; } else { out.maxFileBytes = n; }
  }
  if (positionals.length !== 1) { return positionals.length === 0 ? 'no DIR given' : 'give one DIR'; }
  out.dir = positionals[0];
  return out;
}

/** The JSON shape of `--json`: everything but file contents, which `--prompt` shows. Also the MCP tool's. */
export function toJson(ctx: WorkspaceContext): unknown {
  return {
    stack: ctx.stack,
    files: ctx.files.map(f => ({
      path: f.path, reason: f.reason, bytes: f.bytes, tokens: f.tokens, size: f.size ?? null,
      redactions: f.redactions, hiddenUnicode: f.hiddenUnicode, hiddenUnicodeLines: f.hiddenUnicodeLines, truncated: f.truncated,
    })),
    entryPoints: ctx.entryPoints,
    routes: ctx.routes,
    models: ctx.models,
    migrations: ctx.migrations,
    specs: ctx.specs,
    deployment: ctx.deployment,
    skipped: ctx.skipped,
    notRead: ctx.notRead,
    tokens: ctx.tokens,
    tokenBudget: ctx.tokenBudget,
    fileCount: ctx.fileCount,
  };
}

/** The plain-text overview `context` prints: stack, files with why and size, routes, models, what was skipped. */
export function formatText(ctx: WorkspaceContext): string {
  const out = [`Stack: ${ctx.stack.summary}`, ''];
  out.push(`Would read ${ctx.files.length} file${ctx.files.length === 1 ? '' : 's'}, about ${ctx.tokens.toLocaleString('en-US')} of ${ctx.tokenBudget.toLocaleString('en-US')} tokens (${ctx.fileCount.toLocaleString('en-US')} files listed):`);
  const width = Math.min(60, Math.max(10, ...ctx.files.map(f => f.path.length)));
  for (const f of ctx.files) {
    const notes = [f.redactions ? `${f.redactions} redacted` : '', f.hiddenUnicode ? `${f.hiddenUnicode} hidden characters removed` : ''].filter(Boolean);
    out.push(`  ${f.path.padEnd(width)}  ${String(f.bytes).padStart(7)} B  ${String(f.tokens).padStart(6)} tok  ${f.reason}${notes.length ? ` [${notes.join(', ')}]` : ''}`);
  }
  const lists: [string, string[]][] = [['Entry points', ctx.entryPoints], ['Routes', ctx.routes], ['Models', ctx.models],
    ['Migrations', ctx.migrations], ['Specs', ctx.specs], ['Deployment', ctx.deployment]];
  for (const [label, paths] of lists) {
    if (paths.length === 0) { continue; }
    out.push('', `${label} (${paths.length}):`, ...paths.slice(0, 30).map(p => `  ${p}`));
    if (paths.length > 30) { out.push(`  … and ${paths.length - 30} more`); }
  }
  if (ctx.skipped.length) {
    out.push('', 'Skipped:', ...ctx.skipped.map(s => `  ${s.path.padEnd(width)}  ${s.why}`));
  }
  if (ctx.notRead > 0) { out.push('', `${ctx.notRead.toLocaleString('en-US')} more files were not read: lower in rank, beyond the token budget.`); }
  return `${out.join('\n')}\n`;
}

