/**
 * What the tools of one answer share: the folder's files, its listing (made once per answer), a bounded cache
 * of file heads for repeated searches, and the helpers every tool uses to read its arguments. Pure.
 */
import type { FileEntry } from '../context/types';
import type { ToolOutcome } from '../llm/toolLoop';
import type { ArtifactChecker, ToolFiles } from './types';

/** Largest result one call sends, in characters (about 6,000 tokens); the loop's budget may cut further. */
export const RESULT_CHARS = 24_000;

/**
 * Bytes of file heads kept between searches of one answer. Sized so a 50,000-file monorepo's text (61 MB in the
 * benchmark) stays whole: at 48 MB a fifth of it was read again by every later search, most of that search's time.
 */
const CACHE_BYTES = 96 * 1024 * 1024;
/** Larger files are never cached (they are read again when searched again). */
const CACHE_FILE_BYTES = 256 * 1024;

/** The state one answer's tools share. */
export class ToolContext {
  private listed: Promise<FileEntry[]> | undefined;
  private readonly heads = new Map<string, Uint8Array>();
  private cachedBytes = 0;
  private readonly memos = new Map<string, Promise<unknown>>();

  /** Searches running now, and who waits for there to be none (a read-ahead). */
  private searches = 0;
  private waiting: (() => void)[] = [];

  constructor(readonly files: ToolFiles, readonly checker?: ArtifactChecker) {}

  /** Marks a search as running; call what it returns when it ended. */
  searchBegins(): () => void {
    this.searches++;
    let ended = false;
    return () => {
      if (ended) { return; }
      ended = true;
      if (--this.searches === 0) { this.waiting.splice(0).forEach(wake => wake()); }
    };
  }

  get searchRunning(): boolean {
    return this.searches > 0;
  }

  /** Resolves when no search runs (at once when none does). */
  noSearchRunning(): Promise<void> {
    return this.searches === 0 ? Promise.resolve() : new Promise(resolve => { this.waiting.push(resolve); });
  }

  /** Whether a head of `bytes` would no longer fit in the cache. */
  cacheFull(bytes: number): boolean {
    return this.cachedBytes + bytes > CACHE_BYTES;
  }

  /** The folder's listing, made on first use; a failed listing is tried again next time. */
  listing(signal?: AbortSignal): Promise<FileEntry[]> {
    this.listed ??= this.files.list(signal).catch((e: unknown) => { this.listed = undefined; throw e; });
    return this.listed;
  }

  /** The value `make` gives, made once per answer under `key` (a failure is tried again next time). */
  memo<T>(key: string, make: () => Promise<T>): Promise<T> {
    let p = this.memos.get(key) as Promise<T> | undefined;
    if (!p) {
      p = make().catch((e: unknown) => { this.memos.delete(key); throw e; });
      this.memos.set(key, p);
    }
    return p;
  }

  /** The cached head of a file when an earlier call read all of it that `maxBytes` asks for; no promise, no wait. */
  cachedHead(path: string, maxBytes: number): Uint8Array | undefined {
    const cached = this.heads.get(path);
    return cached && cached.length <= maxBytes ? cached : undefined;
  }

  /** At most `maxBytes` of a file, from the cache when an earlier search read it. */
  async head(path: string, maxBytes: number): Promise<Uint8Array> {
    const cached = this.cachedHead(path, maxBytes);
    if (cached) { return cached; }
    const bytes = await this.files.read(path, maxBytes);
    if (bytes.length <= CACHE_FILE_BYTES && bytes.length < maxBytes && this.cachedBytes + bytes.length <= CACHE_BYTES) {
      this.heads.set(path, bytes);
      this.cachedBytes += bytes.length;
    }
    return bytes;
  }
}

/** A tool's arguments, parsed from the JSON the model wrote. */
export type Args = Record<string, unknown>;

/** The arguments as an object, or the refusal the model reads. Empty text counts as `{}`. */
export function parseArguments(text: string): Args | string {
  if (!text.trim()) { return {}; }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return `The arguments are not valid JSON: ${text.slice(0, 200)}`;
  }
  return value && typeof value === 'object' && !Array.isArray(value) ? value as Args : 'The arguments must be a JSON object.';
}

/** An optional text argument; numbers are taken as their text. */
export function textArg(args: Args, key: string): string | undefined {
  const v = args[key];
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

/** An optional whole-number argument; `"80"` counts as 80. Out of [min, max] is clamped. */
export function intArg(args: Args, key: string, min: number, max: number): number | undefined {
  const v = args[key];
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? Number(v) : undefined;
  if (n === undefined || !Number.isFinite(n)) { return undefined; }
  return Math.min(max, Math.max(min, Math.trunc(n)));
}

/** An optional yes/no argument; `"true"` counts. */
export function boolArg(args: Args, key: string): boolean {
  const v = args[key];
  return v === true || v === 'true';
}

/** A refusal or failure the model reads (and the person sees as a failed step). */
export function refuse(message: string, summary = 'refused'): ToolOutcome {
  return { ok: false, content: message, summary };
}

/** Cuts a result to `max` characters at a line end, saying so. */
export function capResult(text: string, max = RESULT_CHARS): string {
  if (text.length <= max) { return text; }
  const cut = text.lastIndexOf('\n', max - 80);
  return `${text.slice(0, cut > max / 2 ? cut : max - 80)}\n[result cut at ${max} characters]`;
}

/** A file-layer error in a few words: "no such file", "a symbolic link; links are never followed". */
export function describeReadError(err: unknown): string {
  const e = err as { code?: string; message?: string };
  if (e?.code === 'ENOENT' || e?.code === 'FileNotFound' || e?.code === 'EntryNotFound') { return 'no such file (list_files shows what exists)'; }
  if (e?.code === 'EISDIR' || e?.code === 'FileIsADirectory') { return 'a folder, not a file (list_files lists a folder)'; }
  if (e?.code === 'EACCES' || e?.code === 'NoPermissions') { return 'permission denied'; }
  return String(e?.message ?? err).split('\n')[0].slice(0, 160);
}

/** "1 file", "3 files". */
export function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}
