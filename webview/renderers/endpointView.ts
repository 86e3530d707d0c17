/**
 * The Rendered tab of an OpenAPI spec: endpoints grouped by tag (method badge, path, summary; deprecated
 * struck through), each expanding to parameters, request body, responses (schemas with local references
 * resolved), security and servers; a filter box; the named schemas. Built from the host's EndpointModel:
 * nothing here parses the spec. Loaded on first use (its own chunk).
 */
import type { EndpointModel, MediaView, OperationView, ServerView } from '../../src/protocol';
import { el } from '../dom';
import { renderSchema, schemaAnchor, typeLine, type SchemaContext } from './schemaView';

/** Renders `model` into `target` (replacing what it held). `prefix` keeps element ids unique in the page. */
export function renderEndpoints(model: EndpointModel, target: HTMLElement, prefix: string): void {
  const ctx: SchemaContext = { schemas: model.schemas, prefix };
  const root = el('div', 'endpoints');
  root.append(overview(model));
  const filter = el('input', 'endpoint-filter');
  filter.type = 'search';
  filter.placeholder = 'Filter by path, method, tag or summary';
  filter.setAttribute('aria-label', 'Filter endpoints');
  const count = el('span', 'endpoint-count');
  count.setAttribute('aria-live', 'polite');
  const bar = el('div', 'endpoint-bar');
  bar.append(filter, count);
  root.append(bar);
  const groups = groupByTag(model);
  const items: Array<{ element: HTMLElement; text: string }> = [];
  const sections: Array<{ section: HTMLElement; members: HTMLElement[] }> = [];
  for (const g of groups) {
    const section = el('section', 'endpoint-group');
    const heading = el('h4', 'endpoint-tag', g.name);
    section.append(heading);
    if (g.description) { section.append(el('p', 'endpoint-tag-description', g.description)); }
    const list = el('ul', 'endpoint-list');
    list.setAttribute('aria-label', `${g.name} endpoints`);
    const members: HTMLElement[] = [];
    for (const op of g.operations) {
      const li = el('li');
      li.append(operationItem(op, model, ctx));
      list.append(li);
      members.push(li);
      items.push({ element: li, text: [op.method, op.path, op.summary, op.operationId, ...op.tags].filter(Boolean).join(' ').toLowerCase() });
    }
    section.append(list);
    root.append(section);
    sections.push({ section, members });
  }
  if (model.omitted) { root.append(el('p', 'rendered-note', `${model.omitted} more operations are not shown.`)); }
  const schemaNames = Object.keys(model.schemas);
  if (schemaNames.length) { root.append(schemasSection(schemaNames, ctx)); }
  const total = model.operations.length;
  const showCount = (shown: number): void => {
    count.textContent = shown === total ? `${total} endpoint${total === 1 ? '' : 's'}` : `${shown} of ${total} endpoints`;
  };
  filter.addEventListener('input', () => {
    const words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
    let shown = 0;
    for (const item of items) {
      const match = words.every(w => item.text.includes(w));
      item.element.hidden = !match;
      if (match) { shown++; }
    }
    for (const s of sections) { s.section.hidden = s.members.every(m => m.hidden); }
    showCount(shown);
  });
  showCount(total);
  target.replaceChildren(root);
}

function overview(model: EndpointModel): HTMLElement {
  const box = el('div', 'endpoint-overview');
  const title = el('div', 'endpoint-title');
  title.append(el('strong', '', model.title), el('span', 'endpoint-version', ` ${model.version ? `v${model.version} · ` : ''}${model.specVersion.startsWith('2') ? 'Swagger' : 'OpenAPI'} ${model.specVersion}`));
  box.append(title);
  if (model.description) { box.append(el('p', 'endpoint-description', model.description)); }
  if (model.servers.length) { box.append(serverList(model.servers, 'Servers')); }
  if (model.securitySchemes.length) {
    const dl = el('dl', 'security-schemes');
    for (const s of model.securitySchemes) {
      dl.append(el('dt', '', s.name), el('dd', '', s.description ? `${s.detail}: ${s.description}` : s.detail));
    }
    const part = el('div', 'endpoint-part');
    part.append(el('span', 'endpoint-part-label', 'Security schemes'), dl);
    box.append(part);
  }
  return box;
}

function serverList(servers: ServerView[], label: string): HTMLElement {
  const part = el('div', 'endpoint-part');
  const ul = el('ul', 'server-list');
  for (const s of servers) {
    const li = el('li');
    li.append(el('code', '', s.url));
    if (s.description) { li.append(document.createTextNode(` ${s.description}`)); }
    ul.append(li);
  }
  part.append(el('span', 'endpoint-part-label', label), ul);
  return part;
}

interface Group { name: string; description?: string; operations: OperationView[] }

/** Declared tags in their order, then tags used but not declared, then untagged operations, then webhooks. */
function groupByTag(model: EndpointModel): Group[] {
  const groups = new Map<string, Group>();
  for (const t of model.tags) { groups.set(t.name, { name: t.name, description: t.description, operations: [] }); }
  const other: Group = { name: 'Other', operations: [] };
  const hooks: Group = { name: 'Webhooks', operations: [] };
  for (const op of model.operations) {
    // Listed once, under its first tag, so the view holds one entry per operation.
    const tag = op.tags[0];
    if (op.webhook) { hooks.operations.push(op); continue; }
    if (tag === undefined) { other.operations.push(op); continue; }
    if (!groups.has(tag)) { groups.set(tag, { name: tag, operations: [] }); }
    groups.get(tag)!.operations.push(op);
  }
  return [...groups.values(), other, hooks].filter(g => g.operations.length);
}

