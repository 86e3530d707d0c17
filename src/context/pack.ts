/**
 * Packing: reading ranked candidates in order and keeping what fits the token budget, whole or cut,
 * most informative first. Schemas and specs may take a bigger share so the data model is seen whole;
 * ordinary code is never cut, only left out. Pure: reads go through the function it is given.
 */
import type { FileRole } from './classify';
import { contentsHeading, formatContextForPrompt, formatFileBlock, formatOverview } from './promptFormat';
import type { ReadOutcome } from './readContent';
import type { ScanOptions, SkippedFile, WorkspaceContext } from './types';
import { estimateTokens, truncateToTokens } from './tokens';

/** Reads run this many at a time: enough to hide latency of the VS Code file system. */
const READ_BATCH = 16;
/** Stop reading after this many files, or this many misses in a row: a budget should be full long before. */
const MAX_READS = 3000;
const MAX_MISSES_IN_A_ROW = 200;
/** Ranked files left out by the budget are named in `skipped` from this score up, at most SKIPPED_CAP of them. */
const NOTABLE_SCORE = 50;
/** The most budget-left-out files named in `skipped`; the rest are only counted in `notRead`. */
export const SKIPPED_CAP = 200;

/** A readable file, ranked by its path, waiting to be read. */
export interface Candidate {
  path: string;
  size?: number;
  role: FileRole;
  score: number;
  reason: string;
  forced: boolean;
}

