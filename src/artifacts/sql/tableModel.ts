/**
 * The table model: what Postgres actually built from a SQL artifact, read from the catalog of its check
 * (tables, partitions and views with their columns, keys, indexes, checks; enums). The webview's table
 * view and `validate --json` both show this one model. Pure: works on a Catalog snapshot.
 */
import type { TableModel, TableView } from '../../protocol';
import type { Catalog, CatalogColumn, CatalogConstraint, CatalogRelation } from './catalog';

interface Relation {
  oid: number;
  schema: string;
  name: string;
  columns: CatalogColumn[];
  kind: TableView['kind'];
  parent?: number;
  bound?: string;
}

const qualified = (schema: string, name: string): string => (schema === 'public' ? name : `${schema}.${name}`);

function relations(catalog: Catalog): Relation[] {
  const d = catalog.details;
  const partitioned = new Set(d?.partitionKeys.map(k => k.table) ?? []);
  const out: Relation[] = catalog.tables.map(t => ({ ...t, kind: partitioned.has(t.oid) ? 'partitioned table' : 'table' }));
  const fromRelation = (r: CatalogRelation, kind: TableView['kind']): Relation =>
    ({ oid: r.oid, schema: r.schema, name: r.name, columns: r.columns, kind, parent: r.parent, bound: r.bound });
  out.push(...(d?.partitions ?? []).map(p => fromRelation(p, 'partition')));
  out.push(...(d?.views ?? []).map(v => fromRelation(v, v.kind === 'm' ? 'materialized view' : 'view')));
  return out;
}

/**
 * The model of everything in `catalog`, tables first (each partitioned table followed by its partitions),
 * then views; `er` is the ER diagram to draw beside them, when the caller has one.
 */
export function tableModel(catalog: Catalog, er?: string): TableModel {
  const rels = relations(catalog);
  const byOid = new Map(rels.map(r => [r.oid, r]));
  const nameOf = (oid: number | undefined): string => {
    const r = oid === undefined ? undefined : byOid.get(oid);
    return r ? qualified(r.schema, r.name) : '?';
  };
  const d = catalog.details;
  const constraints: CatalogConstraint[] = [...catalog.constraints, ...(d?.partitionConstraints ?? [])];
  const views = rels.map(r => tableView(r, catalog, constraints, nameOf, byOid));
  // Partitions right after their parent, so a reader sees the hierarchy in order.
  const ordered: TableView[] = [];
  const placed = new Set<TableView>();
  const childrenOf = (parent: Relation): void => {
    for (const [i, r] of rels.entries()) {
      if (r.parent === parent.oid && !placed.has(views[i])) { placed.add(views[i]); ordered.push(views[i]); childrenOf(r); }
    }
  };
  for (const [i, r] of rels.entries()) {
    if (r.kind === 'partition' && r.parent !== undefined && byOid.has(r.parent)) { continue; }
    if (placed.has(views[i])) { continue; }
    placed.add(views[i]);
    ordered.push(views[i]);
    childrenOf(r);
  }
  const enums = (d?.enums ?? []).map(e => ({ name: qualified(e.schema, e.name), values: e.values ?? [] }));
  return { tables: ordered, enums, ...(er ? { er } : {}) };
}

function tableView(r: Relation, catalog: Catalog, constraints: CatalogConstraint[], nameOf: (oid?: number) => string,
  byOid: Map<number, Relation>): TableView {
  const d = catalog.details;
  const col = (num: number): string => r.columns.find(c => c.num === num)?.name ?? (num === 0 ? '(expression)' : `#${num}`);
  const own = constraints.filter(c => c.table === r.oid);
  const pk = own.find(c => c.type === 'p');
  const fkDefinitions = new Map((d?.foreignKeyDefinitions ?? []).filter(f => f.table === r.oid).map(f => [f.name, f.definition]));
  const defaults = new Map((d?.defaults ?? []).filter(x => x.table === r.oid).map(x => [x.num, x]));
  const view: TableView = {
    name: qualified(r.schema, r.name),
    schema: r.schema,
    kind: r.kind,
    columns: r.columns.map(c => {
      const def = defaults.get(c.num);
      return { name: c.name, type: c.type, nullable: !c.notNull, default: def?.expr ?? null, ...(def?.kind === 'generated' ? { generated: true } : {}) };
    }),
    primaryKey: pk ? pk.columns.map(col) : null,
    foreignKeys: own.filter(c => c.type === 'f').map(c => {
      const target = c.refTable === undefined ? undefined : byOid.get(c.refTable);
      const refCol = (num: number): string => target?.columns.find(x => x.num === num)?.name ?? `#${num}`;
      const definition = fkDefinitions.get(c.name);
      return { name: c.name, columns: c.columns.map(col), references: { table: nameOf(c.refTable), columns: (c.refColumns ?? []).map(refCol) },
        ...(definition ? { definition } : {}) };
    }),
    uniqueKeys: own.filter(c => c.type === 'u').map(c => ({ name: c.name, columns: c.columns.map(col) })),
    indexes: (d?.indexes ?? []).filter(i => i.table === r.oid)
      .map(i => ({ name: i.name, columns: (i.columns ?? []).map(col), unique: i.unique, primary: i.primary, definition: i.definition })),
    checks: (d?.checks ?? []).filter(c => c.table === r.oid).map(c => ({ name: c.name, definition: c.definition })),
  };
  const key = d?.partitionKeys.find(k => k.table === r.oid)?.key;
  if (key) { view.partitionKey = key; }
  if (r.kind === 'partition' || r.parent !== undefined) {
    view.partitionOf = nameOf(r.parent);
    if (r.bound) { view.bound = r.bound; }
  }
  const children = (d?.partitions ?? []).filter(p => p.parent === r.oid).map(p => qualified(p.schema, p.name));
  if (children.length) { view.partitions = children; }
  return view;
}

/** One table as `validate --json` prints it. */
export interface TableSummary {
  name: string;
  kind: TableView['kind'];
  columns: Array<{ name: string; type: string; nullable: boolean; default: string | null }>;
  primaryKey: string[] | null;
  foreignKeys: Array<{ name: string; columns: string[]; references: { table: string; columns: string[] } }>;
  indexes: Array<{ name: string; columns: string[]; unique: boolean; definition: string }>;
}

/** Every table Postgres built (partitions included, views not), as `validate --json` prints them. */
export function tableSummaries(model: TableModel): TableSummary[] {
  return model.tables.filter(t => t.kind !== 'view' && t.kind !== 'materialized view').map(t => ({
    name: t.name,
    kind: t.kind,
    columns: t.columns.map(c => ({ name: c.name, type: c.type, nullable: c.nullable, default: c.default })),
    primaryKey: t.primaryKey,
    foreignKeys: t.foreignKeys.map(f => ({ name: f.name, columns: f.columns, references: f.references })),
    indexes: t.indexes.map(i => ({ name: i.name, columns: i.columns, unique: i.unique, definition: i.definition })),
  }));
}
