/**
 * A JSON Schema as a tree a person can read: type line, then properties, items and combinations, each
 * nested schema opened on demand. A reference to a named schema expands in place; one already open above
 * it (a cycle) is a link to the Schemas section instead.
 */
import type { SchemaView } from '../../src/protocol';
import { domId, el } from '../dom';

export interface SchemaContext {
  schemas: Record<string, SchemaView>;
  /** Prefix of this view's element ids (the Schemas section's entries are `${prefix}-schema-NAME`). */
  prefix: string;
}

/** Element id of a named schema's entry in the Schemas section. */
export const schemaAnchor = (ctx: SchemaContext, name: string): string => domId(`${ctx.prefix}-schema`, name);

/** A link that takes the reader to a named schema's entry and opens it. */
export function schemaLink(ctx: SchemaContext, name: string, text = name): HTMLElement {
  const a = el('a', 'schema-link', text);
  a.href = `#${schemaAnchor(ctx, name)}`;
  a.title = `Go to the schema ${name}`;
  a.addEventListener('click', e => {
    e.preventDefault();
    e.stopPropagation();
    const target = a.ownerDocument.getElementById(schemaAnchor(ctx, name)) as HTMLDetailsElement | null;
    if (!target) { return; }
    target.open = true;
    target.scrollIntoView?.({ block: 'start' });
    target.querySelector('summary')?.focus();
  });
  return a;
}

/** The one-line description of a schema: `string (date-time), nullable, maxLength 10`. */
export function typeLine(s: SchemaView): string {
  const parts: string[] = [];
  const base = s.type ?? (s.properties ? 'object' : s.items ? 'array' : s.allOf ? 'all of' : s.oneOf ? 'one of' : s.anyOf ? 'any of' : s.enum ? 'enum' : '');
  if (base) { parts.push(s.format ? `${base} (${s.format})` : base); }
  if (s.type === 'array' && s.items?.ref) { parts[parts.length - 1] = `array of ${s.items.ref}`; }
  if (s.nullable) { parts.push('nullable'); }
  if (s.readOnly) { parts.push('read-only'); }
  if (s.writeOnly) { parts.push('write-only'); }
  if (s.deprecated) { parts.push('deprecated'); }
  parts.push(...(s.constraints ?? []));
  return parts.join(', ');
}

function hasChildren(s: SchemaView): boolean {
  return !!(s.properties?.length || s.items || s.allOf || s.oneOf || s.anyOf || s.not || (typeof s.additionalProperties === 'object'));
}

/** The details under a type line: description, enum, default, example. */
function facts(s: SchemaView): HTMLElement[] {
  const out: HTMLElement[] = [];
  if (s.title && s.title !== s.description) { out.push(el('div', 'schema-title', s.title)); }
  if (s.description) { out.push(el('div', 'schema-description', s.description)); }
  if (s.enum) { out.push(el('div', 'schema-fact', `one of: ${s.enum.join(', ')}`)); }
  if (s.default !== undefined) { out.push(el('div', 'schema-fact', `default: ${s.default}`)); }
  if (s.example !== undefined) { out.push(el('div', 'schema-fact', `example: ${s.example}`)); }
  if (s.unresolved) { out.push(el('div', 'schema-fact schema-unresolved', `$ref ${s.unresolved} (not followed)`)); }
  return out;
}

/**
 * Renders `schema` into a new element. `open` is the chain of named schemas already expanded above this
 * one (a reference to one of them is a cycle, shown as a link).
 */
export function renderSchema(schema: SchemaView, ctx: SchemaContext, open: ReadonlySet<string> = new Set()): HTMLElement {
  if (schema.ref !== undefined) { return renderRef(schema.ref, ctx, open); }
  const box = el('div', 'schema');
  const line = typeLine(schema);
  if (line) { box.append(el('code', 'schema-type', line)); }
  box.append(...facts(schema));
  box.append(...children(schema, ctx, open));
  return box;
}

function renderRef(name: string, ctx: SchemaContext, open: ReadonlySet<string>): HTMLElement {
  const target = ctx.schemas[name];
  if (!target) { return el('div', 'schema schema-unresolved', `${name} (no such schema)`); }
  if (open.has(name)) {
    const box = el('div', 'schema schema-cycle');
    box.append(el('span', '', '↻ '), schemaLink(ctx, name), el('span', 'schema-fact', ' (refers back to itself)'));
    return box;
  }
  // Collapsed until asked: a response of a large spec can reach dozens of schemas.
  const details = el('details', 'schema schema-ref');
  const summary = el('summary');
  summary.append(el('code', 'schema-ref-name', name));
  const line = typeLine(target);
  if (line) { summary.append(el('span', 'schema-type', ` ${line}`)); }
  details.append(summary);
  details.addEventListener('toggle', () => {
    if (details.open && details.childElementCount === 1) {
      const inner = renderSchema(target, ctx, new Set([...open, name]));
      inner.querySelector(':scope > .schema-type')?.remove();
      details.append(inner);
    }
  }, { passive: true });
  return details;
}

function children(s: SchemaView, ctx: SchemaContext, open: ReadonlySet<string>): HTMLElement[] {
  const out: HTMLElement[] = [];
  if (s.properties?.length) {
    const ul = el('ul', 'schema-properties');
    for (const p of s.properties) {
      const li = el('li', 'schema-property');
      const head = el('div', 'schema-property-head');
      head.append(el('code', 'schema-property-name', p.name));
      if (p.required) { head.append(el('span', 'schema-required', 'required')); }
      li.append(head);
      if (p.schema.ref !== undefined || hasChildren(p.schema)) {
        li.append(renderSchema(p.schema, ctx, open));
      } else {
        const line = typeLine(p.schema);
        if (line) { head.append(el('code', 'schema-type', line)); }
        li.append(...facts(p.schema));
      }
      ul.append(li);
    }
    out.push(ul);
  }
  if (s.items) { out.push(labelled('items', renderSchema(s.items, ctx, open))); }
  if (typeof s.additionalProperties === 'object') { out.push(labelled('additional properties', renderSchema(s.additionalProperties, ctx, open))); }
  for (const key of ['allOf', 'oneOf', 'anyOf'] as const) {
    const list = s[key];
    if (!list) { continue; }
    const ol = el('ol', 'schema-combination');
    ol.setAttribute('aria-label', key);
    for (const item of list) { const li = el('li'); li.append(renderSchema(item, ctx, open)); ol.append(li); }
    out.push(labelled({ allOf: 'all of', oneOf: 'one of', anyOf: 'any of' }[key], ol));
  }
  if (s.not) { out.push(labelled('not', renderSchema(s.not, ctx, open))); }
  return out;
}

function labelled(label: string, content: HTMLElement): HTMLElement {
  const box = el('div', 'schema-part');
  box.append(el('span', 'schema-part-label', label), content);
  return box;
}
