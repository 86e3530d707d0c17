/**
 * The drift check over a workspace: list files through the scanner's FileSource (node:fs in the CLI and
 * tests, VS Code's file search in the extension), skip what the scanner never reads (dependencies, build
 * output, secrets, binaries) and tests, read the OpenAPI documents and the code that can declare routes,
 * then compare. No `vscode`, no writing; reads only through the source, capped per file.
 */
import { looksLikeOpenApi } from '../artifacts/sniff';
import { classifyPath, fileSkipReason } from '../context/classify';
import { readContent } from '../context/readContent';
import type { FileEntry, FileSource } from '../context/types';
import { detectStack, isStackFile } from '../context/stack';
import { compareRoutes } from './compare';
import { langOf } from './lexer';
import { readProperties } from './properties';
import { extractRoutes, type RouteFile } from './routes';
import { MAX_SPEC_CHARS, readSpec } from './spec';
import type { DriftNote, DriftReport, SpecDocument } from './types';

/** How to check. */
export interface DriftOptions {
  /** Compare with this document only (workspace-relative); by default every OpenAPI document found. */
  spec?: string;
  /** Source files bigger than this are not read (default 1 MiB). */
  maxFileBytes?: number;
  /** Stop after reading this many source files (default 20,000); a note says so. */
  maxFiles?: number;
  signal?: AbortSignal;
}

const SPEC_HEAD = 4096;
const READ_CONCURRENCY = 32;
/** Frameworks the scanner detects whose routes no extractor reads: named in a note rather than passed over in silence. */
const UNSUPPORTED = new Set(['Hapi', 'Hono', 'Next.js', 'Apollo Server', 'Quarkus', 'Micronaut', 'Ktor', 'Fiber', 'gorilla/mux', 'gRPC',
  'Sinatra', 'Grape', 'Symfony', 'Slim', 'Actix Web', 'Axum', 'Rocket']);

/** Checks the workspace behind `source`: its OpenAPI document(s) against the routes its code declares. */
export async function checkDrift(source: FileSource, options: DriftOptions = {}): Promise<DriftReport> {
  const signal = options.signal;
  const entries = await listAll(source, signal);
  const maxBytes = options.maxFileBytes ?? 1024 * 1024;
  const maxFiles = options.maxFiles ?? 20_000;
  const notes: DriftNote[] = [];
  const listed: string[] = [];
  const code: string[] = [];
  const specCandidates: string[] = [];
  const config: string[] = [];
  const manifests: string[] = [];
  const dirCache = new Map<string, string | null>();
  for (const e of entries) {
    if (e.skip || e.path.endsWith('/') || fileSkipReason(e.path, dirCache)) { continue; }
    listed.push(e.path);
    if (e.size !== undefined && e.size > MAX_SPEC_CHARS) { continue; }
    const role = classifyPath(e.path).role;
    if (options.spec ? e.path === options.spec : /\.(?:ya?ml|json)$/i.test(e.path) && role !== 'manifest') { specCandidates.push(e.path); }
    if (/(^|\/)application[^/]*\.(?:properties|ya?ml)$/i.test(e.path)) { config.push(e.path); }
    if (isStackFile(e.path)) { manifests.push(e.path); }
    if (langOf(e.path) && role !== 'test' && (e.size === undefined || e.size <= maxBytes)) { code.push(e.path); }
  }
  if (code.length > maxFiles) {
    notes.push({ file: '', message: `Only the first ${maxFiles.toLocaleString('en-US')} of ${code.length.toLocaleString('en-US')} source files were read.` });
    code.length = maxFiles;
  }
  const readText = async (path: string, cap: number): Promise<string | undefined> => {
    const r = await readContent(source, path, cap);
    return r.ok && !r.cut ? r.text : undefined;
  };
  const specs: SpecDocument[] = [];
  const specTexts = await mapLimit(specCandidates, async path => {
    if (!options.spec) {
      // A look at the head first: most YAML and JSON files in a repository are not specs.
      const head = await source.read(path, SPEC_HEAD).catch(() => undefined);
      if (!head || !looksLikeOpenApi(new TextDecoder().decode(head))) { return undefined; }
    }
    return readText(path, MAX_SPEC_CHARS);
  }, signal);
  specCandidates.forEach((path, i) => {
    const text = specTexts[i];
    if (text === undefined) {
      if (options.spec) { notes.push({ file: path, message: 'The spec could not be read.' }); }
      return;
    }
    const read = readSpec(path, text);
    notes.push(...read.notes);
    if (read.spec) { specs.push(read.spec); }
  });
  const codeTexts = await mapLimit(code, p => readText(p, maxBytes), signal);
  const files: RouteFile[] = [];
  code.forEach((path, i) => { const text = codeTexts[i]; if (text !== undefined) { files.push({ path, text }); } });
  const configTexts = await mapLimit(config, p => readText(p, 256 * 1024), signal);
  const properties = readProperties(config.map((path, i) => ({ path, text: configTexts[i] ?? '' })));
  const extraction = extractRoutes(files, { listed, properties });
  notes.push(...extraction.notes, ...await stackNotes(source, manifests, listed, extraction.frameworks.length, signal));
  const compared = specs.length ? compareRoutes(extraction.routes, specs) : undefined;
  if (specs.length === 0) { notes.push({ file: '', message: options.spec ? `${options.spec} is not an OpenAPI document that could be read.` : 'No OpenAPI document was found.' }); }
  return {
    spec: specs[0]?.file ?? null,
    specs,
    basePath: compared?.basePath ?? '',
    frameworks: extraction.frameworks,
    routes: extraction.routes,
    operations: compared?.operations ?? [],
    items: compared?.items ?? [],
    notes: [...notes, ...(compared?.notes ?? [])],
    inputs: [...new Set([...specs.map(s => s.file), ...extraction.inputs, ...config])].sort(),
  };
}

