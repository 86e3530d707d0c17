/**
 * The workspace scanner's pure core: from a listing and a way to read files, the context a senior
 * engineer would read first, within a token budget. It never sees `vscode` or `node:fs`: the extension
 * feeds it through vscode.workspace (findFiles honours .gitignore and files.exclude), the CLI and the
 * tests through nodeFileSource.
 *
 * Order of work: list → drop what is never read (secrets by name, dependencies, build output,
 * binaries, lock files) → rank the rest by name → read the manifests to detect the stack → read in
 * rank order, stripping hidden Unicode and redacting secrets, until the budget is full.
 */
import { formatListing } from './listing';
import { classifyPath, fileSkipReason, migrationGroup, type FileRole } from './classify';
import { compileGlob } from './ignore';
import { fitToBudget, formatBytes, packFiles, readCap, SKIPPED_CAP, type Candidate, type Limits } from './pack';
import { detectStack, isStackFile, type StackInfo } from './stack';
import { readContent, type ReadOutcome } from './readContent';
import type { FileEntry, FileSource, ScanOptions, SkippedFile, WorkspaceContext } from './types';

/** Files larger than this are not read unless the person adds them (then only their head). */
export const DEFAULT_MAX_FILE_BYTES = 512 * 1024;
/** How many manifests are read for stack detection before the budgeted reading starts. */
const STACK_FILES = 40;

/** Scans a workspace through `source`; see the module comment. Rejects with `signal.reason` when cancelled. */
export async function scanWorkspace(source: FileSource, options: ScanOptions): Promise<WorkspaceContext> {
  const signal = options.signal;
  signal?.throwIfAborted();
  const entries = await collect(source, options);
  const plan = planScan(entries, options);
  const limits: Limits = { budget: options.tokenBudget, maxBytes: options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES };
  const cache = new Map<string, Promise<ReadOutcome>>();
  const read = (c: Candidate): Promise<ReadOutcome> => {
    let p = cache.get(c.path);
    if (!p) { p = readContent(source, c.path, readCap(c, limits)); cache.set(c.path, p); }
    return p;
  };
  const texts = await readStackFiles(plan.candidates, read, signal);
  const ctx = baseContext(plan, detectStack(plan.paths, texts), options.tokenBudget);
  if (options.overviewOnly) {
    ctx.ranked = plan.candidates.slice(0, 200).map(c => ({ path: c.path, reason: c.reason }));
    ctx.notRead = plan.candidates.length;
    fitToBudget(ctx);
    return ctx;
  }
  await packFiles(ctx, plan.candidates, read, options, limits);
  // The code that was read can name what the manifests did not (a FastAPI app without pyproject.toml).
  for (const f of ctx.files) { texts.set(f.path, f.content); }
  ctx.stack = detectStack(plan.paths, texts);
  fitToBudget(ctx);
  return ctx;
}

/** The listing, normalised ('/' separators, no './', no duplicates), with listing progress. */
async function collect(source: FileSource, options: ScanOptions): Promise<FileEntry[]> {
  const listed = source.list(options.signal);
  const seen = new Map<string, FileEntry>();
  const add = (e: FileEntry): void => {
    const path = e.path.includes('\\') || e.path.startsWith('./') ? e.path.replace(/\\/g, '/').replace(/^(\.\/)+/, '') : e.path;
    if (path !== '' && !seen.has(path)) { seen.set(path, path === e.path ? e : { ...e, path }); }
  };
  if (Symbol.asyncIterator in listed) {
    for await (const e of listed) {
      add(e);
      if (seen.size % 1000 === 0) {
        options.signal?.throwIfAborted();
        options.onProgress?.(seen.size, 0, 'listing');
      }
    }
  } else {
    for (const e of await listed) { add(e); }
  }
  options.signal?.throwIfAborted();
  options.onProgress?.(seen.size, 0, 'listing');
  return [...seen.values()];
}

interface Plan {
  candidates: Candidate[];
  skipped: SkippedFile[];
  /** Every readable path, for stack detection and the listing. */
  paths: string[];
  fileCount: number;
}

/** Sorts the listing into skipped and candidates, ranks the candidates, and adds what the person asked for. */
function planScan(entries: FileEntry[], options: ScanOptions): Plan {
  const include = (options.include ?? []).map(compileGlob);
  const exclude = (options.exclude ?? []).map(compileGlob);
  const secrets: SkippedFile[] = [];
  const others: SkippedFile[] = [];
  const groups = new Map<string, { why: string; count: number }>();
  const candidates: Candidate[] = [];
  const dirCache = new Map<string, string | null>();
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  for (const e of withExplicitIncludes(entries, options.include ?? [])) {
    if (e.skip) { (e.path.endsWith('/') ? others : secrets).push({ path: e.path, why: e.skip }); continue; }
    if (exclude.length > 0 && exclude.some(m => m(e.path))) { others.push({ path: e.path, why: 'excluded by you' }); continue; }
    const forced = include.length > 0 && include.some(m => m(e.path));
    const skip = fileSkipReason(e.path, dirCache);
    const hard = skip && (skip.why.startsWith('secret') || skip.why.startsWith('binary'));
    if (skip && (hard || !forced)) {
      if (skip.why.startsWith('secret')) { secrets.push({ path: e.path, why: skip.why }); }
      else if (skip.group) { countGroup(groups, skip.group, skip.why); }
      else { others.push({ path: e.path, why: skip.why }); }
      continue;
    }
    if (!forced && e.size !== undefined && e.size > maxBytes) { others.push({ path: e.path, why: `too large (${formatBytes(e.size)})` }); continue; }
    const cls = classifyPath(e.path);
    candidates.push({ path: e.path, size: e.size, role: cls.role, score: cls.score, forced, reason: forced ? `added by you (${cls.reason})` : cls.reason });
  }
  rankMigrations(candidates);
  candidates.sort(byRank);
  const grouped = [...groups].map(([path, g]) => ({ path, why: `${g.why} (${g.count} file${g.count === 1 ? '' : 's'})` }));
  return {
    candidates,
    skipped: [...secrets, ...grouped, ...others.slice(0, SKIPPED_CAP)],
    paths: candidates.map(c => c.path),
    fileCount: entries.length,
  };
}

