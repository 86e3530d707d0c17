/**
 * Public entry points of the SQL checker: run a script, or a folder of migrations in order, inside
 * Postgres (PGlite in a worker thread), rolled back afterwards, and report every problem on its line.
 * Also draws the ER diagram of what Postgres built. Pure of `vscode`; the CLI uses it too.
 */
import type { ArtifactProblem, DerivedArtifact, ValidationResult, ValidationStatus } from '../types';
import { erDiagramFromCatalog } from './erDiagram';
import { tableModel } from './tableModel';
import { CheckLimits, resolveSqlValidatorOptions, SqlCheckOutcome, SqlValidator, SqlValidatorOptions } from './sqlValidator';

export { compareErDiagrams, erDiagramFromCatalog, parseMermaidEr } from './erDiagram';
export type { SqlValidatorOptions } from './sqlValidator';

interface Shared { key: string; validator: SqlValidator }
/**
 * The process's validator lives on a global slot, not in this module: the CLI's small entry (src/cliEntry.ts)
 * starts the worker while the rest of the CLI, a bundle with its own copy of this module, is still loading.
 */
const slot = Symbol.for('backend-architect.sqlValidator');
const store = globalThis as { [slot]?: Shared };

/**
 * The validator for these options: one per process, replaced (and the old worker stopped) only when
 * settings that shape the worker change. Per-check limits go with each check (see `limitsOf`).
 */
export function sqlValidatorFor(options: SqlValidatorOptions = {}): SqlValidator {
  const resolved = resolveSqlValidatorOptions(options);
  const { workerPath, dataDumpPath, extensionsDir, maxWasmMemoryMb, maxOldGenerationSizeMb, tempFileLimitMb } = resolved;
  const key = JSON.stringify([workerPath, dataDumpPath, extensionsDir, maxWasmMemoryMb, maxOldGenerationSizeMb, tempFileLimitMb]);
  const shared = store[slot];
  if (shared?.key === key) {
    // Start timeout and idle time apply from now on; they do not need a new worker.
    Object.assign(shared.validator.options, { startTimeoutMs: resolved.startTimeoutMs, idleMs: resolved.idleMs });
    return shared.validator;
  }
  void shared?.validator.shutdown();
  const validator = new SqlValidator(resolved);
  store[slot] = { key, validator };
  return validator;
}

/** The per-check limits from a call's options (defaults filled in). */
export function limitsOf(options: SqlValidatorOptions): CheckLimits {
  const { timeoutMs, maxRssGrowthMb, maxChars, maxStatements, maxErrors } = resolveSqlValidatorOptions(options);
  return { timeoutMs, maxRssGrowthMb, maxChars, maxStatements, maxErrors };
}

/** Stops the worker (for deactivate, and for tests and the CLI when they are done). */
export async function shutdownSqlValidator(): Promise<void> {
  const current = store[slot];
  store[slot] = undefined;
  await current?.validator.shutdown();
}

const byPosition = (a: ArtifactProblem, b: ArtifactProblem): number => a.line - b.line || (a.column ?? 0) - (b.column ?? 0);

function statusOf(problems: ArtifactProblem[]): ValidationStatus {
  return problems.some(p => p.severity === 'error') ? 'invalid' : 'valid';
}

function unavailable(reason: string): ValidationResult {
  return { status: 'unchecked', problems: [{ line: 1, severity: 'info', source: 'sql', message: `SQL not checked: ${reason}` }] };
}

function derivedEr(outcome: SqlCheckOutcome): DerivedArtifact[] | undefined {
  const content = outcome.catalog ? erDiagramFromCatalog(outcome.catalog) : '';
  return content ? [{ kind: 'mermaid', language: 'mermaid', title: 'ER diagram of the schema Postgres built', content }] : undefined;
}

/** The ER diagram and the table model of what Postgres built, when the check read its catalog. */
function builtSchema(outcome: SqlCheckOutcome): Pick<ValidationResult, 'derived' | 'tables'> {
  const derived = derivedEr(outcome);
  return {
    ...(derived ? { derived } : {}),
    ...(outcome.catalog ? { tables: tableModel(outcome.catalog, derived?.[0].content) } : {}),
  };
}

/**
 * Checks a SQL script (schema, migration or pg_dump output) by running it in Postgres. `valid` means
 * nothing failed; skipped statements (DO, COPY, psql meta-commands, ...) come back as warnings or
 * notes. `derived` holds the ER diagram of the schema Postgres built, when it has tables.
 */
export async function validateSql(text: string, options: SqlValidatorOptions = {}): Promise<ValidationResult> {
  const outcome = await sqlValidatorFor(options).check([{ text }], limitsOf(options));
  if (outcome.unavailable) { return unavailable(outcome.unavailable); }
  const problems = outcome.problems.map(p => p.problem).sort(byPosition);
  if (outcome.stats?.firstRefusedUnit !== undefined) { return { status: 'unchecked', problems }; }
  return { status: statusOf(problems), problems, ...builtSchema(outcome) };
}

/** Per-file part of validateMigrations' result. */
export interface MigrationFileResult {
  path: string;
  status: ValidationStatus;
  problems: ArtifactProblem[];
}

/**
 * Applies migrations in the order given (the caller sorts them) in one transaction, then rolls back.
 * Each problem names its file (`file`) and its line in that file; `perFile` splits them by file.
 */
export async function validateMigrations(files: Array<{ path: string; content: string }>, options: SqlValidatorOptions = {}):
  Promise<ValidationResult & { perFile: MigrationFileResult[] }> {
  const outcome = await sqlValidatorFor(options).check(files.map(f => ({ name: f.path, text: f.content })), limitsOf(options));
  if (outcome.unavailable) {
    const result = unavailable(outcome.unavailable);
    return { ...result, perFile: files.map(f => ({ path: f.path, status: 'unchecked', problems: [] })) };
  }
  // A file over the limits is not run, and neither are the files after it (they build on it).
  const refusedFrom = outcome.stats?.firstRefusedUnit ?? files.length;
  const perFile = files.map((f, unit): MigrationFileResult => {
    const problems = outcome.problems.filter(p => p.unit === unit).map(p => ({ ...p.problem, file: f.path })).sort(byPosition);
    return { path: f.path, status: unit >= refusedFrom ? 'unchecked' : statusOf(problems), problems };
  });
  const problems = perFile.flatMap(f => f.problems);
  const status = statusOf(problems) === 'invalid' ? 'invalid' : refusedFrom < files.length ? 'unchecked' : 'valid';
  return { status, problems, perFile, ...builtSchema(outcome) };
}
