/**
 * The Rendered tab of SQL: the tables Postgres built (read from the catalog of the check, not from the
 * text), with columns, keys, indexes and checks; partitions under their parent; views; enums; and the ER
 * diagram of the same catalog beside them. Loaded on first use (its own chunk).
 */
import type { TableModel, TableView } from '../../src/protocol';
import type { SaveImage } from '../diagramViewer';
import { drawDiagram } from '../diagrams';
import { domId, el } from '../dom';

/**
 * Renders `model` into `target`. `streaming` says whether the answer is still arriving: the ER diagram is
 * drawn once it has ended (drawing blocks the page for a moment).
 */
export function renderTables(model: TableModel, target: HTMLElement, prefix: string, streaming: () => boolean = () => false, save?: SaveImage): void {
  const anchor = (name: string): string => domId(`${prefix}-table`, name);
  const known = new Set(model.tables.map(t => t.name));
  const root = el('div', 'tables-view');
  const list = el('div', 'tables-list');
  const counts = (['table', 'partitioned table', 'partition', 'view', 'materialized view'] as const)
    .map(k => [k, model.tables.filter(t => t.kind === k).length] as const).filter(([, n]) => n > 0);
  const tables = counts.filter(([k]) => k === 'table' || k === 'partitioned table').reduce((n, [, c]) => n + c, 0);
  const summary = [`${tables} table${tables === 1 ? '' : 's'}`, ...counts.filter(([k]) => k !== 'table' && k !== 'partitioned table')
    .map(([k, n]) => `${n} ${k}${n === 1 ? '' : 's'}`), ...(model.enums.length ? [`${model.enums.length} enum${model.enums.length === 1 ? '' : 's'}`] : [])];
  list.append(el('p', 'tables-summary', `${summary.join(', ')}, as Postgres built them`));
  for (const t of model.tables) { list.append(tableSection(t, anchor, known)); }
  if (model.enums.length) {
    const section = el('section', 'enums');
    section.append(el('h4', 'table-name', 'Enums'));
    const dl = el('dl');
    for (const e of model.enums) { dl.append(el('dt', '', e.name), el('dd', '', e.values.join(', '))); }
    section.append(dl);
    list.append(section);
  }
  root.append(list);
  if (model.er) {
    const er = el('div', 'tables-er');
    er.setAttribute('aria-label', 'ER diagram of the schema Postgres built');
    const holder = el('div');
    er.append(el('h4', 'table-name', 'ER diagram'), holder);
    root.append(er);
    const text = model.er;
    if (streaming()) { holder.append(el('p', 'rendered-note', 'The diagram is drawn when the answer is complete.')); }
    else { void drawDiagram(holder, text, save); }
  }
  target.replaceChildren(root);
}

function tableSection(t: TableView, anchor: (name: string) => string, known: Set<string>): HTMLElement {
  // Partitions repeat their parent's columns and views are read less often: folded (and built when opened),
  // so the tables stay in view and a large schema draws at once.
  const folded = t.kind === 'partition' || t.kind.endsWith('view');
  const section = el(folded ? 'details' : 'section', `table-entry kind-${t.kind.replace(/ /g, '-')}`);
  section.id = anchor(t.name);
  const head = el(folded ? 'summary' : 'div', 'table-head');
  head.append(el('h4', 'table-name', t.name), el('span', 'table-kind', t.kind));
  if (t.partitionKey) { head.append(el('code', 'table-note', `PARTITION BY ${t.partitionKey}`)); }
  if (t.partitionOf) {
    const note = el('span', 'table-note');
    note.append(document.createTextNode('partition of '), link(t.partitionOf, anchor, known), document.createTextNode(t.bound ? ` ${t.bound}` : ''));
    head.append(note);
  }
  section.append(head);
  if (folded) {
    section.addEventListener('toggle', () => {
      if ((section as HTMLDetailsElement).open && section.childElementCount === 1) { section.append(...tableBody(t, anchor, known)); }
    }, { passive: true });
  } else {
    section.append(...tableBody(t, anchor, known));
  }
  return section;
}

