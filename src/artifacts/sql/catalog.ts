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
  /** What the table view shows beyond the ER diagram; absent in snapshots taken before it existed. */
  details?: CatalogDetails;
}

/** A relation the ER diagram leaves out but the table view lists: a partition, a view, a materialized view. */
export interface CatalogRelation {
  oid: number;
  schema: string;
  name: string;
  columns: CatalogColumn[];
  /** For a partition: the oid of its parent and its bound as Postgres prints it (`FOR VALUES FROM (...) TO (...)`). */
  parent?: number;
  bound?: string;
  /** `v` view, `m` materialized view (views only). */
  kind?: 'v' | 'm';
}

/**
 * The rest of the catalog, for the table view and `validate --json`: defaults, checks, every index, enums,
 * partitions (with their own keys) and views. Expressions are printed by Postgres itself (`pg_get_expr`,
 * `pg_get_constraintdef`, `pg_get_indexdef`), so they read as Postgres understood them.
 */
export interface CatalogDetails {
  /** Column defaults; `kind` says whether it is a DEFAULT, a stored generated column or an identity. */
  defaults: Array<{ table: number; num: number; expr: string; kind: 'default' | 'generated' | 'identity' }>;
  checks: Array<{ table: number; name: string; definition: string }>;
  /** Foreign keys as Postgres prints them, with their ON DELETE / ON UPDATE rules. */
  foreignKeyDefinitions: Array<{ table: number; name: string; definition: string }>;
  indexes: Array<{ table: number; name: string; unique: boolean; primary: boolean; columns: number[]; definition: string }>;
  enums: Array<{ schema: string; name: string; values: string[] }>;
  /** `PARTITION BY ...` of partitioned tables. */
  partitionKeys: Array<{ table: number; key: string }>;
  partitions: CatalogRelation[];
  /** Keys of the partitions (Postgres clones the parent's onto each). */
  partitionConstraints: CatalogConstraint[];
  views: CatalogRelation[];
}

/** Columns of a relation, as the tables' columns are read. */
const columnsOf = (rel: string): string => `(SELECT coalesce(json_agg(json_build_object(
          'name', a.attname, 'type', pg_catalog.format_type(a.atttypid, a.atttypmod),
          'notNull', a.attnotnull, 'num', a.attnum) ORDER BY a.attnum), '[]'::json)
        FROM pg_catalog.pg_attribute a WHERE a.attrelid = ${rel} AND a.attnum > 0 AND NOT a.attisdropped)`;

/**
 * The details of CatalogDetails, as one scalar subquery with its own relation list: every table, partition
 * and view outside the system schemas (and not owned by an extension).
 */
