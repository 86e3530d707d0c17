/**
 * `search_text`: lines of the folder's files holding a literal string or matching a regular expression, as
 * `path:line: text`. What the scanner never reads is never searched (dependencies, build output, generated
 * and lock files, binaries, secrets). Matching runs on redacted text, so a search cannot confirm a secret
 * value: a file is redacted only when its raw text matches, then matched again. Regular expressions with
 * nested repetition or backreferences are refused (they can take exponential time, and JavaScript cannot
 * interrupt a match). Pure.
 */
import { fileSkipReason } from '../context/classify';
import { compileGlob } from '../context/ignore';
import type { ToolOutcome } from '../llm/toolLoop';
import type { ToolSpec } from '../llm/types';
import { requiredLiteral } from './regexLiteral';
import { looksBinary, prepareText } from './text';
import { type Args, boolArg, capResult, intArg, plural, refuse, textArg, type ToolContext } from './toolContext';

const DEFAULT_HITS = 50;
const MAX_HITS = 200;
/** Only the head of a larger file is searched. */
const MAX_FILE_BYTES = 1024 * 1024;
/** Regular expressions see at most this much of a line. */
const MAX_MATCH_LINE = 2000;
/** Characters of a hit's line shown around the match. */
const EXCERPT = 200;
/** The search gives the event loop (and Stop) a turn this often. */
const SLICE_MS = 15;

export const searchTextSpec: ToolSpec = {
  name: 'search_text',
  description: 'Search the text of the folder\'s files, line by line, for a literal string (default) or a JavaScript regular '
    + 'expression. Returns matching lines as "path:line: text". Dependencies, build output, generated and lock files, '
    + 'binaries and secret files are not searched.',
  parameters: {
    type: 'object',
    properties: {
      query: { type: 'string', description: 'The text to find (one line), or a regular expression when regex is true.' },
      regex: { type: 'boolean', description: 'Treat query as a regular expression (default false).' },
      ignoreCase: { type: 'boolean', description: 'Match regardless of case (default false).' },
      glob: { type: 'string', description: 'Only files matching this glob, e.g. "**/*.sql", "src/**" ("*.ts" matches names at any depth).' },
      maxHits: { type: 'integer', description: `Stop after this many matching lines (default ${DEFAULT_HITS}, up to ${MAX_HITS}).` },
    },
    required: ['query'],
    additionalProperties: false,
  },
};

