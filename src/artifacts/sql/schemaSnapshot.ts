/**
 * A schema as Postgres built it, read from the catalog in one query inside a check's transaction (before
 * the rollback): schemas, extensions, enums, domains, sequences, tables (with partitions), columns,
 * constraints, indexes, views, functions and triggers. Richer than catalog.ts (which serves the ER
 * diagram): this one holds every definition as Postgres prints it, so two schemas can be compared and the
 * SQL from one to the other written (schemaDiff.ts). Pure: types, the query text and its canonical form.
 */

export interface SnapshotColumn {
  name: string;
  /** As `format_type` prints it with search_path = public, e.g. `character varying(45)`, `status`. */
  type: string;
  notNull: boolean;
  /** The default (or, for a generated column, its expression) as `pg_get_expr` prints it. */
  default?: string;
  /** `a` GENERATED ALWAYS AS IDENTITY, `d` BY DEFAULT. */
  identity?: 'a' | 'd';
  /** `s` stored, `v` virtual generated column. */
  generated?: 's' | 'v';
  /** A sequence owned by this column whose nextval is its default: a serial column. */
  ownedSequence?: string;
}

export interface SnapshotConstraint {
  name: string;
  /** `p` primary key, `u` unique, `f` foreign key, `c` check, `x` exclusion. */
  type: 'p' | 'u' | 'f' | 'c' | 'x';
  /** `pg_get_constraintdef`, e.g. `FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE`. */
  definition: string;
  /** For a foreign key, the referenced table as `regclass` prints it (as it appears in the definition). */
  refText?: string;
  /** For a foreign key, the referenced table. */
  refSchema?: string;
  refTable?: string;
}

export interface SnapshotIndex {
  name: string;
  /** `pg_get_indexdef`: `CREATE [UNIQUE] INDEX name ON schema.table USING ...`. */
  definition: string;
}

export interface SnapshotTable {
  schema: string;
  name: string;
  /** `PARTITION BY` clause of a partitioned table (`pg_get_partkeydef`). */
  partitionKey?: string;
  /** For a partition: its parent and bound (`FOR VALUES ...` or `DEFAULT`). */
  partitionOf?: { schema: string; name: string; bound: string };
  columns: SnapshotColumn[];
  /** Constraints declared on this table (clones of a parent's constraints left out). */
  constraints: SnapshotConstraint[];
  /** Indexes that do not back a constraint and are not clones of a parent's index. */
  indexes: SnapshotIndex[];
}

export interface SnapshotEnum { schema: string; name: string; labels: string[] }
export interface SnapshotDomain { schema: string; name: string; type: string; notNull: boolean; default?: string; checks: string[] }
export interface SnapshotView {
  schema: string;
  name: string;
  materialized: boolean;
  definition: string;
  /** What the view reads: `schema.relation` and `schema.relation.column`. */
  uses: string[];
}
export interface SnapshotFunction { schema: string; name: string; args: string; definition: string }
export interface SnapshotTrigger { schema: string; table: string; name: string; definition: string }
export interface SnapshotSequence { schema: string; name: string }

export interface SchemaSnapshot {
  schemas: string[];
  extensions: string[];
  enums: SnapshotEnum[];
  domains: SnapshotDomain[];
  /** Sequences not owned by a column (owned ones travel with their column, as `serial` or identity). */
  sequences: SnapshotSequence[];
  tables: SnapshotTable[];
  views: SnapshotView[];
  functions: SnapshotFunction[];
  triggers: SnapshotTrigger[];
  /** Postgres's keywords that need quoting as identifiers (everything but unreserved). */
  keywords: string[];
}

/**
 * One round trip for the whole schema, run with search_path = public so names in public print bare.
 * Objects that belong to extensions and system schemas are left out.
 */
