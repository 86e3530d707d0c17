/**
 * The endpoint model: what the endpoint view shows of an OpenAPI 3.x or Swagger 2.0 document (operations
 * grouped by tag, parameters, bodies, responses, security, servers), built from the parsed document. The
 * webview's endpoint view and `validate --json` both use it. Pure; never follows a remote reference.
 */
import type { EndpointModel, MediaView, OperationView, ParameterView, SchemaView, ServerView } from '../protocol';

type Json = Record<string, unknown>;

/** The methods a path item may hold. `query` is OpenAPI 3.2's. */
export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace', 'query'] as const;
/** The view keeps this many operations; a spec with more says how many it left out. */
const MAX_OPERATIONS = 5_000;
/** Inline schemas deeper than this are cut (named schemas are references, so they never nest endlessly). */
const MAX_DEPTH = 24;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);
const json = (v: unknown): string => { try { return JSON.stringify(v) ?? String(v); } catch { return String(v); } };

/** Reads a JSON pointer (`#/components/schemas/Pet`) inside the document. */
function atPointer(root: unknown, ref: string): unknown {
  if (!ref.startsWith('#')) { return undefined; }
  let node = root;
  for (const raw of ref.slice(1).split('/').filter(Boolean)) {
    let key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    try { key = decodeURIComponent(key); } catch { /* keep the raw segment */ }
    if (!isObject(node) && !Array.isArray(node)) { return undefined; }
    node = (node as Json)[key];
  }
  return node;
}

/** Builds the model of one document. */
class Builder {
  private readonly schemaHome: string;
  readonly schemas: Record<string, SchemaView> = {};

  constructor(private readonly root: Json) {
    this.schemaHome = root.swagger !== undefined ? '#/definitions/' : '#/components/schemas/';
  }

  private get swagger2(): boolean { return this.root.swagger !== undefined; }

  /** Follows `$ref`s to something that is not a reference (parameters, responses, bodies), at most 20 hops. */
  deref(node: unknown): unknown {
    let current = node;
    for (let hops = 0; hops < 20 && isObject(current) && typeof current.$ref === 'string'; hops++) {
      const target = atPointer(this.root, current.$ref);
      if (target === undefined) { return current; }
      current = target;
    }
    return current;
  }

  /** The named schemas of the document, each converted once. */
  collectSchemas(): void {
    const home = this.swagger2 ? this.root.definitions : (this.root.components as Json | undefined)?.schemas;
    if (!isObject(home)) { return; }
    for (const [name, schema] of Object.entries(home)) { this.schemas[name] = this.schema(schema, 0, new Set([name])); }
  }

  /**
   * One schema as the view shows it. A reference to a named schema stays a reference; another local
   * reference is resolved in place (`seen` stops a cycle through such pointers).
   */
  schema(node: unknown, depth: number, seen: Set<string> = new Set()): SchemaView {
    if (node === true || node === undefined) { return {}; }
    if (node === false) { return { not: {} }; }
    if (!isObject(node)) { return { description: `(not a schema: ${json(node).slice(0, 80)})` }; }
    if (typeof node.$ref === 'string') {
      const ref = node.$ref;
      if (ref.startsWith(this.schemaHome) && !ref.slice(this.schemaHome.length).includes('/')) {
        return { ref: decodeURIComponent(ref.slice(this.schemaHome.length).replace(/~1/g, '/').replace(/~0/g, '~')) };
      }
      const target = atPointer(this.root, ref);
      if (target === undefined || seen.has(ref) || depth > MAX_DEPTH) { return { unresolved: ref }; }
      return this.schema(target, depth + 1, new Set([...seen, ref]));
    }
    if (depth > MAX_DEPTH) { return { description: '(nested too deep to show)' }; }
    const s: SchemaView = {};
    const type = Array.isArray(node.type) ? node.type.map(String).join(' | ') : text(node.type);
    if (type) { s.type = type; }
    for (const key of ['format', 'title', 'description'] as const) {
      const value = text(node[key]);
      if (value) { s[key] = value; }
    }
    if (node.nullable === true || (Array.isArray(node.type) && node.type.includes('null'))) { s.nullable = true; }
    if (node.deprecated === true) { s.deprecated = true; }
    if (node.readOnly === true) { s.readOnly = true; }
    if (node.writeOnly === true) { s.writeOnly = true; }
    if (Array.isArray(node.enum)) { s.enum = node.enum.slice(0, 200).map(json); }
    if (node.const !== undefined) { s.enum = [json(node.const)]; }
    if (node.default !== undefined) { s.default = json(node.default); }
    const example = node.example !== undefined ? node.example : Array.isArray(node.examples) ? node.examples[0] : undefined;
    if (example !== undefined) { s.example = json(example).slice(0, 500); }
    const constraints = constraintsOf(node);
    if (constraints.length) { s.constraints = constraints; }
    if (isObject(node.properties)) {
      const required = new Set(Array.isArray(node.required) ? node.required.map(String) : []);
      s.properties = Object.entries(node.properties).map(([name, p]) => ({ name, required: required.has(name), schema: this.schema(p, depth + 1, seen) }));
    }
    if (node.additionalProperties !== undefined) {
      s.additionalProperties = typeof node.additionalProperties === 'boolean' ? node.additionalProperties : this.schema(node.additionalProperties, depth + 1, seen);
    }
    if (node.items !== undefined && !Array.isArray(node.items)) { s.items = this.schema(node.items, depth + 1, seen); }
    for (const key of ['allOf', 'oneOf', 'anyOf'] as const) {
      if (Array.isArray(node[key])) { s[key] = (node[key] as unknown[]).map(x => this.schema(x, depth + 1, seen)); }
    }
    if (node.not !== undefined) { s.not = this.schema(node.not, depth + 1, seen); }
    return s;
  }

