/** Shapes shared by the workspace scanner, its packing and formatting, and the edges that feed it. */
import type { FileRole } from './classify';
import type { StackInfo } from './stack';

/** One listed file: a path relative to the scanned folder with '/' separators. */
export interface FileEntry {
  path: string;
  /** Size in bytes when the source knows it cheaply; without it, files are judged after reading. */
  size?: number;
  /**
   * Set by a source that will not let this entry be read (a folder it did not descend into, with a
   * path ending in '/', or a symbolic link): the reason, reported under `skipped`.
   */
  skip?: string;
}

/** Where files come from: VS Code's workspace API in the extension, node:fs in the CLI and tests. */
export interface FileSource {
  list(signal?: AbortSignal): Promise<FileEntry[]> | AsyncIterable<FileEntry>;
  /** At most `maxBytes` bytes from the start of the file. */
  read(path: string, maxBytes: number): Promise<Uint8Array>;
}

/** Progress phases: listing (total unknown, 0) and reading (total is an upper bound). */
export type ScanPhase = 'listing' | 'reading';

/** How to scan: the budget, limits, what the person added or removed, progress and cancellation. */
export interface ScanOptions {
  /** Tokens the whole context may take in the prompt (overview and files), by estimateTokens. */
  tokenBudget: number;
  /** Larger files are not read (default 512 KiB). */
  maxFileBytes?: number;
  /** Paths or globs the person added: read first, even where the rules would skip them (never secrets or binaries). */
  include?: string[];
  /** Paths or globs the person removed: never read. Wins over `include`. */
  exclude?: string[];
  /**
   * Called while listing (`total` 0) and while reading. The reading total is an upper bound: reading
   * stops early when the budget is full, and a last call reports done === total.
   */
  onProgress?(done: number, total: number, phase: ScanPhase): void;
  signal?: AbortSignal;
  /**
   * Stack, where things are, the listing and the ranking, but no file contents (only manifests are read, for
   * the stack): the overview a model with tools starts from. `ranked` is set, `files` stays empty.
   */
  overviewOnly?: boolean;
}

/** A file chosen for the prompt. */
export interface ContextFile {
  path: string;
  /** Why it was chosen, for the person ("routes", "Prisma schema (data model)", "added by you"). */
  reason: string;
  role: FileRole;
  /** UTF-8 bytes of `content`: what is sent. */
  bytes: number;
  /** Size of the file on disk, when known. */
  size?: number;
  /** Estimated tokens of `content`. */
  tokens: number;
  /** The text sent: hidden Unicode stripped, secrets redacted, possibly cut to fit. */
  content: string;
  /** How many secret-looking values were replaced with [redacted]. */
  redactions: number;
  /** Hidden characters removed (THREATS T7), not counting ordinary emoji joiners and selectors. */
  hiddenUnicode: number;
  /** The 1-based lines they were on, for a warning that says where. */
  hiddenUnicodeLines: number[];
  truncated: boolean;
}

/** A file or folder not read, and why (shown to the person, and secrets and folders to the model). */
export interface SkippedFile {
  path: string;
  why: string;
}

/** What the scan found and what goes into the prompt. */
export interface WorkspaceContext {
  stack: StackInfo;
  files: ContextFile[];
  entryPoints: string[];
  routes: string[];
  models: string[];
  migrations: string[];
  specs: string[];
  deployment: string[];
  /** Files and folders not read, and why; secrets always, ranked files left out by the budget up to a cap. */
  skipped: SkippedFile[];
  /** Readable files never read because the budget was full (including those named in `skipped`). */
  notRead: number;
  /** The partial listing shown to the model. */
  listing: string;
  /** Estimated tokens of formatContextForPrompt(this). */
  tokens: number;
  tokenBudget: number;
  /** Files listed by the source, skipped ones included. */
  fileCount: number;
  /** With `overviewOnly`: the readable files, most informative first (at most 200), and why each matters. */
  ranked?: { path: string; reason: string }[];
}

/** What the architect is told about where it stands (the context part of the first user message). */
export interface PromptContext {
  /** Name of the workspace folder or the reviewed folder, relative to the workspace. */
  folderName?: string;
  /** A formatted file listing (see formatListing). */
  listing?: string;
  /** The workspace context as formatted for the model (stack, chosen files and their contents); wins over `listing`. */
  contextText?: string;
  /** Said to the person under the answer, e.g. that Restricted Mode kept the files unread. */
  note?: string;
}