export const snapshotQuery = `
WITH ns AS (
  SELECT oid, nspname FROM pg_catalog.pg_namespace
  WHERE nspname NOT IN ('pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg\\_toast%' AND nspname NOT LIKE 'pg\\_temp%'
), ext AS (
  SELECT objid, classid FROM pg_catalog.pg_depend WHERE deptype = 'e'
), rels AS (
  SELECT c.oid, ns.nspname AS schema, c.relname AS name, c.relkind, c.relispartition
  FROM pg_catalog.pg_class c JOIN ns ON ns.oid = c.relnamespace
  WHERE NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_catalog.pg_class'::regclass AND ext.objid = c.oid)
), owned AS (
  SELECT d.refobjid AS rel, d.refobjsubid AS col, s.relname AS seq, s.oid, d.deptype
  FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_class s ON s.oid = d.objid AND s.relkind = 'S'
  WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.refclassid = 'pg_catalog.pg_class'::regclass AND d.deptype IN ('a', 'i')
)
SELECT json_build_object(
  'schemas', (SELECT coalesce(json_agg(nspname ORDER BY nspname), '[]') FROM ns
    WHERE NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_catalog.pg_namespace'::regclass AND ext.objid = ns.oid)),
  'extensions', (SELECT coalesce(json_agg(extname ORDER BY extname), '[]') FROM pg_catalog.pg_extension WHERE extname <> 'plpgsql'),
  'enums', (SELECT coalesce(json_agg(json_build_object('schema', ns.nspname, 'name', t.typname,
      'labels', (SELECT json_agg(e.enumlabel ORDER BY e.enumsortorder) FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid))
      ORDER BY ns.nspname, t.typname), '[]')
    FROM pg_catalog.pg_type t JOIN ns ON ns.oid = t.typnamespace
    WHERE t.typtype = 'e' AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_catalog.pg_type'::regclass AND ext.objid = t.oid)),
  'domains', (SELECT coalesce(json_agg(json_build_object('schema', ns.nspname, 'name', t.typname,
      'type', pg_catalog.format_type(t.typbasetype, t.typtypmod), 'notNull', t.typnotnull, 'default', t.typdefault,
      'checks', (SELECT coalesce(json_agg(pg_catalog.pg_get_constraintdef(co.oid) ORDER BY co.conname), '[]')
                 FROM pg_catalog.pg_constraint co WHERE co.contypid = t.oid AND co.contype = 'c'))
      ORDER BY ns.nspname, t.typname), '[]')
    FROM pg_catalog.pg_type t JOIN ns ON ns.oid = t.typnamespace
    WHERE t.typtype = 'd' AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_catalog.pg_type'::regclass AND ext.objid = t.oid)),
  'sequences', (SELECT coalesce(json_agg(json_build_object('schema', r.schema, 'name', r.name) ORDER BY r.schema, r.name), '[]')
    FROM rels r WHERE r.relkind = 'S' AND NOT EXISTS (SELECT 1 FROM owned o WHERE o.oid = r.oid)),
  'tables', (SELECT coalesce(json_agg(json_build_object(
      'schema', r.schema, 'name', r.name,
      'partitionKey', CASE WHEN r.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(r.oid) END,
      'partitionOf', (SELECT json_build_object('schema', pr.schema, 'name', pr.name,
                        'bound', pg_catalog.pg_get_expr(c.relpartbound, c.oid))
                      FROM pg_catalog.pg_inherits i JOIN rels pr ON pr.oid = i.inhparent JOIN pg_catalog.pg_class c ON c.oid = r.oid
                      WHERE i.inhrelid = r.oid AND r.relispartition),
      'columns', (SELECT coalesce(json_agg(json_build_object(
          'name', a.attname, 'type', pg_catalog.format_type(a.atttypid, a.atttypmod), 'notNull', a.attnotnull,
          'default', pg_catalog.pg_get_expr(ad.adbin, ad.adrelid), 'identity', nullif(a.attidentity, ''),
          'generated', nullif(a.attgenerated, ''),
          'ownedSequence', (SELECT o.seq FROM owned o WHERE o.rel = r.oid AND o.col = a.attnum AND o.deptype = 'a' LIMIT 1))
          ORDER BY a.attnum), '[]')
        FROM pg_catalog.pg_attribute a LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
        WHERE a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped),
      'constraints', (SELECT coalesce(json_agg(json_build_object('name', co.conname, 'type', co.contype,
          'definition', pg_catalog.pg_get_constraintdef(co.oid),
          'refText', CASE WHEN co.contype = 'f' THEN co.confrelid::regclass::text END,
          'refSchema', (SELECT nspname FROM pg_catalog.pg_class fc JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace WHERE fc.oid = co.confrelid),
          'refTable', (SELECT relname FROM pg_catalog.pg_class fc WHERE fc.oid = co.confrelid))
          ORDER BY co.conname), '[]')
        FROM pg_catalog.pg_constraint co WHERE co.conrelid = r.oid AND co.contype IN ('p', 'u', 'f', 'c', 'x') AND co.conparentid = 0),
      'indexes', (SELECT coalesce(json_agg(json_build_object('name', ic.relname, 'definition', pg_catalog.pg_get_indexdef(ix.indexrelid))
          ORDER BY ic.relname), '[]')
        FROM pg_catalog.pg_index ix JOIN pg_catalog.pg_class ic ON ic.oid = ix.indexrelid
        WHERE ix.indrelid = r.oid
          AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint co WHERE co.conindid = ix.indexrelid AND co.conrelid = r.oid)
          AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_inherits i WHERE i.inhrelid = ix.indexrelid))
    ) ORDER BY r.schema, r.name), '[]') FROM rels r WHERE r.relkind IN ('r', 'p')),
  'views', (SELECT coalesce(json_agg(json_build_object('schema', r.schema, 'name', r.name, 'materialized', r.relkind = 'm',
      'definition', pg_catalog.pg_get_viewdef(r.oid),
      'uses', (SELECT coalesce(json_agg(DISTINCT dr.schema || '.' || dr.name || coalesce('.' || da.attname, '')), '[]')
                 FROM pg_catalog.pg_rewrite rw JOIN pg_catalog.pg_depend d ON d.objid = rw.oid AND d.classid = 'pg_catalog.pg_rewrite'::regclass
                 JOIN rels dr ON dr.oid = d.refobjid AND dr.oid <> r.oid
                 LEFT JOIN pg_catalog.pg_attribute da ON da.attrelid = d.refobjid AND da.attnum = d.refobjsubid AND d.refobjsubid > 0
                 WHERE rw.ev_class = r.oid))
      ORDER BY r.schema, r.name), '[]') FROM rels r WHERE r.relkind IN ('v', 'm')),
  'functions', (SELECT coalesce(json_agg(json_build_object('schema', ns.nspname, 'name', p.proname,
      'args', pg_catalog.pg_get_function_identity_arguments(p.oid), 'definition', pg_catalog.pg_get_functiondef(p.oid))
      ORDER BY ns.nspname, p.proname, pg_catalog.pg_get_function_identity_arguments(p.oid)), '[]')
    FROM pg_catalog.pg_proc p JOIN ns ON ns.oid = p.pronamespace
    WHERE p.prokind IN ('f', 'p')
      AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_catalog.pg_proc'::regclass AND ext.objid = p.oid)),
  'triggers', (SELECT coalesce(json_agg(json_build_object('schema', r.schema, 'table', r.name, 'name', tg.tgname,
      'definition', pg_catalog.pg_get_triggerdef(tg.oid)) ORDER BY r.schema, r.name, tg.tgname), '[]')
    FROM pg_catalog.pg_trigger tg JOIN rels r ON r.oid = tg.tgrelid WHERE NOT tg.tgisinternal AND tg.tgparentid = 0),
  'keywords', (SELECT json_agg(word) FROM pg_catalog.pg_get_keywords() WHERE catcode <> 'U')
) AS snapshot`;

/** Reads the query's single JSON value (PGlite may hand it back parsed or as text); nulls become absent. */
export function snapshotFromRow(value: unknown): SchemaSnapshot {
  const parsed = JSON.parse(typeof value === 'string' ? value : JSON.stringify(value ?? {}), (_k, v: unknown) => v === null ? undefined : v) as Partial<SchemaSnapshot>;
  return {
    schemas: parsed.schemas ?? [], extensions: parsed.extensions ?? [], enums: parsed.enums ?? [], domains: parsed.domains ?? [],
    sequences: parsed.sequences ?? [], tables: parsed.tables ?? [], views: parsed.views ?? [], functions: parsed.functions ?? [],
    triggers: parsed.triggers ?? [], keywords: parsed.keywords ?? [],
  };
}
