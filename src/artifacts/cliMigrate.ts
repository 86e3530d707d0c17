/**
 * `backend-architect migrate --from MIGRATIONS_DIR --to SCHEMA.sql`: the next migration from the schema a
 * folder's migrations build to a target schema, printed (never written). Both are built in the embedded
 * Postgres; the SQL is checked by applying it after the migrations and comparing with the target.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { type CliIo, describeFsError, HELP_OPTION, helpOrUsageError, readCommandLine, terminalSafe } from '../cliSupport';
import { readText, walk } from './cliArtifacts';
import { keepsDownMigrations } from './migrationOffer';
import { describeMigrationFolder, MigrationFolder, migrationUpText } from './migrations';
import { nextMigrationFiles } from './nextMigration';
import type { MigrationPlan, SqlFile } from './sql/migrate';
import type { SqlValidatorOptions } from './sql/sqlValidator';

export const MIGRATE_USAGE = `Usage: backend-architect migrate --from MIGRATIONS_DIR --to SCHEMA.sql [--name NAME] [--json]

Builds the schema the migrations in MIGRATIONS_DIR make (Prisma migration folders, Flyway V__ files,
golang-migrate .up.sql files, dbmate and goose files (their up part), numbered .sql files) and the schema
SCHEMA.sql makes, both in an embedded PostgreSQL, and prints the SQL of the next migration from one to
the other: schemas, extensions, enums, tables, columns (type, default, NOT NULL), constraints, indexes,
views, functions and triggers, in dependency order. Steps that lose data are marked DESTRUCTIVE and
guessed renames GUESS. The SQL is checked by applying it after the migrations and comparing the result
with SCHEMA.sql. Nothing is written. When nothing changes, one comment line is printed.
Migrations written as code (Knex, Alembic, Rails, Laravel, EF Core, ...) and Liquibase changelogs are
not read: they are listed on stderr.

Options:
  --from DIR    the migrations folder
  --to FILE     the schema to reach: a .sql file (or a folder of migrations)
  --name NAME   what the migration does; names the file it would be (printed in a comment)
  --json        print {tool, file, status, sql, steps, notRead, notes, verified, problems}
  -h, --help    show this help

Exit status: 0 when the migration was printed (or nothing changes), 1 when the migrations or the target
do not run in PostgreSQL or the SQL does not reach the target, 2 for bad arguments or unreadable paths.
`;

export interface MigrateCliOptions {
  cwd?: string;
  /** Settings of the SQL checker (tests point it at the compiled worker). */
  sql?: SqlValidatorOptions;
  /** The clock for the file name (tests). */
  now?: Date;
}

interface MigrateArgs { from: string; to: string; name: string; json: boolean }

function parseArgs(args: string[]): MigrateArgs | 'help' | string {
  const read = readCommandLine(args, { ...HELP_OPTION, json: { type: 'boolean' }, from: { type: 'string' }, to: { type: 'string' }, name: { type: 'string' } });
  if (typeof read === 'string') { return read; }
  const { values, positionals } = read;
  for (const flag of ['from', 'to', 'name'] as const) { if (values[flag] === '') { return `--${flag} needs a value`; } }
  if (positionals.length) { return `unexpected argument ${positionals[0]}`; }
  if (!values.from) { return '--from MIGRATIONS_DIR is required'; }
  if (!values.to) { return '--to SCHEMA.sql is required'; }
  return { from: values.from, to: values.to, name: values.name ?? 'schema change', json: !!values.json };
}

/** A migrations folder: its description and the up part of each SQL step. */
async function readFolder(dir: string, cwd: string): Promise<{ folder: MigrationFolder; files: SqlFile[] }> {
  const full = path.resolve(cwd, dir);
  const listed = (await walk(full)).map(f => path.join(dir, path.relative(full, f)));
  const withText = await Promise.all(listed.map(async f => ({ path: f, content: /\.sql$/i.test(f) ? await readText(path.resolve(cwd, f)) : undefined })));
  const folder = describeMigrationFolder(dir, withText);
  const byPath = new Map(withText.map(f => [f.path, f.content ?? '']));
  return { folder, files: folder.files.map(f => ({ path: f, content: migrationUpText(byPath.get(f) ?? '') })) };
}

