/**
 * The table part of the schema diff: CREATE TABLE for new tables, and for tables on both sides the
 * column changes (add, drop, type, default, NOT NULL, identity, generation) and the constraint and index
 * changes, matched by definition rather than by name. Pure.
 */
import { isWidening, MigrationStep, Phase, SqlNames } from './diffSupport';
import { constraintKey, defaultKey, indexKey, tableKey } from './schemaCompare';
import type { SnapshotColumn, SnapshotConstraint, SnapshotTable } from './schemaSnapshot';

/** What the table diff needs from the whole diff. */
export interface TableDiffContext {
  names: SqlNames;
  /** Old table key to new, for tables renamed. */
  renames: ReadonlyMap<string, string>;
  /** Enum types (as column types print them) recreated by the enum diff, which converts their columns itself. */
  recreatedEnumTypes: ReadonlySet<string>;
}

const serialTypes: Record<string, string> = { smallint: 'smallserial', integer: 'serial', bigint: 'bigserial' };

/** True when the column can be written as `serial` (its sequence has the name Postgres would give it). */
function isPlainSerial(t: SnapshotTable, c: SnapshotColumn): boolean {
  return !!c.ownedSequence && !!serialTypes[c.type] && c.ownedSequence === `${t.name}_${c.name}_seq`.slice(0, 63)
    && c.default === `nextval('${t.schema === 'public' ? '' : `${t.schema}.`}${c.ownedSequence}'::regclass)`;
}

/** A column as it is written in CREATE TABLE or ADD COLUMN. */
export function columnSql(t: SnapshotTable, c: SnapshotColumn, names: SqlNames): string {
  const name = names.ident(c.name);
  // serial is NOT NULL already.
  if (isPlainSerial(t, c)) { return `${name} ${serialTypes[c.type]}`; }
  const parts = [name, c.type];
  if (c.identity) { parts.push(`GENERATED ${c.identity === 'a' ? 'ALWAYS' : 'BY DEFAULT'} AS IDENTITY`); }
  if (c.generated && c.default) { parts.push(`GENERATED ALWAYS AS (${c.default}) ${c.generated === 's' ? 'STORED' : 'VIRTUAL'}`); }
  if (!c.generated && c.default) { parts.push(`DEFAULT ${c.default}`); }
  if (c.notNull && !c.identity) { parts.push('NOT NULL'); }
  return parts.join(' ');
}

/** Sequences a new column's default names that `serial` cannot make: created before, owned after. */
function ownedSequenceSteps(t: SnapshotTable, c: SnapshotColumn, names: SqlNames): { before: MigrationStep[]; after: MigrationStep[] } {
  if (!c.ownedSequence || isPlainSerial(t, c)) { return { before: [], after: [] }; }
  const seq = names.qualified({ schema: t.schema, name: c.ownedSequence });
  return {
    before: [{ phase: Phase.CreateSequences, sql: `CREATE SEQUENCE ${seq};`, summary: `sequence ${c.ownedSequence}: added for ${t.name}.${c.name}` }],
    after: [{ phase: Phase.AlterColumns, sql: `ALTER SEQUENCE ${seq} OWNED BY ${names.qualified(t)}.${names.ident(c.name)};`, summary: `sequence ${c.ownedSequence}: owned by ${t.name}.${c.name}` }],
  };
}