  servers(node: unknown): ServerView[] | undefined {
    if (!Array.isArray(node)) { return undefined; }
    return node.filter(isObject).map(sv => ({ url: String(sv.url ?? ''), ...(text(sv.description) ? { description: text(sv.description) } : {}) }));
  }

  /** The document's servers; for Swagger 2.0, made from `schemes`, `host` and `basePath`. */
  rootServers(): ServerView[] {
    if (!this.swagger2) { return this.servers(this.root.servers) ?? []; }
    const host = text(this.root.host);
    if (!host && !text(this.root.basePath)) { return []; }
    const schemes = Array.isArray(this.root.schemes) && this.root.schemes.length ? this.root.schemes.map(String) : ['https'];
    return schemes.map(scheme => ({ url: host ? `${scheme}://${host}${String(this.root.basePath ?? '')}` : String(this.root.basePath) }));
  }

  parameter(raw: unknown): ParameterView | undefined {
    const p = this.deref(raw);
    if (!isObject(p)) { return undefined; }
    const schemaNode = p.schema ?? (this.swagger2 && p.in !== 'body' ? p : undefined)
      ?? (isObject(p.content) ? Object.values(p.content).find(isObject)?.schema : undefined);
    return {
      name: String(p.name ?? ''), in: String(p.in ?? ''), required: p.required === true, deprecated: p.deprecated === true,
      ...(text(p.description) ? { description: text(p.description) } : {}),
      ...(schemaNode !== undefined ? { schema: this.parameterSchema(schemaNode, p) } : {}),
    };
  }

  /** A 2.0 non-body parameter is its own schema; its name, `in` and `required` are not schema keywords. */
  private parameterSchema(schemaNode: unknown, p: Json): SchemaView {
    if (schemaNode !== p) { return this.schema(schemaNode, 1); }
    const { name: _n, in: _i, required: _r, description: _d, ...rest } = p;
    return this.schema(rest, 1);
  }

  content(node: unknown): MediaView[] {
    if (!isObject(node)) { return []; }
    return Object.entries(node).map(([type, media]) => {
      const m = this.deref(media);
      return { type, ...(isObject(m) && m.schema !== undefined ? { schema: this.schema(m.schema, 1) } : {}) };
    });
  }

  security(node: unknown): string[][] | undefined {
    if (!Array.isArray(node)) { return undefined; }
    return node.filter(isObject).map(req => Object.entries(req).map(([name, scopes]) =>
      (Array.isArray(scopes) && scopes.length ? `${name} (${scopes.map(String).join(', ')})` : name)));
  }

