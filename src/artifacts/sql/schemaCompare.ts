/**
 * How two schema snapshots are compared: the canonical form of each object, with what a migration cannot
 * or need not reproduce left aside (names Postgres generates for constraints, indexes and serial sequences,
 * and column order). The diff engine matches objects by these keys, and the migration tests compare whole
 * canonical snapshots, so a kind of object the engine forgets shows up as a difference. Pure.
 */
import type { SchemaSnapshot, SnapshotColumn, SnapshotConstraint, SnapshotTable } from './schemaSnapshot';

export const tableKey = (t: { schema: string; name: string }): string => `${t.schema}.${t.name}`;

/** A column's default with an owned (serial) sequence's name left aside. */
export function defaultKey(c: SnapshotColumn): string | undefined {
  if (c.ownedSequence && c.default && /^nextval\(/.test(c.default)) { return 'nextval(<owned sequence>)'; }
  return c.default;
}

/**
 * A constraint's definition with a foreign key's target named through `renames` (old table key to new),
 * so a foreign key to a renamed table still matches its counterpart.
 */
export function constraintKey(c: SnapshotConstraint, renames: ReadonlyMap<string, string> = new Map()): string {
  if (c.type !== 'f' || !c.refText || c.refTable === undefined || c.refSchema === undefined) { return `${c.type}:${c.definition}`; }
  const target = tableKey({ schema: c.refSchema, name: c.refTable });
  return `f:${c.definition.replace(`REFERENCES ${c.refText}(`, `REFERENCES <${renames.get(target) ?? target}>(`)}`;
}

/** An index definition without its own name and its table's (`UNIQUE` kept): from ` USING ` on. */
export function indexKey(definition: string): string {
  const using = definition.indexOf(' USING ');
  return `${/^CREATE UNIQUE /.test(definition) ? 'unique ' : ''}${using === -1 ? definition : definition.slice(using + 1)}`;
}

function canonicalTable(t: SnapshotTable): unknown {
  const columns = Object.fromEntries([...t.columns].sort((a, b) => a.name.localeCompare(b.name)).map(c => [c.name, {
    type: c.type, notNull: c.notNull, default: defaultKey(c) ?? null, identity: c.identity ?? null, generated: c.generated ?? null,
  }]));
  return {
    partitionKey: t.partitionKey ?? null,
    partitionOf: t.partitionOf ? `${tableKey(t.partitionOf)} ${t.partitionOf.bound}` : null,
    columns,
    constraints: t.constraints.map(c => constraintKey(c)).sort(),
    indexes: t.indexes.map(i => indexKey(i.definition)).sort(),
  };
}

/** The whole snapshot in canonical form: plain objects keyed by name, lists sorted. */
export function canonicalSnapshot(s: SchemaSnapshot): Record<string, unknown> {
  const byKey = <T extends { schema: string; name: string }>(xs: T[], f: (x: T) => unknown): Record<string, unknown> =>
    Object.fromEntries(xs.map(x => [tableKey(x), f(x)]).sort((a, b) => String(a[0]).localeCompare(String(b[0]))));
  return {
    schemas: [...s.schemas].sort(),
    extensions: [...s.extensions].sort(),
    enums: byKey(s.enums, e => e.labels),
    domains: byKey(s.domains, d => ({ type: d.type, notNull: d.notNull, default: d.default ?? null, checks: [...d.checks].sort() })),
    sequences: s.sequences.map(tableKey).sort(),
    tables: byKey(s.tables, canonicalTable),
    views: byKey(s.views, v => ({ materialized: v.materialized, definition: v.definition })),
    functions: Object.fromEntries(s.functions.map(f => [`${tableKey(f)}(${f.args})`, f.definition]).sort()),
    triggers: Object.fromEntries(s.triggers.map(t => [`${t.schema}.${t.table}.${t.name}`, t.definition]).sort()),
  };
}

function describe(value: unknown): string {
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

function walk(a: unknown, b: unknown, at: string, out: string[]): void {
  if (JSON.stringify(a) === JSON.stringify(b)) { return; }
  const isObject = (x: unknown): x is Record<string, unknown> => !!x && typeof x === 'object' && !Array.isArray(x);
  if (isObject(a) && isObject(b)) {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const where = at ? `${at} > ${key}` : key;
      if (!(key in b)) { out.push(`${where}: only in the first schema`); } else if (!(key in a)) { out.push(`${where}: only in the second schema`); } else { walk(a[key], b[key], where, out); }
    }
    return;
  }
  out.push(`${at}: ${describe(a)} in the first schema, ${describe(b)} in the second`);
}

/**
 * Where two schemas differ, one line per difference (`tables > public.users > columns > email: only in the
 * second schema`); empty when they match in every compared respect.
 */
export function snapshotDifferences(a: SchemaSnapshot, b: SchemaSnapshot): string[] {
  const out: string[] = [];
  walk(canonicalSnapshot(a), canonicalSnapshot(b), '', out);
  return out;
}
