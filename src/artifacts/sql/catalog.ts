/**
 * The schema Postgres actually built, read from its catalog inside the check's transaction (before the
 * rollback): tables, columns, keys and foreign keys. The ER diagram is drawn from this, not from the text.
 */

export interface CatalogColumn {
  name: string;
  /** As `format_type` prints it, e.g. `character varying(45)`. */
  type: string;
  notNull: boolean;
  /** attnum: what constraint column lists refer to. */
  num: number;
}

export interface CatalogTable {
  oid: number;
  schema: string;
  name: string;
  columns: CatalogColumn[];
}

export interface CatalogConstraint {
  table: number;
  name: string;
  /** `p` primary key, `u` unique, `f` foreign key. */
  type: 'p' | 'u' | 'f';
  columns: number[];
  refTable?: number;
  refColumns?: number[];
}

export interface Catalog {
  tables: CatalogTable[];
  constraints: CatalogConstraint[];
  /** Unique indexes without predicate or expressions (a unique column makes a one-to-one relationship). */
  uniqueIndexes: Array<{ table: number; columns: number[] }>;
}

/**
 * One round trip for the whole catalog. Partitions, clones of partitioned constraints and tables owned
 * by extensions are left out: they are not part of the schema a person designs.
 */
export const catalogQuery = `
WITH tables AS (
  SELECT c.oid, n.nspname AS schema, c.relname AS name
  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
    AND n.nspname NOT IN ('pg_catalog', 'information_schema')
    AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'
    AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                    WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
)
SELECT json_build_object(
  'tables', (SELECT coalesce(json_agg(json_build_object(
      'oid', t.oid::int8, 'schema', t.schema, 'name', t.name,
      'columns', (SELECT coalesce(json_agg(json_build_object(
          'name', a.attname, 'type', pg_catalog.format_type(a.atttypid, a.atttypmod),
          'notNull', a.attnotnull, 'num', a.attnum) ORDER BY a.attnum), '[]'::json)
        FROM pg_catalog.pg_attribute a WHERE a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped)
    ) ORDER BY t.schema, t.name), '[]'::json) FROM tables t),
  'constraints', (SELECT coalesce(json_agg(json_build_object(
      'table', co.conrelid::int8, 'name', co.conname, 'type', co.contype, 'columns', co.conkey,
      'refTable', nullif(co.confrelid::int8, 0), 'refColumns', co.confkey) ORDER BY co.conrelid, co.conname), '[]'::json)
    FROM pg_catalog.pg_constraint co
    WHERE co.contype IN ('p', 'u', 'f') AND co.conparentid = 0 AND co.conrelid IN (SELECT oid FROM tables)),
  'uniqueIndexes', (SELECT coalesce(json_agg(json_build_object('table', i.indrelid::int8, 'columns', i.indkey::int2[])), '[]'::json)
    FROM pg_catalog.pg_index i
    WHERE i.indisunique AND i.indpred IS NULL AND i.indexprs IS NULL AND i.indrelid IN (SELECT oid FROM tables))
) AS catalog`;

/** Reads the query's single JSON value (PGlite may hand it back parsed or as text). */
export function catalogFromRow(value: unknown): Catalog {
  const parsed = (typeof value === 'string' ? JSON.parse(value) : value) as Partial<Catalog> | null;
  return {
    tables: parsed?.tables ?? [],
    constraints: (parsed?.constraints ?? []).map(c => ({ ...c, refTable: c.refTable ?? undefined, refColumns: c.refColumns ?? undefined })),
    uniqueIndexes: parsed?.uniqueIndexes ?? [],
  };
}
