/**
 * OpenAPI 3.0/3.1 and Swagger 2.0 validation with @redocly/openapi-core, loaded on first use.
 *
 * Why redocly (MEASURED.md compares three validators on a 1,000-line spec): it is the only one that reports
 * problems at a line and column of the text the person wrote (the others point into a dereferenced or
 * re-serialised copy), it is about five times faster warm (~20 ms against 100–113 ms), it locates bad
 * `$ref`s, catches wrong schema types in 3.1, and reports two mistakes as two problems rather than 64.
 *
 * Remote references are never fetched (THREATS T10): redocly's resolver is replaced by one whose loader
 * refuses every URL (and every file, unless the caller names a folder the spec may read from), and the
 * `fetch` redocly would fall back on is replaced by one that throws. Remote `$ref`, `$schema`, `$id` and
 * `externalValue` URLs are reported as warnings instead, so the person confirms them before writing.
 */
import type * as Redocly from '@redocly/openapi-core';
import * as path from 'node:path';
import { identifiedTargets, semanticChecks, type Finding } from './openapiChecks';
import { OAS_31_DIALECT, schemaFindings, type SchemaFinding, type SchemaVersion } from './openapiSchema';
import { findRemoteReferences, remoteReferenceMessage, type RemoteReference } from './remoteRefs';
import type { ArtifactProblem, ValidationResult } from './types';

export interface OpenApiOptions {
  /**
   * Where the spec lives on disk (the CLI): relative `$ref`s resolve against it. Without it the spec is an
   * answer's block with no home, and references to other files are reported, not followed.
   */
  sourcePath?: string;
  /** Files under this folder may be read to resolve relative `$ref`s. URLs are never read, whatever this says. */
  allowFilesUnder?: string;
  /**
   * Asked before a referenced file under `allowFilesUnder` is read: a reason to refuse it, or undefined to
   * read it. The MCP tools refuse secret files and links that lead out of the folder.
   */
  refuseFile?: (absolutePath: string) => Promise<string | undefined>;
}

/** Specs bigger than this are refused before parsing: no model answer is this long. */
export const MAX_OPENAPI_CHARS = 5_000_000;
/** Alias expansions allowed before a YAML document counts as a resource-exhaustion attack (THREATS T11). */
const MAX_ALIAS_COUNT = 100;

interface Engine {
  core: typeof Redocly;
  config: Redocly.Config;
  resolver(allowFilesUnder?: string, refuseFile?: OpenApiOptions['refuseFile']): Redocly.BaseResolver;
}

let engine: Promise<Engine> | undefined;

/**
 * Rules beyond redocly's `spec` set that catch real mistakes. Style and policy rules stay off: they are
 * opinions, not errors (`security-defined` would demand security on every operation of a public API).
 * `no-invalid-media-type-examples` stays off too: it compiles a schema per example and made the museum
 * spec grown to 1,091 lines 3.5 times slower (26 ms against 7 ms warm) for a warning.
 */
const EXTRA_RULES = {
  'no-undefined-server-variable': 'error',
  'no-server-variables-empty-enum': 'error',
  // Recommendations, not rules of the specification: a 3.0 `nullable` without `type` has no effect,
  // `$ref` siblings are ignored in 3.0 and allowed in 3.1, a query string in a path key breaks no MUST,
  // and an enum value that is not of the schema's type (`null` in a nullable 3.0 enum) is legal JSON Schema.
  'nullable-type-sibling': 'warn',
  'spec-ref-siblings': 'warn',
  'path-not-include-query': 'warn',
  'no-enum-type-mismatch': 'warn',
  'no-invalid-parameter-examples': 'warn',
  'no-required-schema-properties-undefined': 'warn',
  'no-ambiguous-paths': 'warn',
} as const;

function loadEngine(): Promise<Engine> {
  engine ??= (async () => {
    const core = await import('@redocly/openapi-core');
    const refuseFetch = (url: string): Promise<never> => Promise.reject(new Error(`network access refused: ${url}`));
    const config = await core.createConfig({
      extends: ['spec'],
      rules: { ...EXTRA_RULES },
      resolve: { http: { headers: [], customFetch: refuseFetch as unknown as typeof fetch } },
    });
    return { core, config, resolver: (allow?: string, refuse?: OpenApiOptions['refuseFile']) => offlineResolver(core, allow, refuse) };
  })().catch((err: unknown) => {
    engine = undefined;
    throw err;
  });
  return engine;
}

