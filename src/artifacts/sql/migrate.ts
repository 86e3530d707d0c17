/**
 * Schema vs migrations: builds the schema a folder's migrations make and the target schema (a schema file,
 * an answer's DDL) in Postgres (PGlite in the SQL checker's worker, each in a rolled-back transaction),
 * compares their catalogs, writes the SQL from one to the other, and proves it by applying the migrations
 * plus that SQL and comparing again. Pure of `vscode`; the CLI's `migrate` and the extension both use it.
 */
import type { ArtifactProblem } from '../types';
import type { MigrationStep } from './diffSupport';
import { diffSchemas, renderMigrationSql } from './schemaDiff';
import { snapshotDifferences } from './schemaCompare';
import type { CheckReads, SqlCheckOutcome, SqlValidatorOptions } from './sqlValidator';
import { limitsOf, sqlValidatorFor } from './validateSql';

export type { MigrationStep } from './diffSupport';

/** A SQL file: its path (shown in problems) and its text. */
export interface SqlFile {
  path: string;
  content: string;
}

export interface MigrationRequest {
  /** The folder's migrations in the order they apply, each its up part only (`migrationUpText`). */
  migrations: SqlFile[];
  /** The schema to reach: one text (a schema file, a card's DDL), or files applied in order. */
  target: string | SqlFile[];
}

export interface MigrationOptions extends SqlValidatorOptions {
  /** Apply the migrations and the generated SQL, and compare the result with the target (default true). */
  verify?: boolean;
  /** Also write the SQL back from the target (for tools that keep down migrations). Default false. */
  down?: boolean;
}

export interface MigrationPlan {
  /** `changes`: `sql` holds the migration; `unchanged`: nothing to do; `failed`: see `problems`. */
  status: 'changes' | 'unchanged' | 'failed';
  steps: MigrationStep[];
  /** The migration's text: steps in order, destructive ones and guesses marked in comments before them. */
  sql: string;
  /** The steps that need a person's yes before writing: they lose data, or rest on a guess. */
  confirm: MigrationStep[];
  /** Differences not written, and anything else the person should know. */
  notes: string[];
  /** Why it failed: problems of the migrations (`file` names the file) or of the target. */
  problems: ArtifactProblem[];
  /** The proof: migrations + `sql` applied in Postgres give the target's catalog (or where they do not). */
  verified?: { ok: boolean; differences: string[] };
  /** SQL from the target back to the migrations' schema, when asked for (`down`). */
  downSql?: string;
}

const failed = (problems: ArtifactProblem[], notes: string[] = []): MigrationPlan =>
  ({ status: 'failed', steps: [], sql: '', confirm: [], notes, problems });

const errorsIn = (problems: ArtifactProblem[]): ArtifactProblem[] => problems.filter(p => p.severity === 'error');

/**
 * Runs `files` in one rolled-back transaction and reads the schema they built; with `migrateTo`, the worker
 * also writes the migration to that schema and (with `verify`) applies it in the same transaction.
 */
async function build(files: SqlFile[], options: SqlValidatorOptions, what: string, reads: CheckReads): Promise<{ outcome?: SqlCheckOutcome; problems: ArtifactProblem[] }> {
  const outcome = await sqlValidatorFor(options).check(files.map(f => ({ name: f.path, text: f.content })), limitsOf(options), false, { snapshot: true, ...reads });
  if (outcome.unavailable) {
    return { problems: [{ line: 1, severity: 'error', source: 'sql', message: `${what} could not be built: ${outcome.unavailable}` }] };
  }
  const problems = outcome.problems.map(p => ({ ...p.problem, file: files[p.unit]?.path ?? NEXT }));
  if (outcome.stats?.firstRefusedUnit !== undefined) {
    return { problems: [...problems, { line: 1, severity: 'error', source: 'sql-limits', message: `${what} is over the checker's limits` }] };
  }
  return { outcome, problems };
}

/** How problems in the generated migration are named (it has no file yet). */
const NEXT = 'next migration';

/**
 * The next migration from the schema `migrations` build to `target`. Never rejects: a migration that does
 * not apply, a target Postgres refuses, or a checker that cannot start come back as `failed` with problems.
 * Two runs in the worker: the target, then the migrations with the new SQL applied after them.
 */
export async function planMigration(request: MigrationRequest, options: MigrationOptions = {}): Promise<MigrationPlan> {
  const targetFiles = typeof request.target === 'string' ? [{ path: 'target', content: request.target }] : request.target;
  const to = await build(targetFiles, options, 'the target schema', {});
  const target = to.outcome?.snapshot;
  if (!target || errorsIn(to.problems).length) {
    return failed(errorsIn(to.problems), ['The target schema does not run cleanly in Postgres: fix it first.']);
  }
  const verify = options.verify !== false;
  const from = await build(request.migrations, options, 'the migrations\' schema', { migrateTo: target, verifyMigration: verify });
  const own = from.problems.filter(p => p.file === NEXT);
  const migrationErrors = errorsIn(from.problems.filter(p => p.file !== NEXT));
  const migration = from.outcome?.migration;
  if (!from.outcome?.snapshot || !migration || migrationErrors.length) {
    return failed(migrationErrors, ['The migrations do not apply cleanly in Postgres: fix them first.']);
  }
  const plan: MigrationPlan = {
    status: migration.steps.length ? 'changes' : 'unchanged', steps: migration.steps, sql: migration.sql,
    confirm: migration.steps.filter(s => s.destructive || s.guess), notes: migration.notes, problems: [],
  };
  if (options.down) { plan.downSql = renderMigrationSql(diffSchemas(target, from.outcome.snapshot).steps); }
  if (verify && migration.steps.length) {
    // The comparison is made here, on the host, from the schema the worker read after applying the SQL.
    const differences = migration.applied ? snapshotDifferences(migration.applied, target) : ['the schema after the migration could not be read'];
    const shown = own.filter(p => p.severity !== 'info');
    plan.verified = { ok: differences.length === 0 && errorsIn(own).length === 0, differences: [...shown.map(p => `line ${p.line}: ${p.message}`), ...differences] };
  }
  return plan;
}

/** Where the schema the migrations build differs from `target`, in words (empty when they match). */
export async function compareWithMigrations(request: MigrationRequest, options: SqlValidatorOptions = {}): Promise<{ differences: string[]; problems: ArtifactProblem[] }> {
  const plan = await planMigration(request, { ...options, verify: false });
  return { differences: [...plan.steps.map(s => s.summary), ...plan.notes.filter(n => !plan.steps.some(s => s.summary === n))], problems: plan.problems };
}
