/**
 * What the schema diff's parts share: the step they produce, the phases that order steps, and how names
 * and literals are written into SQL. Pure.
 */
import type { SchemaSnapshot } from './schemaSnapshot';

/**
 * Order of the steps in a migration: what others depend on is created first, what is dropped goes last
 * (and whatever blocks a change, such as a view over a changed column, is dropped first and recreated).
 */
export enum Phase {
  DropViews, DropTriggers, DropForeignKeys, DropConstraints, RenameTables, CreateSchemas, CreateExtensions,
  CreateTypes, CreateSequences, CreateFunctions, CreateTables, AlterColumns, AddConstraints, CreateIndexes,
  AddForeignKeys, CreateViews, CreateTriggers, DropColumns, DropTables, DropFunctions, DropTypes, DropSequences,
  DropExtensions, DropSchemas,
}

/** One statement of the migration, with what it does in words and whether it needs a person's yes. */
export interface MigrationStep {
  phase: Phase;
  sql: string;
  /** One line for a list of changes: `table orders: added`. */
  summary: string;
  /** Set when the step loses data (or may): why. A writer must confirm these before writing. */
  destructive?: string;
  /** Set when the step rests on a guess (a rename): what was guessed. Confirm these too. */
  guess?: string;
  /** Set when the step may fail on a database with rows, though it loses nothing: why. */
  warning?: string;
}

/** How names are written: bare when Postgres would read them back unchanged, quoted otherwise. */
export class SqlNames {
  private readonly keywords: Set<string>;

  constructor(snapshots: SchemaSnapshot[]) {
    this.keywords = new Set(snapshots.flatMap(s => s.keywords));
  }

  ident(name: string): string {
    return /^[a-z_][a-z0-9_$]*$/.test(name) && !this.keywords.has(name) ? name : `"${name.replace(/"/g, '""')}"`;
  }

  /** `schema.name`, or the bare name in public (the migration runs with the default search_path). */
  qualified(o: { schema: string; name: string }): string {
    return o.schema === 'public' ? this.ident(o.name) : `${this.ident(o.schema)}.${this.ident(o.name)}`;
  }
}

export const literal = (s: string): string => `'${s.replace(/'/g, "''")}'`;

/**
 * Orders keys so each comes after those it depends on (ties by name, so output is stable). Dependencies on
 * keys outside the set are ignored; a cycle is broken at its first key by name.
 */
export function dependencyOrder(keys: string[], dependsOn: (key: string) => string[]): string[] {
  const inSet = new Set(keys);
  const done = new Set<string>();
  const visiting = new Set<string>();
  const out: string[] = [];
  const visit = (k: string): void => {
    if (done.has(k) || visiting.has(k)) { return; }
    visiting.add(k);
    for (const d of [...dependsOn(k)].sort()) { if (inSet.has(d) && d !== k) { visit(d); } }
    visiting.delete(k);
    done.add(k);
    out.push(k);
  };
  [...keys].sort().forEach(visit);
  return out;
}

/**
 * Whether changing a column's type from `from` to `to` keeps every value: the common widenings. Anything
 * else is converted with a cast that may fail or lose precision, and is marked destructive.
 */
export function isWidening(from: string, to: string): boolean {
  const varchar = /^character varying(?:\((\d+)\))?$/;
  const numeric = /^numeric(?:\((\d+),(\d+)\))?$/;
  const ints = ['smallint', 'integer', 'bigint'];
  if (ints.includes(from) && ints.includes(to)) { return ints.indexOf(to) >= ints.indexOf(from); }
  if (ints.includes(from) && /^numeric$/.test(to)) { return true; }
  if (from === 'real' && to === 'double precision') { return true; }
  const fv = varchar.exec(from);
  const tv = varchar.exec(to);
  if (fv && to === 'text') { return true; }
  // varchar(n) to varchar(m >= n) or to unbounded varchar.
  if (fv && tv) { return !tv[1] || (!!fv[1] && Number(tv[1]) >= Number(fv[1])); }
  const fn = numeric.exec(from);
  const tn = numeric.exec(to);
  if (fn && tn) {
    if (!tn[1]) { return true; }
    return !!fn[1] && fn[2] === tn[2] && Number(tn[1]) >= Number(fn[1]);
  }
  return false;
}