/** "Searched `FOR UPDATE` in **\/*.sql". */
export function searchTextLabel(args: Args): string {
  const glob = textArg(args, 'glob')?.trim();
  const query = (textArg(args, 'query') ?? '').replace(/\s+/g, ' ').slice(0, 80);
  return `Searched ${boolArg(args, 'regex') ? '/' + query + '/' : `\`${query}\``}${glob ? ` in ${glob}` : ''}`;
}

/**
 * Why a regular expression is refused, or undefined: too long, a backreference, or a repeated group that
 * repeats inside ("(a+)+", "(\w*\s?)*"), the shapes behind catastrophic backtracking.
 */
export function unsafeRegex(source: string): string | undefined {
  if (source.length > 300) { return 'longer than 300 characters'; }
  if (/\\[1-9]|\\k</.test(source)) { return 'it uses a backreference'; }
  const groups: boolean[] = [false];
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') { i++; continue; }
    if (c === '[') {
      // Skip a character class; ']' right after '[' or '[^' is a literal.
      let j = i + 1;
      if (source[j] === '^') { j++; }
      if (source[j] === ']') { j++; }
      while (j < source.length && source[j] !== ']') { j += source[j] === '\\' ? 2 : 1; }
      i = j;
      continue;
    }
    if (c === '(') { groups.push(false); continue; }
    const repeats = c === '*' || c === '+' || (c === '{' && /^\{\d*,\d*\}|^\{\d+\}/.test(source.slice(i)));
    if (c === ')') {
      const inner = groups.length > 1 ? groups.pop()! : false;
      const next = source[i + 1];
      const repeated = next === '*' || next === '+' || (next === '{' && /^\{\d*,\}|^\{\d*,\d{2,}\}/.test(source.slice(i + 1)));
      if (inner && repeated) { return 'a repeated group repeats inside (nested repetition can take exponential time)'; }
      if (inner || repeated) { groups[groups.length - 1] = true; }
      continue;
    }
    if (repeats) { groups[groups.length - 1] = true; }
  }
  return undefined;
}

/** A turn for the event loop: setImmediate where there is one (a 0 ms timer waits at least 1 ms, ~100 times a big search). */
function yieldTurn(): Promise<void> {
  const immediate = (globalThis as { setImmediate?: (f: () => void) => unknown }).setImmediate;
  return new Promise(resolve => { if (immediate) { immediate(resolve); } else { setTimeout(resolve, 0); } });
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Whether `needle` occurs in `hay`: Buffer's native search in Node, a first-byte scan elsewhere. */
function bytesInclude(hay: Uint8Array, needle: Uint8Array): boolean {
  const B = (globalThis as { Buffer?: { from(a: ArrayBufferLike, o: number, l: number): Uint8Array & { indexOf(n: Uint8Array): number } } }).Buffer;
  if (B) { return B.from(hay.buffer, hay.byteOffset, hay.byteLength).indexOf(needle) >= 0; }
  for (let i = hay.indexOf(needle[0]); i >= 0 && i + needle.length <= hay.length; i = hay.indexOf(needle[0], i + 1)) {
    let k = 1;
    while (k < needle.length && hay[i + k] === needle[k]) { k++; }
    if (k === needle.length) { return true; }
  }
  return false;
}

function excerpt(line: string, re: RegExp): string {
  const text = line.trim();
  if (text.length <= EXCERPT) { return text; }
  const at = Math.max(0, text.search(re));
  const from = Math.max(0, Math.min(at - 60, text.length - EXCERPT));
  return `${from > 0 ? '…' : ''}${text.slice(from, from + EXCERPT)}…`;
}

interface Query {
  re: RegExp;
  /** Bytes a file must hold to be worth decoding (a case-sensitive literal, or the longest one a regex requires). */
  needle?: Uint8Array;
  literal: boolean;
}

function compileQuery(args: Args): Query | string {
  const query = textArg(args, 'query');
  if (!query) { return 'Give a query: the text to find.'; }
  if (query.length > 500) { return 'The query is longer than 500 characters.'; }
  if (/[\r\n]/.test(query)) { return 'The search works line by line: give a query without line breaks.'; }
  const flags = boolArg(args, 'ignoreCase') ? 'i' : '';
  if (!boolArg(args, 'regex')) {
    return { re: new RegExp(escapeRegExp(query), flags), literal: true, needle: flags ? undefined : new TextEncoder().encode(query) };
  }
  const unsafe = unsafeRegex(query);
  if (unsafe) { return `That regular expression is refused: ${unsafe}. Search for a literal part of it instead.`; }
  try {
    const re = new RegExp(query, flags);
    const must = flags ? undefined : requiredLiteral(query);
    return { re, literal: false, needle: must ? new TextEncoder().encode(must) : undefined };
  } catch (e) {
    return `Not a valid regular expression: ${(e as Error).message}`;
  }
}

/** The numbers of the lines of `text` that match (regular expressions see at most MAX_MATCH_LINE of a line). */
function matchingLines(lines: string[], q: Query, limit: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < lines.length && out.length < limit; i++) {
    const line = lines[i];
    if (q.re.test(q.literal || line.length <= MAX_MATCH_LINE ? line : line.slice(0, MAX_MATCH_LINE))) { out.push(i); }
  }
  return out;
}

export async function searchText(args: Args, ctx: ToolContext, signal: AbortSignal): Promise<ToolOutcome> {
  const q = compileQuery(args);
  if (typeof q === 'string') { return refuse(q); }
  const glob = textArg(args, 'glob')?.trim();
  const match = glob ? compileGlob(glob) : undefined;
  const maxHits = intArg(args, 'maxHits', 1, MAX_HITS) ?? DEFAULT_HITS;
  // A read-ahead still running waits: what it read is in the cache, what this search reads goes there too.
  const done = ctx.searchBegins();
  try {
    return await search(args, q, glob, match, maxHits, ctx, signal);
  } finally {
    done();
  }
}

/**
 * The files a search looks at, judged once per answer with one check per folder: the scanner's rule covers
 * secrets, VCS, binaries, lock and generated files (what neverRead refuses and more), at a quarter of the cost
 * of both on 50,000 files.
 */
function searchableFiles(ctx: ToolContext, signal?: AbortSignal): Promise<string[]> {
  return ctx.memo('searchable', async () => {
    const dirCache = new Map<string, string | null>();
    return (await ctx.listing(signal)).filter(e => !e.skip && !fileSkipReason(e.path, dirCache)).map(e => e.path);
  });
}

/**
 * Reads the heads of the files a search would look at into the answer's cache, in slices that leave the event
 * loop free, while the model thinks about its first call: on a large folder the first search of an answer
 * otherwise spends most of its time reading. Waits while a search runs (the search reads what is not cached
 * yet itself, in the same order), and stops when the cache is full or on `signal` (the caller aborts it when
 * the answer's tool calls are over). Resolves with the number of files it read; never rejects.
 */
export async function readAheadForSearch(ctx: ToolContext, signal: AbortSignal): Promise<number> {
  let read = 0;
  try {
    const files = await searchableFiles(ctx, signal);
    let slice = Date.now();
    for (const path of files) {
      if (Date.now() - slice > SLICE_MS) {
        await yieldTurn();
        slice = Date.now();
      }
      if (ctx.searchRunning) {
        await ctx.noSearchRunning();
        slice = Date.now();
      }
      if (signal.aborted) { break; }
      if (ctx.cachedHead(path, MAX_FILE_BYTES + 1)) { continue; }
      let bytes: Uint8Array;
      try {
        bytes = await ctx.head(path, MAX_FILE_BYTES + 1);
      } catch {
        continue;
      }
      read++;
      // A small file that was not kept means the cache is full: reading on would only cost time.
      if (bytes.length <= MAX_FILE_BYTES && !ctx.cachedHead(path, MAX_FILE_BYTES + 1) && ctx.cacheFull(bytes.length)) { break; }
    }
  } catch {
    // A listing that failed is the search's to report.
  }
  return read;
}

async function search(args: Args, q: Query, glob: string | undefined, match: ((p: string) => boolean) | undefined, maxHits: number,
  ctx: ToolContext, signal: AbortSignal): Promise<ToolOutcome> {
  const searchable = await searchableFiles(ctx, signal);
  const files = match ? searchable.filter(p => match(p)) : searchable;
  const hits: string[] = [];
  const withHits = new Set<string>();
  let searched = 0;
  let slice = Date.now();
  for (const path of files) {
    if (Date.now() - slice > SLICE_MS) {
      await yieldTurn();
      slice = Date.now();
    }
    if (signal.aborted) { return refuse('The search was stopped.', 'stopped'); }
    // A cached head is taken without an await: a repeated search over 50,000 files would spend its time in them.
    let bytes = ctx.cachedHead(path, MAX_FILE_BYTES + 1);
    if (!bytes) {
      try {
        bytes = await ctx.head(path, MAX_FILE_BYTES + 1);
      } catch {
        continue;
      }
    }
    searched++;
    const cut = bytes.length > MAX_FILE_BYTES;
    if (cut) { bytes = bytes.subarray(0, MAX_FILE_BYTES); }
    if (q.needle && !bytesInclude(bytes, q.needle)) { continue; }
    if (looksBinary(bytes)) { continue; }
    // The raw text first: most files do not match, and redaction is the costly step.
    const raw = new TextDecoder().decode(bytes, { stream: cut }).replace(/\r\n?/g, '\n');
    if (q.literal ? !q.re.test(raw) : matchingLines(raw.split('\n'), q, 1).length === 0) { continue; }
    const prepared = prepareText(bytes, path, cut);
    if (!prepared.ok) { continue; }
    const lines = prepared.text.split('\n');
    for (const i of matchingLines(lines, q, maxHits - hits.length)) {
      hits.push(`${path}:${i + 1}: ${excerpt(lines[i], q.re)}`);
      withHits.add(path);
    }
    if (hits.length >= maxHits) { break; }
  }
  const what = boolArg(args, 'regex') ? `/${textArg(args, 'query')}/` : `"${textArg(args, 'query')}"`;
  if (hits.length === 0) {
    return { ok: true, content: `No line matches ${what} in ${plural(searched, 'file')} searched${glob ? ` (glob ${glob})` : ''}.`, summary: 'no hits' };
  }
  const full = hits.length >= maxHits;
  const head = `${plural(hits.length, 'hit')} for ${what} in ${plural(withHits.size, 'file')}${full ? ` (stopped at ${maxHits}: narrow the glob or the query)` : ` (${plural(searched, 'file')} searched)`}:`;
  return { ok: true, content: capResult(`${head}\n${hits.join('\n')}`), summary: `${hits.length}${full ? '+' : ''} hit${hits.length === 1 ? '' : 's'}` };
}