function report(plan: MigrationPlan, file: string | undefined, io: CliIo): void {
  const err = (s: string): void => io.stderr(terminalSafe(`${s}\n`));
  for (const p of plan.problems) { err(`${p.file ? `${p.file}:` : ''}${p.line}${p.column ? `:${p.column}` : ''}: ${p.severity}: ${p.message}`); }
  for (const n of plan.notes) { err(`note: ${n}`); }
  if (plan.verified && !plan.verified.ok) {
    err('warning: applying this SQL after the migrations does not give the target schema:');
    for (const d of plan.verified.differences.slice(0, 20)) { err(`  ${d}`); }
  }
  if (plan.status === 'changes') {
    const confirm = plan.confirm.length ? `; ${plan.confirm.length} step${plan.confirm.length === 1 ? '' : 's'} to read first (DESTRUCTIVE or GUESS)` : '';
    err(`${plan.steps.length} step${plan.steps.length === 1 ? '' : 's'}${plan.verified?.ok ? ', checked: they reach the target schema' : ''}${confirm}; would be ${file}`);
  }
}

/** Runs `migrate`. Resolves with the exit code; never throws for bad input. */
export async function runMigrateCommand(args: string[], io: CliIo, options: MigrateCliOptions = {}): Promise<number> {
  const parsed = parseArgs(args);
  const early = helpOrUsageError(parsed, 'migrate', MIGRATE_USAGE, io);
  if (early !== undefined || typeof parsed === 'string') { return early ?? 2; }
  const cwd = options.cwd ?? process.cwd();
  let from: Awaited<ReturnType<typeof readFolder>>;
  let target: SqlFile[];
  try {
    if (!(await fs.stat(path.resolve(cwd, parsed.from))).isDirectory()) { throw Object.assign(new Error(), { code: 'ENOTDIR' }); }
    from = await readFolder(parsed.from, cwd);
  } catch (err) {
    io.stderr(terminalSafe(`backend-architect migrate: cannot read ${parsed.from}: ${describeFsError(err)}\n`));
    return 2;
  }
  try {
    const toStat = await fs.stat(path.resolve(cwd, parsed.to));
    target = toStat.isDirectory() ? (await readFolder(parsed.to, cwd)).files : [{ path: parsed.to, content: await readText(path.resolve(cwd, parsed.to)) }];
  } catch (err) {
    io.stderr(terminalSafe(`backend-architect migrate: cannot read ${parsed.to}: ${describeFsError(err)}\n`));
    return 2;
  }
  const { folder, files } = from;
  io.stderr(terminalSafe(`${folder.dir}: ${files.length} ${folder.tool} migration${files.length === 1 ? '' : 's'} read\n`));
  for (const n of folder.notRead) { io.stderr(terminalSafe(`${n.file}: ${n.reason}\n`)); }
  const { planMigration } = await import('./sql/migrate');
  const { shutdownSqlValidator } = await import('./sql/validateSql');
  let plan: MigrationPlan;
  try {
    plan = await planMigration({ migrations: files, target }, { ...options.sql, down: keepsDownMigrations(folder.tool) });
  } finally {
    await shutdownSqlValidator();
  }
  const next = plan.status === 'changes' ? nextMigrationFiles(folder, { name: parsed.name, up: plan.sql, down: plan.downSql, now: options.now })[0]?.path : undefined;
  report(plan, next, io);
  if (parsed.json) {
    const json = {
      tool: folder.tool, file: next ?? null, status: plan.status, sql: plan.sql, steps: plan.steps.map(s => ({ sql: s.sql, summary: s.summary, destructive: s.destructive ?? null, guess: s.guess ?? null, warning: s.warning ?? null })),
      notRead: folder.notRead, notes: plan.notes, verified: plan.verified ?? null, problems: plan.problems,
    };
    io.stdout(terminalSafe(`${JSON.stringify(json, null, 2)}\n`));
  } else if (plan.status !== 'failed') {
    io.stdout(terminalSafe(plan.status === 'changes' ? `-- Next migration for ${folder.dir} (${folder.tool}): ${next}\n${plan.sql}` : plan.sql));
  }
  return plan.status === 'failed' || plan.verified?.ok === false ? 1 : 0;
}
