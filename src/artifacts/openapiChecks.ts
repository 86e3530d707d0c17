/**
 * Rules of the OpenAPI specification that neither its JSON Schemas nor redocly's `spec` rules check, each a
 * real defect in generated clients or servers. Pure: works on the parsed document and gives redocly-style
 * pointers; the caller turns them into lines.
 */
import type { ArtifactProblem } from './types';

export type Finding = { pointer: string; reportOnKey?: boolean; problem: Omit<ArtifactProblem, 'line'> };

type Obj = Record<string, unknown>;

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace', 'query'];

/** A pointer segment in redocly's form (it URI-decodes segments, so `%` is encoded). */
export const escapeSegment = (key: string): string => key.replace(/~/g, '~0').replace(/\//g, '~1').replace(/%/g, '%25');

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const entries = (v: unknown): [string, unknown][] => (isObj(v) ? Object.entries(v) : []);

/** Every operation with its pointer, plus the path item's own parameters. */
function operations(root: Obj): { pointer: string; op: Obj }[] {
  const out: { pointer: string; op: Obj }[] = [];
  for (const [p, item] of entries(root.paths)) {
    if (!isObj(item)) { continue; }
    const base = `#/paths/${escapeSegment(p)}`;
    out.push({ pointer: base, op: item });
    for (const method of HTTP_METHODS) {
      if (isObj(item[method])) { out.push({ pointer: `${base}/${method}`, op: item[method] as Obj }); }
    }
  }
  return out;
}

/** Parameters written inline in operations and path items, and the shared ones (components, or 2.0's root). */
function parameters(root: Obj): [string, Obj][] {
  const found: [string, Obj][] = [];
  for (const { pointer, op } of operations(root)) {
    if (Array.isArray(op.parameters)) {
      op.parameters.forEach((p, i) => { if (isObj(p)) { found.push([`${pointer}/parameters/${i}`, p]); } });
    }
  }
  const swagger = root.swagger !== undefined;
  const shared = swagger ? root.parameters : (root.components as Obj | undefined)?.parameters;
  const base = swagger ? '#/parameters' : '#/components/parameters';
  for (const [name, p] of entries(shared)) { if (isObj(p)) { found.push([`${base}/${escapeSegment(name)}`, p]); } }
  return found;
}

/**
 * Inline path parameters without `required: true`. The specification requires it (a path segment cannot
 * be absent), and redocly's `spec` rules let it through.
 */
function optionalPathParameters(root: Obj): Finding[] {
  return parameters(root)
    .filter(([, p]) => p.in === 'path' && p.required !== true)
    .map(([pointer, p]) => ({ pointer, reportOnKey: true, problem: {
      severity: 'error', source: 'openapi:path-parameter-required',
      message: `Path parameter "${String(p.name)}" must have \`required: true\`.`,
    } }));
}

/**
 * Security requirements naming a scheme nobody defined: redocly's `spec` rules let `security: [{bearerAuth: []}]`
 * through with no `components.securitySchemes.bearerAuth`, and generated clients then send no credentials.
 */
function undefinedSecuritySchemes(root: Obj): Finding[] {
  const components = root.components as Obj | undefined;
  const schemes = (root.swagger !== undefined ? root.securityDefinitions : components?.securitySchemes) ?? {};
  const defined = new Set(isObj(schemes) ? Object.keys(schemes) : []);
  const where = root.swagger !== undefined ? 'securityDefinitions' : 'components.securitySchemes';
  const lists: [string, unknown][] = [['#/security', root.security]];
  for (const { pointer, op } of operations(root)) {
    if (op.security) { lists.push([`${pointer}/security`, op.security]); }
  }
  const out: Finding[] = [];
  for (const [pointer, list] of lists) {
    if (!Array.isArray(list)) { continue; }
    list.forEach((requirement, i) => {
      for (const name of Object.keys((requirement ?? {}) as object)) {
        if (defined.has(name)) { continue; }
        out.push({ pointer: `${pointer}/${i}/${escapeSegment(name)}`, problem: {
          severity: 'error', source: 'openapi:security-scheme-defined',
          message: `Security scheme "${name}" is not defined in ${where}.`,
        } });
      }
    });
  }
  return out;
}

/** Keys whose values are data (examples, defaults, extensions), never schemas: a `pattern` there is a value. */
const DATA_KEYS = new Set(['example', 'examples', 'default', 'enum', 'const', 'value', 'mapping']);

/**
 * Walks everything that can hold a Schema Object (the whole document, less example data and extensions),
 * once per node, calling `visit` on each mapping.
 */
function walkSchemas(root: unknown, visit: (node: Obj, pointer: string) => void): void {
  const seen = new Set<object>();
  const walk = (node: unknown, pointer: string): void => {
    if (typeof node !== 'object' || node === null || seen.has(node)) { return; }
    seen.add(node);
    if (Array.isArray(node)) {
      node.forEach((item, i) => walk(item, `${pointer}/${i}`));
      return;
    }
    visit(node as Obj, pointer);
    for (const [key, value] of Object.entries(node)) {
      if (DATA_KEYS.has(key) || key.startsWith('x-')) { continue; }
      walk(value, `${pointer}/${escapeSegment(key)}`);
    }
  };
  walk(root, '#');
}

/**
 * `required` listing a property twice (JSON Schema requires unique entries), and a `pattern` that is no
 * regular expression at all (ECMA-262, the dialect both JSON Schema and OpenAPI name; read here in its
 * lenient, non-Unicode form so only patterns no engine of that family accepts are reported).
 */
function schemaKeywordChecks(root: unknown): Finding[] {
  const out: Finding[] = [];
  walkSchemas(root, (node, pointer) => {
    if (Array.isArray(node.required)) {
      const seen = new Set<unknown>();
      node.required.forEach((name, i) => {
        if (typeof name === 'string' && seen.has(name)) {
          out.push({ pointer: `${pointer}/required/${i}`, problem: {
            severity: 'error', source: 'openapi:required-unique', message: `\`required\` lists "${name}" more than once.`,
          } });
        }
        seen.add(name);
      });
    }
    if (typeof node.pattern === 'string') {
      try {
        new RegExp(node.pattern);
      } catch (err) {
        const reason = (err as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, '');
        out.push({ pointer: `${pointer}/pattern`, problem: {
          severity: 'error', source: 'openapi:pattern-valid', message: `\`pattern\` is not a valid regular expression: ${reason}.`,
        } });
      }
    }
  });
  return out;
}

/** Header Objects with their pointers: shared ones, and those of responses and encodings anywhere. */
function headers(root: Obj): [string, Obj][] {
  const found: [string, Obj][] = [];
  walkSchemas(root, (node, pointer) => {
    if (/\/headers$/.test(pointer) && !/\/properties\/headers$/.test(pointer)) {
      for (const [name, h] of entries(node)) { if (isObj(h)) { found.push([`${pointer}/${escapeSegment(name)}`, h]); } }
    }
  });
  return found;
}

/** Media Type Objects: every entry of a `content` map outside schemas. */
function mediaTypes(root: Obj): [string, Obj][] {
  const found: [string, Obj][] = [];
  walkSchemas(root, (node, pointer) => {
    if (/\/content$/.test(pointer) && !/\/properties\/content$/.test(pointer)) {
      for (const [name, m] of entries(node)) { if (isObj(m)) { found.push([`${pointer}/${escapeSegment(name)}`, m]); } }
    }
  });
  return found;
}

/**
 * OpenAPI 3.x rules on Parameter, Header and Media Type Objects: `example` and `examples` are mutually
 * exclusive, and `allowReserved` applies only to query parameters (3.2 lets path and form-style cookie
 * parameters use it too; a header never).
 */
function parameterRules(root: Obj): Finding[] {
  if (typeof root.openapi !== 'string') { return []; }
  const v32 = root.openapi.startsWith('3.2');
  const out: Finding[] = [];
  const both = (pointer: string, node: Obj, what: string): void => {
    if ('example' in node && 'examples' in node) {
      out.push({ pointer: `${pointer}/examples`, reportOnKey: true, problem: {
        severity: 'error', source: 'openapi:example-xor-examples', message: `${what} has both \`example\` and \`examples\`: they are mutually exclusive.`,
      } });
    }
  };
  for (const [pointer, p] of parameters(root)) {
    both(pointer, p, `Parameter "${String(p.name)}"`);
    if (!('allowReserved' in p) || p.in === 'query') { continue; }
    const allowed = v32 && (p.in === 'path' || (p.in === 'cookie' && (p.style ?? 'form') === 'form'));
    if (!allowed) {
      out.push({ pointer: `${pointer}/allowReserved`, reportOnKey: true, problem: {
        severity: 'error', source: 'openapi:allow-reserved',
        message: `\`allowReserved\` applies only to query parameters; "${String(p.name)}" is in: ${String(p.in)}.`,
      } });
    }
  }
  for (const [pointer, h] of headers(root)) {
    both(pointer, h, 'This header');
    if ('allowReserved' in h) {
      out.push({ pointer: `${pointer}/allowReserved`, reportOnKey: true, problem: {
        severity: 'error', source: 'openapi:allow-reserved', message: '`allowReserved` applies only to query parameters, not to headers.',
      } });
    }
  }
  for (const [pointer, m] of mediaTypes(root)) { both(pointer, m, 'This media type'); }
  return out;
}

/** The checks the schemas and redocly's `spec` rules leave out. */
export function semanticChecks(root: Obj): Finding[] {
  return [...optionalPathParameters(root), ...undefinedSecuritySchemes(root), ...schemaKeywordChecks(root), ...parameterRules(root)];
}

/**
 * The `$ref`s of a 3.1 document that point at a Schema Object's own `$id` or `$anchor` in the same document
 * (JSON Schema 2020-12 references, resolved against the nearest enclosing `$id`). Redocly knows only JSON
 * pointers and files, so it calls these unresolved or "another file". Gives the pointers of the objects
 * holding such a `$ref`, and the `$ref` values themselves.
 */
export function identifiedTargets(root: unknown, retrievalUri: string): { pointers: Set<string>; refs: Set<string> } {
  const ids = new Set<string>();
  const refs: { pointer: string; ref: string; base: string }[] = [];
  const resolve = (ref: string, base: string): string | undefined => {
    try { return new URL(ref, base).href; } catch { return undefined; }
  };
  const seen = new Set<object>();
  const walk = (node: unknown, pointer: string, base: string): void => {
    if (typeof node !== 'object' || node === null || seen.has(node)) { return; }
    seen.add(node);
    if (Array.isArray(node)) { node.forEach((item, i) => walk(item, `${pointer}/${i}`, base)); return; }
    const obj = node as Obj;
    let here = base;
    if (typeof obj.$id === 'string') {
      here = resolve(obj.$id, base) ?? base;
      ids.add(here.replace(/#$/, ''));
    }
    for (const key of ['$anchor', '$dynamicAnchor']) {
      if (typeof obj[key] === 'string') { ids.add(`${here.replace(/#.*$/, '')}#${String(obj[key])}`); }
    }
    if (typeof obj.$ref === 'string') { refs.push({ pointer, ref: obj.$ref, base: here }); }
    for (const [key, value] of Object.entries(obj)) {
      if (DATA_KEYS.has(key) && key !== 'enum') { continue; }
      walk(value, `${pointer}/${escapeSegment(key)}`, here);
    }
  };
  walk(root, '#', retrievalUri);
  const pointers = new Set<string>();
  const values = new Set<string>();
  if (ids.size === 0) { return { pointers, refs: values }; }
  for (const { pointer, ref, base } of refs) {
    const target = resolve(ref, base);
    if (!target) { continue; }
    const [doc, fragment] = target.split('#');
    // `#/...` after an `$id` is a pointer into that schema; `#name` an anchor.
    if (ids.has(target) || (ids.has(doc) && (fragment === undefined || fragment === '' || fragment.startsWith('/')))) {
      pointers.add(pointer);
      values.add(ref);
    }
  }
  return { pointers, refs: values };
}