function tableBody(t: TableView, anchor: (name: string) => string, known: Set<string>): HTMLElement[] {
  const body: HTMLElement[] = [columnTable(t)];
  const facts = el('ul', 'table-facts');
  if (t.primaryKey) { facts.append(fact('primary key', `(${t.primaryKey.join(', ')})`)); }
  for (const f of t.foreignKeys) {
    const li = el('li');
    li.append(el('span', 'fact-label', 'foreign key '), el('code', '', `(${f.columns.join(', ')})`), document.createTextNode(' → '),
      link(f.references.table, anchor, known), el('code', '', `(${f.references.columns.join(', ')})`));
    const rules = f.definition ? / (ON (?:UPDATE|DELETE) .*)$/.exec(f.definition)?.[1] : undefined;
    if (rules) { li.append(el('span', 'fact-note', ` ${rules}`)); }
    facts.append(li);
  }
  for (const u of t.uniqueKeys) { facts.append(fact('unique', `(${u.columns.join(', ')})`)); }
  for (const c of t.checks) { facts.append(fact(`check ${c.name}`, c.definition)); }
  for (const i of t.indexes.filter(x => !x.primary)) { facts.append(fact(i.unique ? 'unique index' : 'index', i.definition)); }
  if (t.partitions?.length) {
    const li = el('li');
    li.append(el('span', 'fact-label', `partitions (${t.partitions.length}) `));
    t.partitions.forEach((p, n) => { if (n) { li.append(document.createTextNode(', ')); } li.append(link(p, anchor, known)); });
    facts.append(li);
  }
  if (facts.childElementCount) { body.push(facts); }
  return body;
}

function columnTable(t: TableView): HTMLElement {
  const table = el('table', 'columns');
  table.append(el('caption', 'visually-hidden', `Columns of ${t.name}`));
  const head = el('tr');
  for (const h of ['Column', 'Type', 'Null', 'Default', 'Key']) { const th = el('th', '', h); th.scope = 'col'; head.append(th); }
  const thead = el('thead');
  thead.append(head);
  const tbody = el('tbody');
  const fkColumns = new Set(t.foreignKeys.flatMap(f => f.columns));
  const uniqueColumns = new Set(t.uniqueKeys.filter(u => u.columns.length === 1).flatMap(u => u.columns));
  for (const c of t.columns) {
    const tr = el('tr');
    const name = el('th', '', c.name);
    name.scope = 'row';
    const keys = [t.primaryKey?.includes(c.name) ? 'PK' : '', fkColumns.has(c.name) ? 'FK' : '', uniqueColumns.has(c.name) ? 'UQ' : ''].filter(Boolean);
    const keyCell = el('td', 'column-keys');
    for (const k of keys) { keyCell.append(el('span', `key-badge key-${k.toLowerCase()}`, k)); }
    tr.append(name, el('td', '', c.type), el('td', c.nullable ? 'nullable' : 'not-null', c.nullable ? 'null' : 'not null'),
      el('td', 'column-default', c.default === null ? '' : c.generated ? `generated: ${c.default}` : c.default), keyCell);
    tbody.append(tr);
  }
  table.append(thead, tbody);
  return table;
}

function fact(label: string, value: string): HTMLElement {
  const li = el('li');
  li.append(el('span', 'fact-label', `${label} `), el('code', '', value));
  return li;
}

/** A link to another table's entry in this view (text when it is not here). */
function link(name: string, anchor: (name: string) => string, known: Set<string>): HTMLElement {
  if (!known.has(name)) { return el('code', '', name); }
  const a = el('a', 'table-link', name);
  a.href = `#${anchor(name)}`;
  a.addEventListener('click', e => {
    e.preventDefault();
    e.stopPropagation();
    const target = a.ownerDocument.getElementById(anchor(name));
    if (!target) { return; }
    if (target instanceof HTMLDetailsElement && !target.open) { target.open = true; target.dispatchEvent(new Event('toggle')); }
    target.scrollIntoView?.({ block: 'start' });
    (target.querySelector('summary, .table-name') as HTMLElement | null)?.focus?.();
  });
  return a;
}
