/**
 * Schema vs migrations: builds the schema a folder's migrations make and the target schema (a schema file,
 * an answer's DDL) in Postgres (PGlite in the SQL checker's worker, each in a rolled-back transaction),
 * compares their catalogs, writes the SQL from one to the other, and proves it by applying the migrations
 * plus that SQL and comparing again. Pure of `vscode`; the CLI's `migrate` and the extension both use it.
 */
import type { ArtifactProblem } from '../types';
import { MigrationStep } from './diffSupport';
import { diffSchemas } from './schemaDiff';
import { snapshotDifferences } from './schemaCompare';
import type { SchemaSnapshot } from './schemaSnapshot';
import { resolveSqlValidatorOptions, SqlValidatorOptions } from './sqlValidator';
import { sqlValidatorFor } from './validateSql';

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
  ({ status: 'failed', steps: [], sql: '', confirm: [], notes, problems, });

/** Runs `files` in one rolled-back transaction and reads the schema they built; errors mean no schema. */
async function buildSchema(files: SqlFile[], options: SqlValidatorOptions, what: string):
  Promise<{ snapshot?: SchemaSnapshot; problems: ArtifactProblem[] }> {
  const o = resolveSqlValidatorOptions(options);
  const limits = { timeoutMs: o.timeoutMs, maxRssGrowthMb: o.maxRssGrowthMb, maxChars: o.maxChars, maxStatements: o.maxStatements, maxErrors: o.maxErrors };
  const outcome = await sqlValidatorFor(options).check(files.map(f => ({ name: f.path, text: f.content })), limits, false, true);
  if (outcome.unavailable) {
    return { problems: [{ line: 1, severity: 'error', source: 'sql', message: `${what} could not be built: ${outcome.unavailable}` }] };
  }
  const problems = outcome.problems.map(p => ({ ...p.problem, file: files[p.unit]?.path }));
  if (outcome.stats?.firstRefusedUnit !== undefined) {
    return { problems: [...problems, { line: 1, severity: 'error', source: 'sql-limits', message: `${what} is over the checker's limits` }] };
  }
  return { snapshot: outcome.snapshot, problems };
}

/** The migration's text: one statement a line group, each destructive step or guess announced above it. */
export function renderMigrationSql(steps: MigrationStep[], heading?: string): string {
  if (steps.length === 0) { return '-- No changes: the migrations already build this schema.\n'; }
  const out: string[] = heading ? [`-- ${heading}`] : [];
  const destructive = steps.filter(s => s.destructive).length;
  const guesses = steps.filter(s => s.guess).length;
  if (destructive || guesses) {
    out.push(`-- Read before applying: ${[destructive ? `${destructive} destructive step${destructive === 1 ? '' : 's'} (DESTRUCTIVE)` : '', guesses ? `${guesses} guess${guesses === 1 ? '' : 'es'} (GUESS)` : ''].filter(Boolean).join(' and ')}.`);
  }
  let phase: number | undefined;
  for (const s of steps) {
    if (phase !== undefined && s.phase !== phase) { out.push(''); }
    phase = s.phase;
    if (s.destructive) { out.push(`-- DESTRUCTIVE: ${s.destructive}`); }
    if (s.guess) { out.push(`-- GUESS: ${s.guess}`); }
    if (s.warning && !s.sql.startsWith('--')) { out.push(`-- note: ${s.warning}`); }
    out.push(s.sql);
  }
  return `${out.join('\n')}\n`;
}

const errorsIn = (problems: ArtifactProblem[]): ArtifactProblem[] => problems.filter(p => p.severity === 'error');

/**
 * The next migration from the schema `migrations` build to `target`. Never rejects: a migration that does
 * not apply, a target Postgres refuses, or a checker that cannot start come back as `failed` with problems.
 */
export async function planMigration(request: MigrationRequest, options: MigrationOptions = {}): Promise<MigrationPlan> {
  const targetFiles = typeof request.target === 'string' ? [{ path: 'target', content: request.target }] : request.target;
  const from = await buildSchema(request.migrations, options, 'the migrations\' schema');
  if (!from.snapshot || errorsIn(from.problems).length) {
    return failed(errorsIn(from.problems), ['The migrations do not apply cleanly in Postgres: fix them first.']);
  }
  const to = await buildSchema(targetFiles, options, 'the target schema');
  if (!to.snapshot || errorsIn(to.problems).length) {
    return failed(errorsIn(to.problems), ['The target schema does not run cleanly in Postgres: fix it first.']);
  }
  const diff = diffSchemas(from.snapshot, to.snapshot);
  const sql = renderMigrationSql(diff.steps);
  const plan: MigrationPlan = {
    status: diff.steps.length ? 'changes' : 'unchanged', steps: diff.steps, sql,
    confirm: diff.steps.filter(s => s.destructive || s.guess), notes: diff.notes, problems: [],
  };
  if (options.down) { plan.downSql = renderMigrationSql(diffSchemas(to.snapshot, from.snapshot).steps); }
  if (options.verify !== false && diff.steps.length) {
    // A tool runs the new file in a fresh session: settings the old ones made (pg_dump empties search_path) are gone.
    const fresh = { path: 'new session', content: 'RESET search_path;' };
    const applied = await buildSchema([...request.migrations, fresh, { path: 'next migration', content: sql }], options, 'the migrations with the new one');
    const own = applied.problems.filter(p => p.file === 'next migration' && p.severity !== 'info');
    const differences = applied.snapshot ? snapshotDifferences(applied.snapshot, to.snapshot) : ['the schema could not be read'];
    plan.verified = { ok: differences.length === 0 && errorsIn(own).length === 0, differences: [...own.map(p => `line ${p.line}: ${p.message}`), ...differences] };
  }
  return plan;
}

/** Where the schema the migrations build differs from `target`, in words (empty when they match). */
export async function compareWithMigrations(request: MigrationRequest, options: SqlValidatorOptions = {}): Promise<{ differences: string[]; problems: ArtifactProblem[] }> {
  const plan = await planMigration(request, { ...options, verify: false });
  return { differences: [...plan.steps.map(s => s.summary), ...plan.notes.filter(n => !plan.steps.some(s => s.summary === n))], problems: plan.problems };
}