  operation(method: string, path: string, item: Json, op: Json, webhook: boolean): OperationView {
    const params = new Map<string, ParameterView>();
    for (const raw of [...(Array.isArray(item.parameters) ? item.parameters : []), ...(Array.isArray(op.parameters) ? op.parameters : [])]) {
      const p = this.parameter(raw);
      if (p) { params.set(`${p.in}\u0000${p.name}`, p); }   // the operation's own wins over the path item's
    }
    const consumes = this.mediaTypes(op.consumes ?? this.root.consumes);
    const produces = this.mediaTypes(op.produces ?? this.root.produces);
    const all = [...params.values()];
    const view: OperationView = {
      method, path, tags: Array.isArray(op.tags) ? op.tags.map(String) : [], deprecated: op.deprecated === true,
      parameters: all.filter(p => p.in !== 'body' && p.in !== 'formData'), responses: [],
    };
    if (text(op.operationId)) { view.operationId = text(op.operationId); }
    if (text(op.summary)) { view.summary = text(op.summary); }
    if (text(op.description)) { view.description = text(op.description); }
    const body = this.requestBody(op, all, consumes);
    if (body) { view.requestBody = body; }
    const responses = this.deref(op.responses);
    if (isObject(responses)) {
      for (const [status, raw] of Object.entries(responses)) {
        const r = this.deref(raw);
        if (!isObject(r)) { continue; }
        const content = this.swagger2
          ? (r.schema !== undefined ? produces.map(type => ({ type, schema: this.schema(r.schema, 1) })) : [])
          : this.content(r.content);
        const headers = isObject(r.headers) ? Object.entries(r.headers).map(([name, h]) => {
          const hv = this.deref(h);
          const hs = isObject(hv) ? (hv.schema ?? (this.swagger2 ? hv : undefined)) : undefined;
          return { name, ...(isObject(hv) && text(hv.description) ? { description: text(hv.description) } : {}), ...(hs !== undefined ? { schema: this.schema(hs, 1) } : {}) };
        }) : [];
        view.responses.push({ status, ...(text(r.description) ? { description: text(r.description) } : {}), content, headers });
      }
    }
    const security = this.security(op.security);
    if (security) { view.security = security; }
    const servers = this.servers(op.servers) ?? this.servers(item.servers);
    if (servers?.length) { view.servers = servers; }
    if (webhook) { view.webhook = true; }
    return view;
  }

  private mediaTypes(node: unknown): string[] {
    return Array.isArray(node) && node.length ? node.map(String) : ['application/json'];
  }

  /** 3.x's requestBody; in 2.0, the `body` parameter or the `formData` ones as a form. */
  private requestBody(op: Json, params: ParameterView[], consumes: string[]): OperationView['requestBody'] {
    if (!this.swagger2) {
      const b = this.deref(op.requestBody);
      if (!isObject(b)) { return undefined; }
      return { required: b.required === true, ...(text(b.description) ? { description: text(b.description) } : {}), content: this.content(b.content) };
    }
    const bodyParam = params.find(p => p.in === 'body');
    if (bodyParam) {
      return { required: bodyParam.required, ...(bodyParam.description ? { description: bodyParam.description } : {}),
        content: consumes.map(type => ({ type, schema: bodyParam.schema })) };
    }
    const form = params.filter(p => p.in === 'formData');
    if (!form.length) { return undefined; }
    const schema: SchemaView = { type: 'object', properties: form.map(p => ({ name: p.name, required: p.required, schema: { ...p.schema, ...(p.description ? { description: p.description } : {}) } })) };
    const types = consumes.filter(t => /form/.test(t));
    return { required: form.some(p => p.required), content: (types.length ? types : ['application/x-www-form-urlencoded']).map(type => ({ type, schema })) };
  }

  securitySchemes(): EndpointModel['securitySchemes'] {
    const home = this.swagger2 ? this.root.securityDefinitions : (this.root.components as Json | undefined)?.securitySchemes;
    if (!isObject(home)) { return []; }
    return Object.entries(home).map(([name, raw]) => {
      const s = this.deref(raw);
      const o = isObject(s) ? s : {};
      return { name, type: String(o.type ?? 'unknown'), detail: schemeDetail(o), ...(text(o.description) ? { description: text(o.description) } : {}) };
    });
  }
}

/** `minLength 1`, `maximum 100`, `pattern ^x$`, ... for the keywords a reader of an API cares about. */
function constraintsOf(node: Json): string[] {
  const out: string[] = [];
  for (const key of ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf', 'minLength', 'maxLength', 'pattern',
    'minItems', 'maxItems', 'uniqueItems', 'minProperties', 'maxProperties']) {
    const v = node[key];
    if (v === undefined || v === false) { continue; }
    out.push(v === true ? key : `${key} ${typeof v === 'string' ? v : json(v)}`);
  }
  return out;
}