const detailsQuery = `WITH rels AS (
    SELECT c.oid, n.nspname AS schema, c.relname AS name, c.relkind, c.relispartition
    FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'v', 'm')
      AND n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'
      AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                      WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
  )
  SELECT json_build_object(
    'defaults', (SELECT coalesce(json_agg(json_build_object('table', a.attrelid::int8, 'num', a.attnum,
        'expr', CASE WHEN a.attidentity <> '' THEN 'generated ' || CASE a.attidentity WHEN 'a' THEN 'always' ELSE 'by default' END || ' as identity'
                     ELSE pg_catalog.pg_get_expr(d.adbin, d.adrelid) END,
        'kind', CASE WHEN a.attidentity <> '' THEN 'identity' WHEN a.attgenerated <> '' THEN 'generated' ELSE 'default' END)
        ORDER BY a.attrelid, a.attnum), '[]'::json)
      FROM pg_catalog.pg_attribute a LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE a.attrelid IN (SELECT oid FROM rels WHERE relkind IN ('r', 'p')) AND a.attnum > 0 AND NOT a.attisdropped
        AND (d.adbin IS NOT NULL OR a.attidentity <> '')),
    'checks', (SELECT coalesce(json_agg(json_build_object('table', co.conrelid::int8, 'name', co.conname,
        'definition', pg_catalog.pg_get_constraintdef(co.oid, true)) ORDER BY co.conrelid, co.conname), '[]'::json)
      FROM pg_catalog.pg_constraint co WHERE co.contype = 'c' AND co.conrelid IN (SELECT oid FROM rels)),
    'foreignKeyDefinitions', (SELECT coalesce(json_agg(json_build_object('table', co.conrelid::int8, 'name', co.conname,
        'definition', pg_catalog.pg_get_constraintdef(co.oid, true)) ORDER BY co.conrelid, co.conname), '[]'::json)
      FROM pg_catalog.pg_constraint co WHERE co.contype = 'f' AND co.conrelid IN (SELECT oid FROM rels)),
    'indexes', (SELECT coalesce(json_agg(json_build_object('table', i.indrelid::int8, 'name', ic.relname,
        'unique', i.indisunique, 'primary', i.indisprimary, 'columns', i.indkey::int2[],
        'definition', pg_catalog.pg_get_indexdef(i.indexrelid)) ORDER BY i.indrelid, ic.relname), '[]'::json)
      FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
      WHERE i.indrelid IN (SELECT oid FROM rels)),
    'enums', (SELECT coalesce(json_agg(json_build_object('schema', n.nspname, 'name', t.typname,
        'values', (SELECT json_agg(e.enumlabel ORDER BY e.enumsortorder) FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid))
        ORDER BY n.nspname, t.typname), '[]'::json)
      FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
      WHERE t.typtype = 'e' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
        AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                        WHERE d.classid = 'pg_catalog.pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')),
    'partitionKeys', (SELECT coalesce(json_agg(json_build_object('table', r.oid::int8,
        'key', pg_catalog.pg_get_partkeydef(r.oid)) ORDER BY r.oid), '[]'::json)
      FROM rels r WHERE r.relkind = 'p'),
    'partitions', (SELECT coalesce(json_agg(json_build_object('oid', r.oid::int8, 'schema', r.schema, 'name', r.name,
        'parent', (SELECT inh.inhparent::int8 FROM pg_catalog.pg_inherits inh WHERE inh.inhrelid = r.oid LIMIT 1),
        'bound', (SELECT pg_catalog.pg_get_expr(c.relpartbound, c.oid) FROM pg_catalog.pg_class c WHERE c.oid = r.oid),
        'columns', ${columnsOf('r.oid')}) ORDER BY r.schema, r.name), '[]'::json)
      FROM rels r WHERE r.relispartition AND r.relkind IN ('r', 'p')),
    'partitionConstraints', (SELECT coalesce(json_agg(json_build_object(
        'table', co.conrelid::int8, 'name', co.conname, 'type', co.contype, 'columns', co.conkey,
        'refTable', nullif(co.confrelid::int8, 0), 'refColumns', co.confkey) ORDER BY co.conrelid, co.conname), '[]'::json)
      FROM pg_catalog.pg_constraint co
      WHERE co.contype IN ('p', 'u', 'f') AND co.conrelid IN (SELECT oid FROM rels WHERE relispartition)),
    'views', (SELECT coalesce(json_agg(json_build_object('oid', r.oid::int8, 'schema', r.schema, 'name', r.name,
        'kind', r.relkind, 'columns', ${columnsOf('r.oid')}) ORDER BY r.schema, r.name), '[]'::json)
      FROM rels r WHERE r.relkind IN ('v', 'm'))
  )`;

/**
 * One round trip for the whole catalog. Partitions, clones of partitioned constraints and tables owned
 * by extensions are left out: they are not part of the schema a person designs.
 */
export const catalogQuery: string = `
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
    WHERE i.indisunique AND i.indpred IS NULL AND i.indexprs IS NULL AND i.indrelid IN (SELECT oid FROM tables)),
  'details', (${detailsQuery})
) AS catalog`;

/** Reads the query's single JSON value (PGlite may hand it back parsed or as text). */
export function catalogFromRow(value: unknown): Catalog {
  const parsed = (typeof value === 'string' ? JSON.parse(value) : value) as Partial<Catalog> | null;
  return {
    tables: parsed?.tables ?? [],
    constraints: (parsed?.constraints ?? []).map(c => ({ ...c, refTable: c.refTable ?? undefined, refColumns: c.refColumns ?? undefined })),
    uniqueIndexes: parsed?.uniqueIndexes ?? [],
    ...(parsed?.details ? { details: {
      ...parsed.details,
      partitionConstraints: (parsed.details.partitionConstraints ?? []).map(c => ({ ...c, refTable: c.refTable ?? undefined, refColumns: c.refColumns ?? undefined })),
    } } : {}),
  };
}