/** Plain paths the person added that the listing does not have (ignored files, say) are added as entries. */
function withExplicitIncludes(entries: FileEntry[], include: string[]): FileEntry[] {
  const extra = include
    .map(p => p.trim().replace(/\\/g, '/').replace(/^(\.\/)+/, ''))
    .filter(p => p !== '' && !/[*?[\]]/.test(p) && !p.endsWith('/') && !p.startsWith('/') && !p.split('/').includes('..'));
  if (extra.length === 0) { return entries; }
  const known = new Set(entries.map(e => e.path));
  return [...entries, ...extra.filter(p => !known.has(p)).map(path => ({ path }))];
}

function countGroup(groups: Map<string, { why: string; count: number }>, group: string, why: string): void {
  const g = groups.get(group);
  if (g) { g.count++; } else { groups.set(group, { why, count: 1 }); }
}

/**
 * Within one migration history, the newest two say where the schema is going and the first one
 * often holds the base schema; the ones between matter less. Names sort by time in every tool we know.
 */
function rankMigrations(candidates: Candidate[]): void {
  const groups = new Map<string, Candidate[]>();
  for (const c of candidates) {
    if (c.role !== 'migration' || c.forced) { continue; }
    const key = migrationGroup(c.path);
    const list = groups.get(key);
    if (list) { list.push(c); } else { groups.set(key, [c]); }
  }
  for (const list of groups.values()) {
    list.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const ups = list.filter(c => !/\.down\.sql$/i.test(c.path));
    const n = ups.length;
    if (n === 0) { continue; }
    ups[n - 1].score += 35;
    ups[n - 1].reason += ' (newest)';
    if (n >= 3) { ups[n - 2].score += 30; ups[n - 2].reason += ' (recent)'; }
    if (n >= 2) { ups[0].score += 23; ups[0].reason += ' (first)'; }
  }
}

function byRank(a: Candidate, b: Candidate): number {
  if (a.forced !== b.forced) { return a.forced ? -1 : 1; }
  if (a.score !== b.score) { return b.score - a.score; }
  if (a.path.length !== b.path.length) { return a.path.length - b.path.length; }
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/** Reads the manifests (shallowest first) so the stack is known before the budget is spent. */
async function readStackFiles(candidates: Candidate[], read: (c: Candidate) => Promise<ReadOutcome>, signal?: AbortSignal): Promise<Map<string, string>> {
  const stackFiles = candidates.filter(c => isStackFile(c.path))
    .sort((a, b) => depth(a.path) - depth(b.path) || byRank(a, b))
    .slice(0, STACK_FILES);
  const outcomes = await Promise.all(stackFiles.map(read));
  signal?.throwIfAborted();
  const texts = new Map<string, string>();
  outcomes.forEach((o, i) => { if (o.ok) { texts.set(stackFiles[i].path, o.text); } });
  return texts;
}

function depth(path: string): number {
  return path.split('/').length;
}

function baseContext(plan: Plan, stack: StackInfo, tokenBudget: number): WorkspaceContext {
  const byRole = (role: FileRole): string[] => plan.candidates.filter(c => c.role === role).map(c => c.path).sort();
  return {
    stack,
    files: [],
    entryPoints: byRole('entry'),
    routes: byRole('route'),
    models: byRole('model'),
    migrations: byRole('migration'),
    specs: byRole('spec'),
    deployment: byRole('deployment'),
    skipped: plan.skipped,
    notRead: 0,
    listing: listingOf(plan.paths, tokenBudget),
    tokens: 0,
    tokenBudget,
    fileCount: plan.fileCount,
  };
}

/**
 * The partial listing for the prompt: the best-ranked paths, in path order. A bigger budget affords a
 * longer listing; 150 lines is where a listing stops helping. formatListing ranks with a regex per
 * comparison, fine for hundreds of paths but slow for 50,000, so it gets only the top of our ranking
 * and the count of the rest is added here.
 */
function listingOf(ranked: string[], tokenBudget: number): string {
  if (ranked.length === 0) { return ''; }
  const max = Math.max(20, Math.min(150, Math.floor(tokenBudget / 200)));
  const rest = ranked.length - max;
  return formatListing(ranked.slice(0, max), max) + (rest > 0 ? `\n- … and ${rest} more files` : '');
}