function schemeDetail(s: Json): string {
  switch (s.type) {
    case 'http': return `HTTP ${String(s.scheme ?? '')}${s.bearerFormat ? ` (${String(s.bearerFormat)})` : ''}`.trim();
    case 'apiKey': return `API key in ${String(s.in ?? '?')} "${String(s.name ?? '?')}"`;
    case 'basic': return 'HTTP basic';
    case 'oauth2': {
      const flows = isObject(s.flows) ? Object.keys(s.flows) : s.flow ? [String(s.flow)] : [];
      return `OAuth 2.0${flows.length ? `: ${flows.join(', ')}` : ''}`;
    }
    case 'openIdConnect': return `OpenID Connect${s.openIdConnectUrl ? ` (${String(s.openIdConnectUrl)})` : ''}`;
    case 'mutualTLS': return 'Mutual TLS';
    default: return String(s.type ?? 'unknown');
  }
}

/** Every operation of `paths` (then of 3.1's `webhooks`), in document order, path item by path item. */
function operations(b: Builder, root: Json): OperationView[] {
  const out: OperationView[] = [];
  const from = (items: unknown, webhook: boolean): void => {
    if (!isObject(items)) { return; }
    for (const [path, rawItem] of Object.entries(items)) {
      const item = b.deref(rawItem);
      if (!isObject(item)) { continue; }
      // In the order the author wrote them, as the document reads.
      for (const [method, op] of Object.entries(item)) {
        if ((HTTP_METHODS as readonly string[]).includes(method) && isObject(op)) { out.push(b.operation(method, path, item, op, webhook)); }
      }
    }
  };
  from(root.paths, false);
  from(root.webhooks, true);
  return out;
}

/**
 * The endpoint model of a parsed OpenAPI 3.x or Swagger 2.0 document, or undefined when `document` is not
 * one (not a mapping, or neither `openapi` nor `swagger` at the top).
 */
export function endpointModel(document: unknown): EndpointModel | undefined {
  if (!isObject(document) || (document.openapi === undefined && document.swagger === undefined)) { return undefined; }
  const b = new Builder(document);
  b.collectSchemas();
  const info = isObject(document.info) ? document.info : {};
  const all = operations(b, document);
  const model: EndpointModel = {
    title: text(info.title) ?? 'API',
    version: String(info.version ?? ''),
    specVersion: String(document.openapi ?? document.swagger),
    servers: b.rootServers(),
    tags: Array.isArray(document.tags)
      ? document.tags.filter(isObject).map(t => ({ name: String(t.name ?? ''), ...(text(t.description) ? { description: text(t.description) } : {}) }))
      : [],
    operations: all.slice(0, MAX_OPERATIONS),
    schemas: b.schemas,
    securitySchemes: b.securitySchemes(),
  };
  if (text(info.description)) { model.description = text(info.description); }
  const security = b.security(document.security);
  if (security) { model.security = security; }
  if (all.length > MAX_OPERATIONS) { model.omitted = all.length - MAX_OPERATIONS; }
  return model;
}

/** One operation as `validate --json` prints it. */
export interface EndpointSummary {
  method: string;
  path: string;
  operationId: string | null;
  summary: string | null;
  tags: string[];
  deprecated: boolean;
}

/** One entry per operation in `paths` (webhooks are not endpoints of this API), as `validate --json` prints them. */
export function endpointSummaries(model: EndpointModel): EndpointSummary[] {
  return model.operations.filter(o => !o.webhook).map(o => ({
    method: o.method.toUpperCase(), path: o.path, operationId: o.operationId ?? null, summary: o.summary ?? null, tags: o.tags, deprecated: o.deprecated,
  }));
}

/** Longest spec text the endpoint view reads (the validator refuses longer ones anyway). */
const MAX_SPEC_CHARS = 5_000_000;

/**
 * The endpoint model of a spec given as YAML or JSON text, or undefined when it cannot be read as one.
 * Aliases are capped as in the validator (THREATS T11): a document that expands too far is not shown.
 */
export async function endpointModelOfText(specText: string): Promise<EndpointModel | undefined> {
  if (specText.length > MAX_SPEC_CHARS) { return undefined; }
  const { parse } = await import('yaml');
  let document: unknown;
  try {
    document = parse(specText, { maxAliasCount: 100, uniqueKeys: false, merge: true, prettyErrors: false });
  } catch {
    return undefined;
  }
  return endpointModel(document);
}
