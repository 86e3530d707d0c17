/**
 * ER diagrams: drawn (as mermaid `erDiagram` text) from the schema Postgres built, and compared with the
 * ER diagram the model wrote, so a diagram that disagrees with its own SQL is caught.
 */
import type { ArtifactProblem } from '../types';
import type { Catalog, CatalogConstraint, CatalogTable } from './catalog';

/** A mermaid ER word (entity or attribute): bare when mermaid takes it bare, else quoted. */
function entityName(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(name) ? name : `"${name.replace(/"/g, "'")}"`;
}

/** Attribute types and names may not hold spaces; `character varying(45)` becomes `character_varying(45)`. */
function attributeWord(text: string): string {
  const word = text.trim().replace(/\s+/g, '_').replace(/[^A-Za-z0-9_\-[\]().,\u00C0-\uFFFF]/g, '_');
  return /^[A-Za-z_\u00C0-\uFFFF]/.test(word) ? word : `_${word}`;
}

/** Names for the diagram: the bare table name, qualified only where two schemas share a name. */
function displayNames(tables: CatalogTable[]): Map<number, string> {
  const count = new Map<string, number>();
  for (const t of tables) { count.set(t.name, (count.get(t.name) ?? 0) + 1); }
  return new Map(tables.map(t => [t.oid, (count.get(t.name) ?? 0) > 1 ? `${t.schema}.${t.name}` : t.name]));
}

const sameColumns = (a: number[], b: number[]): boolean => a.length === b.length && a.every(x => b.includes(x));

/** The keys an attribute takes part in, as mermaid writes them (`PK`, `FK`, `UK`). */
function columnKeys(table: CatalogTable, num: number, constraints: CatalogConstraint[]): string {
  const own = constraints.filter(c => c.table === table.oid && c.columns.includes(num));
  const keys = (['p', 'f', 'u'] as const).filter(k => own.some(c => c.type === k)).map(k => ({ p: 'PK', f: 'FK', u: 'UK' })[k]);
  return keys.length ? ` ${keys.join(', ')}` : '';
}

/**
 * The relationship line for a foreign key, read from the child's side: the parent end is exactly one
 * when every FK column is NOT NULL, else zero or one; the child end is zero or one when the FK columns
 * are unique (a one-to-one), else zero or many. Identifying (`--`) when the FK is inside the child's PK.
 */
function relationshipLine(fk: CatalogConstraint, catalog: Catalog, names: Map<number, string>): string | undefined {
  const child = catalog.tables.find(t => t.oid === fk.table);
  const parent = names.get(fk.refTable ?? -1);
  if (!child || parent === undefined) { return undefined; }
  const cols = fk.columns.map(n => child.columns.find(c => c.num === n));
  const required = cols.every(c => c?.notNull);
  const unique = catalog.constraints.some(c => c.table === child.oid && (c.type === 'p' || c.type === 'u') && sameColumns(c.columns, fk.columns))
    || catalog.uniqueIndexes.some(i => i.table === child.oid && sameColumns(i.columns, fk.columns));
  const pk = catalog.constraints.find(c => c.table === child.oid && c.type === 'p');
  const identifying = !!pk && fk.columns.every(n => pk.columns.includes(n));
  const label = cols.map(c => c?.name ?? '?').join(', ').replace(/"/g, "'");
  return `    ${entityName(parent)} ${required ? '||' : '|o'}${identifying ? '--' : '..'}${unique ? 'o|' : 'o{'} ${entityName(names.get(child.oid) ?? child.name)} : "${label}"`;
}

/**
 * Mermaid `erDiagram` text for the schema in `catalog`: every table with its columns (type, name, keys),
 * then one relationship per foreign key. Empty string when the schema has no tables.
 */
export function erDiagramFromCatalog(catalog: Catalog): string {
  if (catalog.tables.length === 0) { return ''; }
  const names = displayNames(catalog.tables);
  const lines = ['erDiagram'];
  for (const t of catalog.tables) {
    lines.push(`    ${entityName(names.get(t.oid) ?? t.name)} {`);
    for (const c of t.columns) {
      lines.push(`        ${attributeWord(c.type)} ${attributeWord(c.name)}${columnKeys(t, c.num, catalog.constraints)}`);
    }
    lines.push('    }');
  }
  for (const fk of catalog.constraints.filter(c => c.type === 'f')) {
    const line = relationshipLine(fk, catalog, names);
    if (line) { lines.push(line); }
  }
  return `${lines.join('\n')}\n`;
}

/** An entity or relationship found in mermaid ER text, with its 1-based line. */
export interface ErEntity { id: string; alias?: string; line: number }
export interface ErRelation { from: string; to: string; label?: string; line: number }
export interface ErModel { entities: ErEntity[]; relations: ErRelation[]; headerLine: number }

const ent = String.raw`("[^"]+"|[\p{L}\p{N}_\-*.]+)`;
const card = String.raw`(?:[|}][o|]|[o|][|{]|1\+|0\+|1|many\(\d\))`;
const words = String.raw`(?:only one|one or zero|one or more|one or many|zero or one|zero or more|zero or many|many\(\d\)|many|one|1\+|0\+|1)`;
const symbolRelation = new RegExp(String.raw`^${ent}\s*${card}\s*(?:--|\.\.|\.-|-\.)\s*${card}\s*${ent}\s*(?::\s*(.*))?$`, 'u');
const wordRelation = new RegExp(String.raw`^${ent}\s+${words}\s+(?:optionally to|to)\s+${words}\s+${ent}\s*(?::\s*(.*))?$`, 'iu');
const entityOpen = new RegExp(String.raw`^${ent}\s*(?:\[\s*("[^"]*"|[^\]]*)\s*\])?\s*(\{)?\s*(\})?\s*$`, 'u');

const unquote = (s: string): string => s.replace(/^"(.*)"$/, '$1').trim();

/** Reads entities and relationships from mermaid ER text (attributes are skipped; comments ignored). */
export function parseMermaidEr(text: string): ErModel {
  const model: ErModel = { entities: [], relations: [], headerLine: 1 };
  const seen = new Map<string, ErEntity>();
  const add = (id: string, line: number, alias?: string): void => {
    const key = unquote(id);
    const known = seen.get(key);
    if (known) { known.alias ??= alias; return; }
    const e: ErEntity = { id: key, alias, line };
    seen.set(key, e);
    model.entities.push(e);
  };
  let inBlock = false;
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/%%.*$/, '').trim();
    if (!line) { return; }
    if (inBlock) { if (line.includes('}')) { inBlock = false; } return; }
    if (/^erDiagram\b/.test(line)) { model.headerLine = i + 1; return; }
    const rel = symbolRelation.exec(line) ?? wordRelation.exec(line);
    if (rel) {
      add(rel[1], i + 1);
      add(rel[2], i + 1);
      model.relations.push({ from: unquote(rel[1]), to: unquote(rel[2]), label: rel[3] ? unquote(rel[3]) : undefined, line: i + 1 });
      return;
    }
    const open = entityOpen.exec(line);
    if (open && !/^(direction|style|classDef|class|accTitle|accDescr|title)$/i.test(open[1])) {
      add(open[1], i + 1, open[2] ? unquote(open[2]) : undefined);
      inBlock = !!open[3] && !open[4];
    }
  });
  return model;
}