/** CREATE TABLE with its columns and its keys, unique and check constraints; foreign keys and indexes come later. */
export function createTableSteps(t: SnapshotTable, ctx: TableDiffContext): MigrationStep[] {
  const { names } = ctx;
  const name = names.qualified(t);
  if (t.partitionOf) {
    const sql = `CREATE TABLE ${name} PARTITION OF ${names.qualified(t.partitionOf)} ${t.partitionOf.bound};`;
    return [{ phase: Phase.CreateTables, sql, summary: `table ${t.name}: added (partition of ${t.partitionOf.name})` }];
  }
  const sequences = t.columns.map(c => ownedSequenceSteps(t, c, names));
  const lines = [
    ...t.columns.map(c => columnSql(t, c, names)),
    ...t.constraints.filter(c => c.type !== 'f').map(c => `CONSTRAINT ${names.ident(c.name)} ${c.definition}`),
  ];
  const sql = `CREATE TABLE ${name} (\n  ${lines.join(',\n  ')}\n)${t.partitionKey ? ` PARTITION BY ${t.partitionKey}` : ''};`;
  return [
    ...sequences.flatMap(s => s.before),
    { phase: Phase.CreateTables, sql, summary: `table ${t.name}: added` },
    ...sequences.flatMap(s => s.after),
  ];
}

/** Foreign keys and indexes of a new table (its other constraints are inside CREATE TABLE). */
export function newTableExtras(t: SnapshotTable, ctx: TableDiffContext): MigrationStep[] {
  const own = t.partitionOf ? t.constraints : t.constraints.filter(c => c.type === 'f');
  return [...own.map(c => addConstraint(t, c, ctx, false)), ...t.indexes.map(i => createIndex(t, i.definition))];
}

function addConstraint(t: SnapshotTable, c: SnapshotConstraint, ctx: TableDiffContext, tableHasRows: boolean): MigrationStep {
  const kind = { p: 'primary key', u: 'unique constraint', f: 'foreign key', c: 'check constraint', x: 'exclusion constraint' }[c.type];
  return {
    phase: c.type === 'f' ? Phase.AddForeignKeys : Phase.AddConstraints,
    sql: `ALTER TABLE ${ctx.names.qualified(t)} ADD CONSTRAINT ${ctx.names.ident(c.name)} ${c.definition};`,
    summary: `${kind} ${c.name} on ${t.name}: added`,
    ...(tableHasRows ? { warning: 'fails if existing rows break it' } : {}),
  };
}

function createIndex(t: SnapshotTable, definition: string): MigrationStep {
  const name = /^CREATE (?:UNIQUE )?INDEX (\S+)/.exec(definition)?.[1] ?? 'index';
  return { phase: Phase.CreateIndexes, sql: `${definition};`, summary: `index ${name} on ${t.name}: added` };
}

/** Multiset difference by key: the items of `xs` with no counterpart left in `ys`. */
function unmatched<T>(xs: T[], ys: T[], keyX: (x: T) => string, keyY: (y: T) => string): T[] {
  const counts = new Map<string, number>();
  for (const y of ys) { counts.set(keyY(y), (counts.get(keyY(y)) ?? 0) + 1); }
  return xs.filter(x => {
    const n = counts.get(keyX(x)) ?? 0;
    if (n > 0) { counts.set(keyX(x), n - 1); return false; }
    return true;
  });
}

/** Constraint and index changes of a table on both sides, matched by definition (names left aside). */
function constraintAndIndexSteps(a: SnapshotTable, b: SnapshotTable, ctx: TableDiffContext): MigrationStep[] {
  const { names, renames } = ctx;
  const steps: MigrationStep[] = [];
  const gone = unmatched(a.constraints, b.constraints, c => constraintKey(c, renames), c => constraintKey(c));
  const added = unmatched(b.constraints, a.constraints, c => constraintKey(c), c => constraintKey(c, renames));
  for (const c of gone) {
    steps.push({
      phase: c.type === 'f' ? Phase.DropForeignKeys : Phase.DropConstraints,
      sql: `ALTER TABLE ${names.qualified(b)} DROP CONSTRAINT ${names.ident(c.name)};`,
      summary: `constraint ${c.name} on ${b.name}: removed`,
    });
  }
  steps.push(...added.map(c => addConstraint(b, c, ctx, true)));
  for (const i of unmatched(a.indexes, b.indexes, x => indexKey(x.definition), x => indexKey(x.definition))) {
    steps.push({ phase: Phase.DropConstraints, sql: `DROP INDEX ${names.qualified({ schema: a.schema, name: i.name })};`, summary: `index ${i.name} on ${b.name}: removed` });
  }
  steps.push(...unmatched(b.indexes, a.indexes, x => indexKey(x.definition), x => indexKey(x.definition)).map(i => createIndex(b, i.definition)));
  return steps;
}