/** Whether saving `path` can change the check's result: a spec it read, a file with routes, or any source it could read routes from. */
export function mayAffectDrift(path: string, report?: DriftReport): boolean {
  if (report?.inputs.includes(path)) { return true; }
  return (langOf(path) !== undefined && classifyPath(path).role !== 'test') || /\.(?:ya?ml|json)$/i.test(path);
}

async function listAll(source: FileSource, signal?: AbortSignal): Promise<FileEntry[]> {
  const listed = source.list(signal);
  if (Symbol.asyncIterator in listed) {
    const out: FileEntry[] = [];
    for await (const e of listed) { out.push(e); }
    return out;
  }
  return [...await listed].map(e => (e.path.includes('\\') ? { ...e, path: e.path.replace(/\\/g, '/') } : e));
}

/** Runs `fn` over `items` with a bounded number at once, keeping order. */
async function mapLimit<T, R>(items: readonly T[], fn: (item: T) => Promise<R>, signal?: AbortSignal): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      signal?.throwIfAborted();
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, items.length) }, worker));
  signal?.throwIfAborted();
  return out;
}

/** Notes about frameworks the scanner detects but no extractor reads, and about finding no route at all. */
async function stackNotes(source: FileSource, manifests: string[], listed: string[], found: number, signal?: AbortSignal): Promise<DriftNote[]> {
  const picked = manifests.sort((a, b) => a.split('/').length - b.split('/').length).slice(0, 40);
  const texts = new Map<string, string>();
  const read = await mapLimit(picked, async p => { const r = await readContent(source, p, 256 * 1024); return r.ok ? r.text : undefined; }, signal);
  picked.forEach((p, i) => { if (read[i] !== undefined) { texts.set(p, read[i]!); } });
  const stack = detectStack(listed, texts);
  const out: DriftNote[] = stack.frameworks.filter(f => UNSUPPORTED.has(f))
    .map(f => ({ file: stack.evidence.find(e => e.name === f)?.path ?? '', message: `Routes declared with ${f} are not analysed.` }));
  if (found === 0) { out.push({ file: '', message: `No routes were found${stack.frameworks.length ? ` (stack: ${stack.frameworks.join(', ')})` : ''}.` }); }
  return out;
}
