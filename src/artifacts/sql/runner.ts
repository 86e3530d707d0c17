/**
 * Runs planned statements in one transaction that is always rolled back, one statement at a time inside
 * a savepoint, so every failure lands on its own line and the statements after it are still checked.
 * Runs in the worker; knows nothing of threads (the database is handed in).
 */
import type { ArtifactProblem } from '../types';
import { Catalog, catalogFromRow, catalogQuery } from './catalog';
import { SchemaSnapshot, snapshotFromRow, snapshotQuery } from './schemaSnapshot';
import { advanceCodePoints, codePointLength, TextIndex } from './positions';
import type { PlannedStatement, ScriptPlan } from './statements';

/** The part of PGlite the runner needs. */
export interface Db {
  exec(sql: string): Promise<unknown>;
  query<T>(sql: string): Promise<{ rows: T[] }>;
}

/** Fields of a Postgres error as PGlite raises it. `line` is Postgres's own source line: never shown. */
interface PgError {
  message: string;
  code?: string;
  position?: string | number;
  detail?: string;
  hint?: string;
}

/** How to run, and where to report. */
export interface RunOptions {
  maxErrors: number;
  /** Extensions the script asked for that the checker lacks: errors about missing types and functions become warnings. */
  missingExtensions: string[];
  wantCatalog: boolean;
  wantSnapshot?: boolean;
  /** Called after the snapshot (see runPlans); `apply` runs one more script and reads the schema again. */
  afterSnapshot?(snapshot: SchemaSnapshot, apply: (extra: ScriptPlan) => Promise<SchemaSnapshot>): Promise<void>;
  /** Told which statement is about to run, so a timeout can name it. */
  onStatement(unit: number, statement: PlannedStatement): void;
  onProblem(unit: number, problem: ArtifactProblem): void;
}

/** What running the plans came to. */
export interface RunOutcome {
  executed: number;
  failed: number;
  stoppedEarly: boolean;
  catalog?: Catalog;
  snapshot?: SchemaSnapshot;
}

const savepoint = 'SAVEPOINT ba_check; ';
const savepointLength = codePointLength(savepoint);

/** Where an error without a position most likely points: the first name it quotes, found in the statement. */
function guessIndex(message: string, sql: string): number | undefined {
  const quoted = /"([^"]+)"/.exec(message)?.[1];
  const name = quoted?.split('.').pop();
  if (!name) { return undefined; }
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`(?<![\\p{L}\\p{N}_$])"?${escaped}"?(?![\\p{L}\\p{N}_$])`, 'iu').exec(sql);
  return m ? m.index : undefined;
}

/** Turns a Postgres error for one statement into a problem on the person's line and column. */
export function problemFromError(e: PgError, statement: PlannedStatement, sql: string, index: TextIndex,
  missingExtensions: string[], prefixCodePoints = 0): ArtifactProblem {
  const position = Number(e.position);
  let offset: number | undefined;
  if (Number.isFinite(position) && position > prefixCodePoints) {
    offset = advanceCodePoints(sql, 0, position - 1 - prefixCodePoints);
  } else {
    offset = guessIndex(e.message, sql);
  }
  const at = index.at(statement.start + (offset ?? 0));
  let message = e.message + (e.detail ? `. ${e.detail}` : '') + (e.hint ? ` (hint: ${e.hint})` : '');
  let severity: ArtifactProblem['severity'] = 'error';
  if (missingExtensions.length && (e.code === '42704' || e.code === '42883')) {
    severity = 'warning';
    message += ` (perhaps from extension ${missingExtensions.join(', ')}, which the checker does not have)`;
  } else if (e.code === '55P04') {
    // A new enum value used in the same transaction: fine when migrations run one transaction each.
    severity = 'warning';
    message += ' (it would work if the ALTER TYPE ... ADD VALUE were committed first)';
  }
  return { line: at.line, column: at.column, message, severity, source: `postgres:${e.code ?? 'error'}` };
}

async function runStatement(db: Db, statement: PlannedStatement & { verdict: { action: 'run' } }): Promise<PgError | undefined> {
  try {
    // One round trip: the savepoint, the statement, the release. A trailing comment in the statement
    // cannot swallow the release: it starts on its own line.
    await db.exec(`${savepoint}${statement.verdict.sql}\n;RELEASE SAVEPOINT ba_check`);
    return undefined;
  } catch (e) {
    await db.exec('ROLLBACK TO SAVEPOINT ba_check');
    return e as PgError;
  }
}

/** Runs the units' statements from `firstUnit` on (problems name units by their index). */
async function runUnits(db: Db, plans: ScriptPlan[], firstUnit: number, options: RunOptions, outcome: RunOutcome): Promise<void> {
  for (let u = firstUnit; u < plans.length && !outcome.stoppedEarly; u++) {
    const plan = plans[u];
    const index = new TextIndex(plan.sql);
    for (const statement of plan.statements) {
      if (statement.verdict.action !== 'run') { continue; }
      options.onStatement(u, statement);
      const error = await runStatement(db, statement as PlannedStatement & { verdict: { action: 'run' } });
      outcome.executed++;
      if (!error) { continue; }
      const problem = problemFromError(error, statement, statement.verdict.sql, index, options.missingExtensions, savepointLength);
      options.onProblem(u, problem);
      if (problem.severity === 'error' && ++outcome.failed >= options.maxErrors) {
        options.onProblem(u, { line: problem.line, message: `stopped after ${options.maxErrors} errors; later statements were not checked`, severity: 'info', source: 'sql-limits' });
        outcome.stoppedEarly = true;
        break;
      }
    }
  }
}

async function readSnapshot(db: Db): Promise<SchemaSnapshot> {
  const r = await db.query<{ snapshot: unknown }>(snapshotQuery);
  return snapshotFromRow(r.rows[0]?.snapshot);
}

/**
 * Runs every unit's statements in order in one transaction, reports each failure, reads the catalog
 * (before the rollback) and rolls everything back, whatever happens. With `afterSnapshot`, once the
 * snapshot is read and nothing failed, the hook may run one more script in the same transaction (as in a
 * fresh session: default search_path) and read the schema again: a generated migration, proven.
 */
export async function runPlans(db: Db, plans: ScriptPlan[], options: RunOptions): Promise<RunOutcome> {
  const outcome: RunOutcome = { executed: 0, failed: 0, stoppedEarly: false };
  await db.exec('BEGIN');
  try {
    await runUnits(db, plans, 0, options, outcome);
    if (options.wantCatalog || options.wantSnapshot) {
      // The script may have emptied search_path (pg_dump does): type names read better unqualified.
      await db.exec('SET LOCAL search_path = public');
    }
    if (options.wantCatalog) {
      const r = await db.query<{ catalog: unknown }>(catalogQuery);
      outcome.catalog = catalogFromRow(r.rows[0]?.catalog);
    }
    if (options.wantSnapshot) { outcome.snapshot = await readSnapshot(db); }
    if (options.afterSnapshot && outcome.snapshot && outcome.failed === 0) {
      const snapshot = outcome.snapshot;
      await options.afterSnapshot(snapshot, async extra => {
        await db.exec('SET LOCAL search_path TO DEFAULT');
        await runUnits(db, [...plans, extra], plans.length, options, outcome);
        await db.exec('SET LOCAL search_path = public');
        return readSnapshot(db);
      });
    }
  } finally {
    await db.exec('ROLLBACK');
  }
  return outcome;
}