/** The changes of one column present on both sides. */
function columnChangeSteps(t: SnapshotTable, a: SnapshotColumn, b: SnapshotColumn, ctx: TableDiffContext): MigrationStep[] {
  const { names } = ctx;
  const table = names.qualified(t);
  const col = names.ident(b.name);
  const alter = (clause: string, summary: string, extra: Partial<MigrationStep> = {}): MigrationStep =>
    ({ phase: Phase.AlterColumns, sql: `ALTER TABLE ${table} ALTER COLUMN ${col} ${clause};`, summary: `column ${t.name}.${b.name}: ${summary}`, ...extra });
  const typeChanged = a.type !== b.type;
  const generationChanged = a.generated !== b.generated;
  if (generationChanged && b.generated) {
    // A column cannot become generated in place: it is dropped and added again.
    return [
      { phase: Phase.AlterColumns, sql: `ALTER TABLE ${table} DROP COLUMN ${col};`, summary: `column ${t.name}.${b.name}: dropped to become generated`, destructive: `drops the values of ${t.name}.${b.name} (it becomes a generated column)` },
      { phase: Phase.AlterColumns, sql: `ALTER TABLE ${table} ADD COLUMN ${columnSql(t, b, names)};`, summary: `column ${t.name}.${b.name}: added as generated` },
    ];
  }
  const steps: MigrationStep[] = [];
  if (generationChanged) { steps.push(alter('DROP EXPRESSION', 'no longer generated')); }
  const defaultChanged = defaultKey(a) !== defaultKey(b) && !b.generated;
  const identityChanged = a.identity !== b.identity;
  // A default is dropped before a type change (it may not cast) and set again after it.
  if (a.default && !a.generated && (defaultChanged || typeChanged)) { steps.push(alter('DROP DEFAULT', 'default removed')); }
  if (a.identity && identityChanged && !b.identity) { steps.push(alter('DROP IDENTITY', 'identity removed')); }
  if (typeChanged && !ctx.recreatedEnumTypes.has(b.type)) {
    const destructive = isWidening(a.type, b.type) ? {} : { destructive: `converts ${t.name}.${b.name} from ${a.type} to ${b.type}: values that do not convert make it fail, and some may lose precision` };
    steps.push(alter(`TYPE ${b.type} USING ${col}::${b.type}`, `type ${a.type} -> ${b.type}`, destructive));
  }
  if (b.generated && a.generated && a.default !== b.default) { steps.push(alter(`SET EXPRESSION AS (${b.default})`, 'generation expression changed')); }
  if (b.default && !b.generated && (defaultChanged || typeChanged)) {
    if (b.ownedSequence && !a.ownedSequence) {
      const seq = names.qualified({ schema: t.schema, name: b.ownedSequence });
      steps.push({ phase: Phase.AlterColumns, sql: `CREATE SEQUENCE ${seq} OWNED BY ${table}.${col};`, summary: `sequence ${b.ownedSequence}: added for ${t.name}.${b.name}` });
    }
    steps.push(alter(`SET DEFAULT ${b.default}`, `default ${b.default}`));
  }
  if (a.notNull !== b.notNull) {
    steps.push(b.notNull ? alter('SET NOT NULL', 'NOT NULL', { warning: 'fails if the column holds NULLs: fill them first' }) : alter('DROP NOT NULL', 'NULL allowed'));
  }
  if (b.identity && identityChanged) {
    const kind = b.identity === 'a' ? 'ALWAYS' : 'BY DEFAULT';
    steps.push(alter(a.identity ? `SET GENERATED ${kind}` : `ADD GENERATED ${kind} AS IDENTITY`, `identity ${kind.toLowerCase()}`));
  }
  if (a.ownedSequence && !b.ownedSequence) {
    steps.push({ phase: Phase.AlterColumns, sql: `DROP SEQUENCE ${names.qualified({ schema: t.schema, name: a.ownedSequence })};`, summary: `sequence ${a.ownedSequence}: removed` });
  }
  return steps;
}