/** A resolver that never touches the network, and reads files only inside `allowFilesUnder`. */
function offlineResolver(core: typeof Redocly, allowFilesUnder?: string, refuseFile?: OpenApiOptions['refuseFile']): Redocly.BaseResolver {
  class OfflineResolver extends core.BaseResolver {
    override async loadExternalRef(absoluteRef: string): Promise<Redocly.Source> {
      if (core.isAbsoluteUrl(absoluteRef)) {
        throw new core.ResolveError(new Error(`remote reference not fetched: ${absoluteRef}`));
      }
      if (!allowFilesUnder || !isInside(allowFilesUnder, absoluteRef)) {
        throw new core.ResolveError(new Error(`reference to another file not followed: ${absoluteRef}`));
      }
      const refused = await refuseFile?.(absoluteRef);
      if (refused) { throw new core.ResolveError(new Error(`file not read (${refused}): ${absoluteRef}`)); }
      return super.loadExternalRef(absoluteRef);
    }
  }
  return new OfflineResolver({ http: { headers: [] } });
}

function isInside(folder: string, file: string): boolean {
  const rel = path.relative(path.resolve(folder), path.resolve(file));
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/** Where an answer's spec "lives" for redocly: a name only, never read. */
const VIRTUAL_PATH = '/artifact/openapi.yaml';

/**
 * Validates an OpenAPI or Swagger document given as YAML or JSON text. Errors make it `invalid`; warnings
 * (remote URLs, examples that do not match their schema, ...) leave it `valid`. Lines are 1-based lines of
 * `text` (or of the referenced file named in `file`).
 */
export async function validateOpenApi(text: string, options: OpenApiOptions = {}): Promise<ValidationResult> {
  const early = await refuseEarly(text);
  if (early) { return { status: 'invalid', problems: [early] }; }
  const { core, config, resolver } = await loadEngine();
  const absoluteRef = options.sourcePath ? path.resolve(options.sourcePath) : VIRTUAL_PATH;
  const source = new core.Source(absoluteRef, text);
  let parsed: unknown;
  try {
    // Parsed here rather than by lintFromString so the alias limit reaches redocly's YAML parser.
    parsed = core.parseYaml(text, { filename: absoluteRef, maxAliases: MAX_ALIAS_COUNT } as Parameters<typeof core.parseYaml>[1]);
  } catch (err) {
    return { status: 'invalid', problems: [yamlProblem(err)] };
  }
  const versionProblem = checkVersion(core, source, parsed);
  if (versionProblem) { return { status: 'invalid', problems: [versionProblem] }; }
  const document = { source, parsed };
  let found: Redocly.NormalizedProblem[];
  try {
    found = await core.lintDocument({ document, config, externalRefResolver: resolver(options.allowFilesUnder, options.refuseFile) });
  } catch (err) {
    return { status: 'invalid', problems: [{ line: 1, severity: 'error', source: 'redocly', message: `The validator stopped: ${(err as Error).message}` }] };
  }
  const root = parsed as Record<string, unknown>;
  const identified = identifiedTargets(parsed, absoluteRef.startsWith('/') ? `file://${absoluteRef}` : absoluteRef);
  const checks = semanticChecks(root);
  const semantic = checks.map(f => findingProblem(core, source, f));
  const redocly = found
    .filter(p => !resolvedElsewhere(p, root, identified.pointers))
    .map(p => toProblem(core, p, absoluteRef, parsed)).filter((p): p is ArtifactProblem => p !== undefined);
  const version = schemaVersionOf(root);
  const structural = version
    ? judgeStructure(coveredBy(await schemaFindings(parsed, version, dialectOf(root)), checks), redocly, semantic, version, f => lineOf(core, source, f.pointer, f.reportOnKey))
    : redocly;
  const remote = findRemoteReferences(parsed).filter(r => r.key !== '$ref' || !identified.refs.has(r.url));
  const problems = [...structural, ...semantic, ...remote.map(r => remoteProblem(core, source, r))];
  const unique = dedupe(problems).sort((a, b) => (a.file ?? '').localeCompare(b.file ?? '') || a.line - b.line || (a.column ?? 0) - (b.column ?? 0));
  return { status: unique.some(p => p.severity === 'error') ? 'invalid' : 'valid', problems: unique };
}

/** Schema errors a semantic check already reports more precisely (each duplicate of `required`, say). */
function coveredBy(findings: SchemaFinding[], checks: Finding[]): SchemaFinding[] {
  return findings.filter(f => !checks.some(c => c.problem.severity === 'error' && (c.pointer === f.pointer || c.pointer.startsWith(`${f.pointer}/`))));
}

/** The version whose JSON Schema decides, or undefined for 3.2 (no published schema in the package yet). */
function schemaVersionOf(root: Record<string, unknown>): SchemaVersion | undefined {
  if (root.swagger === '2.0') { return '2.0'; }
  const v = String(root.openapi ?? '');
  return v.startsWith('3.0') ? '3.0' : v.startsWith('3.1') ? '3.1' : undefined;
}

/** Schema Objects follow the OAS dialect unless the document names another one (then only their shape is checked). */
function dialectOf(root: Record<string, unknown>): boolean {
  return root.jsonSchemaDialect === undefined || root.jsonSchemaDialect === OAS_31_DIALECT;
}

/**
 * Redocly problems that are not problems: a `$ref` to a Schema Object's own `$id` or `$anchor`, and a
 * discriminator mapping that names a schema (`mapping: {cat: Cat}`, which the specification allows).
 */
function resolvedElsewhere(p: Redocly.NormalizedProblem, root: Record<string, unknown>, identified: Set<string>): boolean {
  if (p.ruleId !== 'no-unresolved-refs') { return false; }
  const pointer = p.location[0]?.pointer ?? '';
  if (identified.has(pointer) || identified.has(pointer.replace(/\/\$ref$/, ''))) { return true; }
  const mapped = /\/discriminator\/mapping\/[^/]+$/.test(pointer) ? valueAt(root, pointer) : undefined;
  const schemas = (root.components as Record<string, unknown> | undefined)?.schemas as Record<string, unknown> | undefined;
  return typeof mapped === 'string' && /^[\w.-]+$/.test(mapped) && schemas !== undefined && mapped in schemas;
}

/**
 * The specification's JSON Schema decides what is structurally wrong. Where redocly's type model says the
 * same thing on the same line, its wording is kept (it names the object it expected); where only redocly
 * complains, that is its opinion and becomes a warning (3.1 boolean schemas, which are legal, are dropped).
 */
function judgeStructure(
  findings: SchemaFinding[], redocly: ArtifactProblem[], semantic: ArtifactProblem[], version: SchemaVersion,
  lineFor: (f: SchemaFinding) => { line: number; column: number },
): ArtifactProblem[] {
  const schemaErrors = findings.map(f => ({ ...lineFor(f), severity: 'error' as const, source: 'openapi-schema', message: f.message }));
  const errorLines = new Set(schemaErrors.map(e => e.line));
  const semanticLines = new Set(semantic.filter(p => p.severity === 'error').map(p => p.line));
  const out: ArtifactProblem[] = [];
  const confirmed = new Set<number>();
  for (const p of redocly) {
    if (p.source !== 'redocly:struct' || p.file) { out.push(p); continue; }
    if (errorLines.has(p.line)) {
      // Redocly's "not expected here" about a keyword the schema knows but finds the wrong value for
      // (`$recursiveAnchor: true`, 2019-09's form) would mislead: the schema's own message is kept then.
      const schemaSays = schemaErrors.find(e => e.line === p.line);
      if (/is not expected here/.test(p.message) && schemaSays && !/is not allowed here/.test(schemaSays.message)) { continue; }
      confirmed.add(p.line);
      out.push(p);
      continue;
    }
    if (version === '3.1' && /^Expected type `Schema` \(object\) but got `boolean`/.test(p.message)) { continue; }
    if (version === '3.1' && /^Property `nullable` is not expected here/.test(p.message)) {
      out.push({ ...p, severity: 'warning', message: '`nullable` is not part of OpenAPI 3.1 and has no effect: write `type: [..., "null"]` instead.' });
      continue;
    }
    out.push({ ...p, severity: 'warning' });
  }
  const seenLines = new Set<number>();
  for (const e of schemaErrors) {
    if (confirmed.has(e.line) || semanticLines.has(e.line) || seenLines.has(e.line)) { continue; }
    seenLines.add(e.line);
    out.push(e);
  }
  return out;
}

function findingProblem(core: typeof Redocly, source: Redocly.Source, f: Finding): ArtifactProblem {
  return { ...lineOf(core, source, f.pointer, f.reportOnKey ?? true), ...f.problem };
}

/** Size cap, and the YAML "billion laughs" (redocly's parser limits alias uses, not their expansion). */
async function refuseEarly(text: string): Promise<ArtifactProblem | undefined> {
  if (text.length > MAX_OPENAPI_CHARS) {
    return { line: 1, severity: 'error', source: 'openapi', message: `Spec too large: ${text.length} characters (limit ${MAX_OPENAPI_CHARS}).` };
  }
  if (!/(?:^|[\s[{,:])\*[\w-]/m.test(text)) { return undefined; }
  const { parseDocument } = await import('yaml');
  try {
    parseDocument(text).toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    if (/alias/i.test((err as Error).message)) {
      return { line: 1, severity: 'error', source: 'openapi', message: `YAML aliases expand too far: ${(err as Error).message}` };
    }
  }
  return undefined;
}

function yamlProblem(err: unknown): ArtifactProblem {
  const e = err as { mark?: { line: number; column: number }; reason?: string; message?: string };
  const fromMessage = /\((\d+):(\d+)\)/.exec(e.message ?? '');
  const line = e.mark ? e.mark.line + 1 : Number(fromMessage?.[1] ?? 1);
  const column = e.mark ? e.mark.column + 1 : Number(fromMessage?.[2] ?? 1);
  const message = e.reason ?? (e.message ?? String(err)).split('\n')[0];
  return { line, column, severity: 'error', source: 'yaml', message: `YAML: ${message}` };
}

/** An `openapi: 3.x` string or `swagger: "2.0"` at the top, before redocly guesses what the document is. */
function checkVersion(core: typeof Redocly, source: Redocly.Source, root: unknown): ArtifactProblem | undefined {
  const problem = (message: string, key?: string): ArtifactProblem => {
    const at = key ? lineOf(core, source, `#/${key}`, true) : { line: 1, column: 1 };
    return { ...at, severity: 'error', source: 'openapi', message };
  };
  if (typeof root !== 'object' || root === null || Array.isArray(root)) {
    return problem('Not an OpenAPI document: expected a mapping with `openapi:` at the top.');
  }
  const doc = root as Record<string, unknown>;
  if (doc.openapi !== undefined) {
    if (typeof doc.openapi !== 'string') { return problem(`\`openapi\` must be a string such as "3.1.0", not ${JSON.stringify(doc.openapi)}.`, 'openapi'); }
    return /^3\.[0-2]\.\d+$/.test(doc.openapi) ? undefined : problem(`Unsupported OpenAPI version "${doc.openapi}": use 3.0.x, 3.1.x or 3.2.x.`, 'openapi');
  }
  const old = typeof doc.swaggerVersion === 'string' ? 'swaggerVersion' : /^1\./.test(String(doc.swagger ?? '')) ? 'swagger' : undefined;
  if (old) {
    return problem(`Swagger ${String(doc[old])} is not supported: this checker reads Swagger 2.0 and OpenAPI 3.0, 3.1 and 3.2. ` +
      'Convert the description to OpenAPI 3 (Swagger 1.x was retired in 2014).', old);
  }
  if (doc.swagger !== undefined) {
    return doc.swagger === '2.0' ? undefined : problem(`\`swagger\` must be the string "2.0", not ${JSON.stringify(doc.swagger)}.`, 'swagger');
  }
  if (doc.asyncapi !== undefined) {
    return problem('Not an OpenAPI document: this is an AsyncAPI description, which this checker does not read.', 'asyncapi');
  }
  return problem('Not an API description: no `openapi: 3.1.0` (or `swagger: "2.0"`) at the top' +
    `${typeof doc.$schema === 'string' ? '; this looks like a JSON Schema' : ''}.`);
}

function lineOf(core: typeof Redocly, source: Redocly.Source, pointer: string, reportOnKey: boolean): { line: number; column: number } {
  try {
    const loc = core.getLineColLocation({ source, pointer, reportOnKey });
    return { line: loc.start.line, column: loc.start.col };
  } catch {
    return { line: 1, column: 1 };
  }
}

/** The value a redocly pointer (`#/paths/~1pets/get`) names in the parsed document. */
function valueAt(root: unknown, pointer: string): unknown {
  let node = root;
  for (const raw of pointer.replace(/^#\/?/, '').split('/').filter(Boolean)) {
    let key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    try { key = decodeURIComponent(key); } catch { /* keep the raw segment */ }
    if (typeof node !== 'object' || node === null) { return undefined; }
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** One redocly problem on the person's lines; undefined for what the remote-URL warnings already say. */
function toProblem(core: typeof Redocly, p: Redocly.NormalizedProblem, rootRef: string, root: unknown): ArtifactProblem | undefined {
  const loc = p.location[0];
  let at = { line: 1, column: 1 };
  try {
    const lc = loc ? core.getLineColLocation(loc) : undefined;
    if (lc) { at = { line: lc.start.line, column: lc.start.col }; }
  } catch { /* keep line 1 */ }
  const inRoot = !loc || loc.source.absoluteRef === rootRef;
  const problem: ArtifactProblem = { ...at, severity: p.severity === 'error' ? 'error' : 'warning', source: `redocly:${p.ruleId}`, message: p.message };
  if (!inRoot) { problem.file = loc.source.absoluteRef; }
  if (p.ruleId === 'no-unresolved-refs') {
    const reason = /Can't resolve \$ref(?::\s*(.*))?$/.exec(p.message)?.[1] ?? '';
    if (reason.startsWith('remote reference not fetched')) { return undefined; }
    const ref = loc && inRoot ? (valueAt(root, loc.pointer ?? '') as { $ref?: unknown } | undefined)?.$ref : undefined;
    const named = typeof ref === 'string' ? ` "${ref}"` : '';
    if (typeof ref === 'string' && /^[\w-]+$/.test(ref)) {
      // `$ref: Pet` is Swagger 1.2's short form; 2.0 and 3.x read it as a file called "Pet".
      const home = (root as Record<string, unknown>).swagger !== undefined ? '#/definitions/' : '#/components/schemas/';
      return { ...problem, message: `$ref "${ref}" is neither a JSON pointer nor a file: write '${home}${ref}'.` };
    }
    if (reason.startsWith('reference to another file not followed')) {
      return { ...problem, severity: 'warning', message: `$ref${named} points to another file, which was not checked.` };
    }
    const refused = /^file not read \((.*)\): /.exec(reason);
    if (refused) { return { ...problem, severity: 'warning', message: `$ref${named} points to a file that was not read: ${refused[1]}.` }; }
    problem.message = `Can't resolve $ref${named}${reason ? `: ${reason}` : ''}.`;
  }
  if (p.ruleId === 'operation-operationId-unique' && loc?.pointer && inRoot) {
    // Redocly's pointer ends at the duplicate value, which resolves to the operation's first line: point
    // at the operationId itself, and name it so the person can search for the other one.
    const idPointer = `${loc.pointer.replace(/\/[^/]*$/, '')}/operationId`;
    const id = valueAt(root, idPointer);
    if (typeof id === 'string') {
      Object.assign(problem, lineOf(core, loc.source, idPointer, false));
      problem.message = `operationId "${id}" is used by more than one operation.`;
    }
  }
  if (p.suggest.length) { problem.message += ` Did you mean: ${p.suggest.slice(0, 3).join(', ')}?`; }
  return problem;
}

function remoteProblem(core: typeof Redocly, source: Redocly.Source, ref: RemoteReference): ArtifactProblem {
  return { ...lineOf(core, source, ref.pointer, false), severity: 'warning', source: 'remote-url', message: remoteReferenceMessage(ref) };
}

function dedupe(problems: ArtifactProblem[]): ArtifactProblem[] {
  const seen = new Set<string>();
  return problems.filter(p => {
    const key = `${p.file ?? ''}:${p.line}:${p.column ?? ''}:${p.message}`;
    if (seen.has(key)) { return false; }
    seen.add(key);
    return true;
  });
}