/** Folds case, schema, punctuation and plurals, so `USERS`, `user` and `public.users` name one thing. */
export function normalizeEntityName(name: string): string {
  const base = unquote(name).split('.').pop()!.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
  if (base.endsWith('ies') && base.length > 4) { return `${base.slice(0, -3)}y`; }
  if (/(ss|x|z|ch|sh)es$/.test(base)) { return base.slice(0, -2); }
  if (base.endsWith('s') && !base.endsWith('ss') && base.length > 2) { return base.slice(0, -1); }
  return base;
}

const pairKey = (a: string, b: string): string => [a, b].sort().join('\u0000');

/**
 * Differences between the ER diagram built from the SQL (`built`, from erDiagramFromCatalog) and the
 * model's own (`modelsMermaidErText`): entities or relationships in one but not the other. Lines refer
 * to the model's diagram; what it lacks is reported on its `erDiagram` line. A many-to-many drawn
 * directly is matched by a junction table holding foreign keys to both sides.
 */
export function compareErDiagrams(built: string, modelsMermaidErText: string): ArtifactProblem[] {
  const sql = parseMermaidEr(built);
  const model = parseMermaidEr(modelsMermaidErText);
  const problem = (line: number, message: string): ArtifactProblem => ({ line, message, severity: 'warning', source: 'er-compare' });
  const tableByKey = new Map(sql.entities.map(e => [normalizeEntityName(e.id), e.id]));
  const modelKey = (e: ErEntity): string | undefined =>
    [e.id, e.alias].filter((n): n is string => !!n).map(normalizeEntityName).find(k => tableByKey.has(k));
  const keyOf = new Map<string, string>();
  const problems: ArtifactProblem[] = [];
  for (const e of model.entities) {
    const key = modelKey(e);
    if (key) { keyOf.set(e.id, key); } else { problems.push(problem(e.line, `"${e.alias ?? e.id}" is in the ER diagram, but the SQL creates no such table`)); }
  }
  const sqlPairs = new Map(sql.relations.map(r => [pairKey(normalizeEntityName(r.from), normalizeEntityName(r.to)), r]));
  // Built relationships run parent → child; a junction table is the child of both ends.
  const childOf = new Set(sql.relations.map(r => `${normalizeEntityName(r.to)}\u0000${normalizeEntityName(r.from)}`));
  const explained = new Set<string>();
  const modelPairs = new Set<string>();
  for (const r of model.relations) {
    const a = keyOf.get(r.from);
    const b = keyOf.get(r.to);
    if (!a || !b) { continue; }
    modelPairs.add(pairKey(a, b));
    if (sqlPairs.has(pairKey(a, b))) { continue; }
    const junction = [...tableByKey.keys()].find(j => j !== a && j !== b && childOf.has(`${j}\u0000${a}`) && childOf.has(`${j}\u0000${b}`));
    if (junction) { explained.add(junction); modelPairs.add(pairKey(junction, a)); modelPairs.add(pairKey(junction, b)); continue; }
    problems.push(problem(r.line, `the relationship ${r.from} – ${r.to} in the ER diagram has no foreign key between those tables in the SQL`));
  }
  const modelKeys = new Set(keyOf.values());
  for (const [key, table] of tableByKey) {
    if (!modelKeys.has(key) && !explained.has(key)) {
      problems.push(problem(model.headerLine, `table "${table}" is created by the SQL but is missing from the ER diagram`));
    }
  }
  for (const [pair, r] of sqlPairs) {
    const [a, b] = pair.split('\u0000');
    if (modelKeys.has(a) && modelKeys.has(b) && !modelPairs.has(pair)) {
      problems.push(problem(model.headerLine, `the foreign key ${r.to} → ${r.from}${r.label ? ` (${r.label})` : ''} is missing from the ER diagram`));
    }
  }
  return problems;
}