/** Every change of a table present on both sides (`a` under its old name if it was renamed). */
export function alterTableSteps(a: SnapshotTable, b: SnapshotTable, ctx: TableDiffContext): MigrationStep[] {
  const { names } = ctx;
  const steps: MigrationStep[] = [];
  // A partition's columns follow its parent's: altering them on the partition would fail.
  if (!b.partitionOf) {
    const before = new Map(a.columns.map(c => [c.name, c]));
    const after = new Map(b.columns.map(c => [c.name, c]));
    for (const c of b.columns) {
      const old = before.get(c.name);
      if (!old) {
        const needsRows = c.notNull && !c.default && !c.identity && !isPlainSerial(b, c);
        steps.push({
          phase: Phase.AlterColumns, sql: `ALTER TABLE ${names.qualified(b)} ADD COLUMN ${columnSql(b, c, names)};`, summary: `column ${b.name}.${c.name}: added`,
          ...(needsRows ? { warning: 'NOT NULL without a default: fails if the table has rows' } : {}),
        });
      } else {
        steps.push(...columnChangeSteps(b, old, c, ctx));
      }
    }
    for (const c of a.columns.filter(x => !after.has(x.name))) {
      steps.push({ phase: Phase.DropColumns, sql: `ALTER TABLE ${names.qualified(b)} DROP COLUMN ${names.ident(c.name)};`, summary: `column ${b.name}.${c.name}: removed`, destructive: `drops column ${c.name} of ${b.name} and its data` });
    }
  }
  steps.push(...constraintAndIndexSteps(a, b, ctx));
  if (a.partitionOf?.bound !== b.partitionOf?.bound || a.partitionKey !== b.partitionKey) {
    steps.push({ phase: Phase.AlterColumns, sql: `-- ${b.name}: partitioning changed (${a.partitionKey ?? a.partitionOf?.bound ?? 'none'} -> ${b.partitionKey ?? b.partitionOf?.bound ?? 'none'}); not written: detach and attach it by hand`, summary: `table ${b.name}: partitioning changed (not written)`, warning: 'partitioning changes are not written' });
  }
  return steps;
}

/** DROP TABLE for a table gone from the target. */
export function dropTableStep(t: SnapshotTable, names: SqlNames): MigrationStep {
  return { phase: Phase.DropTables, sql: `DROP TABLE ${names.qualified(t)};`, summary: `table ${t.name}: removed`, destructive: `drops table ${t.name} and all its rows` };
}

/** The rename guessed for a table gone under one name and present under another with the same columns. */
export function renameTableStep(a: SnapshotTable, b: SnapshotTable, names: SqlNames): MigrationStep {
  return {
    phase: Phase.RenameTables, sql: `ALTER TABLE ${names.qualified(a)} RENAME TO ${names.ident(b.name)};`,
    summary: `table ${a.name}: renamed to ${b.name}`,
    guess: `guessed: ${a.name} is gone and ${b.name} has the same columns; if it is not a rename, ${a.name} should be dropped (losing its rows) and ${b.name} created`,
  };
}

/** Columns as a signature, for guessing renames: names and types, in order. */
export function columnSignature(t: SnapshotTable): string {
  return JSON.stringify([t.partitionKey ?? '', t.partitionOf ? tableKey(t.partitionOf) : '', ...t.columns.map(c => `${c.name} ${c.type}`)]);
}