/** "12 KB", "1.5 MB". */
export function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.round(n / 1024)} KB`;
}

/** The largest share of the budget one file may take: schemas and specs more, so the data model is seen whole. */
function perFileCap(role: FileRole, budget: number): number {
  return Math.max(600, Math.floor(budget * (role === 'model' || role === 'spec' ? 0.4 : 0.25)));
}

/** The budget in tokens and the largest file read, in bytes. */
export interface Limits {
  budget: number;
  maxBytes: number;
}

/**
 * More bytes per token than code or prose has (3–4 by the estimate): a file denser than this (mostly
 * whitespace) is read only in part and treated as long, which errs on the side of the budget.
 */
const MAX_BYTES_PER_TOKEN = 8;

/**
 * How much of a file is read: never more than its share of the budget could use, so a large file
 * costs a short read even when the source gives no sizes (VS Code's findFiles does not).
 */
export function readCap(c: Candidate, limits: Limits): number {
  return Math.min(limits.maxBytes, perFileCap(c.role, limits.budget) * MAX_BYTES_PER_TOKEN);
}

/** Below this many tokens, a cut file says too little to be worth its header. */
function minPart(budget: number): number {
  return Math.min(300, Math.max(60, Math.floor(budget * 0.05)));
}

interface PackState {
  remaining: number;
  misses: number;
  reads: number;
  /** Candidates left out by the budget; the notable ones are also named. */
  leftOut: number;
  notable: SkippedFile[];
}

/**
 * Reads candidates in rank order, in batches, and keeps each one that fits. A file that does not fit
 * whole is cut to fit when it ranks high (manifests, routes, schemas, specs) or the person added it.
 */
export async function packFiles(ctx: WorkspaceContext, candidates: Candidate[], read: (c: Candidate) => Promise<ReadOutcome>, options: ScanOptions, limits: Limits): Promise<void> {
  const budget = options.tokenBudget;
  shrinkOverview(ctx, budget);
  const overview = estimateTokens(formatOverview(ctx)) + estimateTokens(contentsHeading(99)) + 4;
  const state: PackState = { remaining: budget - overview, misses: 0, reads: 0, leftOut: 0, notable: [] };
  const total = Math.min(candidates.length, MAX_READS);
  let i = 0;
  for (; i < candidates.length && !exhausted(state, budget); i += READ_BATCH) {
    options.signal?.throwIfAborted();
    const batch = candidates.slice(i, i + READ_BATCH);
    const outcomes = await Promise.all(batch.map(c => (worthReading(c, state, budget) ? read(c) : undefined)));
    options.signal?.throwIfAborted();
    batch.forEach((c, k) => place(ctx, c, outcomes[k], state, limits));
    options.onProgress?.(Math.min(i + batch.length, total), total, 'reading');
  }
  for (const c of candidates.slice(i)) { leaveOut(c, state); }
  ctx.notRead = state.leftOut;
  ctx.skipped = [...ctx.skipped, ...state.notable.slice(0, SKIPPED_CAP)];
  options.onProgress?.(total, total, 'reading');
}

function exhausted(state: PackState, budget: number): boolean {
  return state.remaining < Math.min(40, minPart(budget)) || state.reads >= MAX_READS || state.misses >= MAX_MISSES_IN_A_ROW;
}

/** A file whose known size cannot fit and which would not be cut is not worth a read. */
function worthReading(c: Candidate, state: PackState, budget: number): boolean {
  if (exhausted(state, budget)) { return false; }
  if (c.forced || c.size === undefined) { return true; }
  const allowance = Math.min(perFileCap(c.role, budget), state.remaining);
  // At MAX_BYTES_PER_TOKEN this under-counts any ordinary file, so it drops none that would fit.
  return c.size / MAX_BYTES_PER_TOKEN <= allowance || (c.score >= NOTABLE_SCORE && allowance >= minPart(budget));
}

function leaveOut(c: Candidate, state: PackState, why = 'not read: the token budget was full'): void {
  state.leftOut++;
  if (c.forced || c.score >= NOTABLE_SCORE) { state.notable.push({ path: c.path, why }); }
}

/** Decides one candidate after its read: keep it whole, keep its head, or leave it out with a reason. */
function place(ctx: WorkspaceContext, c: Candidate, outcome: ReadOutcome | undefined, state: PackState, limits: Limits): void {
  if (!outcome) { state.misses++; leaveOut(c, state); return; }
  state.reads++;
  const budget = limits.budget;
  // A read cut at maxFileBytes means the file is too large; one cut at its budget share only that it is long.
  const overMax = outcome.ok && outcome.cut && readCap(c, limits) >= limits.maxBytes;
  const refused = !outcome.ok ? outcome.why
    : c.forced ? undefined
      : overMax ? `too large (over ${formatBytes(limits.maxBytes)})`
        : outcome.generated ? 'generated or minified (by its content)' : undefined;
  if (outcome.ok && outcome.text.trim() === '') { return; }
  if (!outcome.ok || refused) {
    ctx.skipped.push({ path: c.path, why: refused! });
    state.misses++;
    return;
  }
  const header = estimateTokens(formatFileBlock({ path: c.path, reason: c.reason, content: '' })) + 2;
  const allowance = Math.min(perFileCap(c.role, budget), state.remaining - header);
  const tokens = estimateTokens(outcome.text);
  let content = outcome.text;
  let truncated = false;
  // The head of a longer file goes in cut (with a note saying so), or not at all.
  if (tokens > allowance || outcome.cut) {
    const cut = allowance >= minPart(budget) && (c.forced || c.score >= NOTABLE_SCORE) ? truncateToTokens(outcome.text, Math.min(allowance, tokens)) : undefined;
    if (!cut) {
      state.misses++;
      leaveOut(c, state, outcome.cut ? 'not read: longer than its share of the token budget' : `not read: about ${tokens} tokens, more than the token budget had left`);
      return;
    }
    content = cut.text;
    truncated = true;
  }
  const used = estimateTokens(content);
  state.remaining -= used + header;
  state.misses = 0;
  ctx.files.push({
    path: c.path, reason: truncated ? `${c.reason}; cut to fit` : c.reason, role: c.role,
    bytes: utf8Length(content), size: c.size ?? outcome.size, tokens: used, content,
    redactions: outcome.redactions, hiddenUnicode: outcome.hidden, hiddenUnicodeLines: outcome.hiddenLines, truncated,
  });
}

/** UTF-8 length without encoding (no Buffer: this core also runs where only web APIs exist). */
function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) { n += 1; } else if (c < 0x800) { n += 2; } else if (c >= 0xd800 && c <= 0xdbff) { n += 4; i++; } else { n += 3; }
  }
  return n;
}

/** When the overview alone would take more than a third of the budget, the listing is what gives way. */
function shrinkOverview(ctx: WorkspaceContext, budget: number): void {
  while (ctx.listing && estimateTokens(formatOverview(ctx)) > budget / 3) {
    const lines = ctx.listing.split('\n');
    ctx.listing = lines.length > 10 ? lines.slice(0, Math.floor(lines.length / 2)).join('\n') + '\n- …' : '';
  }
}

/**
 * The estimate is not exactly additive across the joins, so the final text is measured and, in the
 * rare case it is over, the lowest-ranked files are dropped until it fits.
 */
export function fitToBudget(ctx: WorkspaceContext): void {
  ctx.tokens = estimateTokens(formatContextForPrompt(ctx));
  while (ctx.tokens > ctx.tokenBudget && ctx.files.length > 0) {
    const dropped = ctx.files.pop()!;
    ctx.skipped.push({ path: dropped.path, why: 'not read: the token budget was full' });
    ctx.notRead++;
    ctx.tokens = estimateTokens(formatContextForPrompt(ctx));
  }
}