function operationItem(op: OperationView, model: EndpointModel, ctx: SchemaContext): HTMLElement {
  const details = el('details', `endpoint method-${op.method}${op.deprecated ? ' deprecated' : ''}`);
  const summary = el('summary', 'endpoint-summary');
  summary.append(el('span', `method-badge method-${op.method}`, op.method.toUpperCase()), el('code', 'endpoint-path', op.path));
  if (op.summary) { summary.append(el('span', 'endpoint-summary-text', op.summary)); }
  if (op.deprecated) { summary.append(el('span', 'endpoint-deprecated', 'deprecated')); }
  summary.setAttribute('aria-label', `${op.method.toUpperCase()} ${op.path}${op.summary ? `: ${op.summary}` : ''}${op.deprecated ? ' (deprecated)' : ''}`);
  details.append(summary);
  // The body is built when first opened: a large spec shows hundreds of rows and few are opened.
  details.addEventListener('toggle', () => {
    if (details.open && details.childElementCount === 1) { details.append(operationBody(op, model, ctx)); }
  }, { passive: true });
  return details;
}

function operationBody(op: OperationView, model: EndpointModel, ctx: SchemaContext): HTMLElement {
  const body = el('div', 'endpoint-body');
  if (op.operationId) { body.append(el('div', 'endpoint-operation-id', `operationId: ${op.operationId}`)); }
  if (op.tags.length > 1) { body.append(el('div', 'endpoint-tags', `tags: ${op.tags.join(', ')}`)); }
  if (op.description) { body.append(el('p', 'endpoint-description', op.description)); }
  if (op.parameters.length) { body.append(parameterTable(op, ctx)); }
  if (op.requestBody) {
    const part = section('Request body', op.requestBody.required ? 'required' : 'optional');
    if (op.requestBody.description) { part.append(el('p', 'endpoint-description', op.requestBody.description)); }
    part.append(...op.requestBody.content.map(m => mediaBlock(m, ctx)));
    body.append(part);
  }
  if (op.responses.length) {
    const part = section('Responses');
    for (const r of op.responses) {
      const row = el('div', 'response');
      const head = el('div', 'response-head');
      head.append(el('span', `status-code status-${r.status[0]}xx`, r.status));
      if (r.description) { head.append(el('span', 'response-description', r.description)); }
      row.append(head, ...r.content.map(m => mediaBlock(m, ctx)));
      if (r.headers.length) {
        const ul = el('ul', 'response-headers');
        for (const h of r.headers) {
          ul.append(el('li', '', `header ${h.name}${h.schema ? `: ${typeLine(h.schema)}` : ''}${h.description ? ` (${h.description})` : ''}`));
        }
        row.append(ul);
      }
      part.append(row);
    }
    body.append(part);
  }
  const security = op.security ?? model.security;
  if (security) {
    const part = section('Security', op.security ? undefined : 'from the document');
    part.append(el('p', 'endpoint-security', security.length === 0 ? 'none (public)'
      : security.map(alt => (alt.length ? alt.join(' and ') : 'none (optional)')).join(' — or — ')));
    body.append(part);
  }
  if (op.servers?.length) { body.append(serverList(op.servers, 'Servers (for this operation)')); }
  return body;
}

function section(title: string, note?: string): HTMLElement {
  const part = el('div', 'endpoint-part');
  const label = el('span', 'endpoint-part-label', title);
  part.append(label);
  if (note) { part.append(el('span', 'endpoint-part-note', ` ${note}`)); }
  return part;
}

function mediaBlock(m: MediaView, ctx: SchemaContext): HTMLElement {
  const box = el('div', 'media');
  box.append(el('code', 'media-type', m.type));
  if (m.schema) { box.append(renderSchema(m.schema, ctx)); }
  return box;
}

function parameterTable(op: OperationView, ctx: SchemaContext): HTMLElement {
  const part = section('Parameters');
  const table = el('table', 'parameters');
  const head = el('tr');
  for (const h of ['Name', 'In', 'Type', 'Description']) { const th = el('th', '', h); th.scope = 'col'; head.append(th); }
  const thead = el('thead');
  thead.append(head);
  const tbody = el('tbody');
  for (const p of op.parameters) {
    const tr = el('tr', p.deprecated ? 'deprecated' : '');
    const name = el('td');
    name.append(el('code', '', p.name));
    if (p.required) { name.append(el('span', 'schema-required', 'required')); }
    const type = el('td');
    if (p.schema?.ref !== undefined) { type.append(renderSchema(p.schema, ctx)); } else { type.textContent = p.schema ? typeLine(p.schema) : ''; }
    const description = el('td', '', [p.description, p.schema?.enum ? `one of: ${p.schema.enum.join(', ')}` : undefined, p.schema?.default !== undefined ? `default: ${p.schema.default}` : undefined]
      .filter(Boolean).join(' · '));
    tr.append(name, el('td', '', p.in), type, description);
    tbody.append(tr);
  }
  table.append(thead, tbody);
  part.append(table);
  return part;
}

function schemasSection(names: string[], ctx: SchemaContext): HTMLElement {
  const section = el('section', 'schemas');
  section.append(el('h4', 'endpoint-tag', `Schemas (${names.length})`));
  for (const name of names) {
    const details = el('details', 'schema-entry');
    details.id = schemaAnchor(ctx, name);
    const summary = el('summary');
    summary.append(el('code', 'schema-ref-name', name));
    const line = typeLine(ctx.schemas[name]);
    if (line) { summary.append(el('span', 'schema-type', ` ${line}`)); }
    details.append(summary);
    details.addEventListener('toggle', () => {
      if (details.open && details.childElementCount === 1) { details.append(renderSchema(ctx.schemas[name], ctx, new Set([name]))); }
    }, { passive: true });
    section.append(details);
  }
  return section;
}
