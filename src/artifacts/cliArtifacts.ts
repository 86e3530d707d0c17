/**
 * `backend-architect validate [--json] FILE|DIR...` and `backend-architect extract [--json] ANSWER.md`: the
 * artifact checks on the command line, for CI. Files are reported as they are (no repair): a CI run must
 * fail on a broken file even when a fix is known.
 */
import { type CliIo, HELP_OPTION, helpOrUsageError, readCommandLine, terminalSafe, describeFsError } from '../cliSupport';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { endpointSummaries, type EndpointSummary } from './endpointModel';
import { extractArtifacts } from './extract';
import { validateMarkdown } from './markdownChecks';
import { groupMigrations, migrationUpText } from './migrations';
import { decideKind, looksLikeAdr, looksLikeOpenApi } from './sniff';
import { tableSummaries, type TableSummary } from './sql/tableModel';
import type { ArtifactKind, ArtifactProblem, ValidationResult, ValidationStatus } from './types';
import { judgeWrite, type WriteVerdict } from './writePlan';
import { loadSqlValidator, sqlUnavailable, validateArtifact, type SqlValidator } from './validate';


export interface CliOptions {
  /** Folder relative paths are read from and `$ref`s may be followed within (default: `process.cwd()`). */
  cwd?: string;
  /** Replaces the SQL helper's module (tests). */
  loadSql?: () => Promise<SqlValidator>;
  /** Replaces standard input for `extract -` (tests). */
  readStdin?: () => Promise<string>;
}

/** One checked file or migration folder, as `--json` prints it. */
export interface ValidateReport {
  file: string;
  kind: ArtifactKind | 'markdown' | 'migrations';
  ok: boolean;
  status: ValidationStatus;
  problems: { line: number; column: number | null; message: string; severity: ArtifactProblem['severity']; source?: string; file?: string }[];
  /** OpenAPI: one entry per operation in `paths`, when the document could be read. */
  endpoints?: EndpointSummary[];
  /** SQL: every table Postgres built (partitions included), read from its catalog, when the SQL ran. */
  tables?: TableSummary[];
}

/** One artifact, as `extract --json` prints it. */
export interface ExtractReport {
  kind: ArtifactKind;
  path: string | null;
  language: string;
  startLine: number;
  content: string;
  /** The writer's verdict on the path, judged in the current folder: the words a card shows. */
  write: { action: WriteVerdict['action']; words: string };
}

export const VALIDATE_USAGE = `Usage: backend-architect validate [--json] FILE|DIR...

Checks architecture artifacts: OpenAPI/Swagger specs (YAML or JSON), mermaid diagrams (.mmd, .mermaid),
SQL DDL (run in an embedded PostgreSQL), and the diagrams, specs and SQL fenced inside Markdown files.
The kind comes from the file's extension and content. In a folder, only files that are artifacts are
checked (YAML and JSON only when they are OpenAPI), and SQL files numbered as migrations (0001_x.sql,
V1__x.sql, Prisma's */migration.sql) are applied in order as one entry named by their folder.
Remote $ref and $schema URLs are reported, never fetched.

Options:
  --json       print a JSON array: {file, kind, ok, status, problems: [{line, column, message, severity}]},
               with endpoints: [{method, path, operationId, summary, tags, deprecated}] for an OpenAPI
               file and tables: [{name, kind, columns: [{name, type, nullable, default}], primaryKey,
               foreignKeys, indexes}] (what Postgres built) for SQL
  -h, --help   show this help

Exit status: 0 when nothing is invalid, 1 when something is, 2 when a path cannot be read or the
arguments are wrong.
`;

export const EXTRACT_USAGE = `Usage: backend-architect extract [--json] ANSWER.md

Lists the artifacts (fenced code blocks) in a model's answer, with the kind and path each one names,
and what writing each to its path in the current folder would do, in the editor's words ("will create
docs/api.yaml", "will replace db/schema.sql (diff first)", "sensitive place: will ask (...)", "refused:
...", "no path: ..."). Use - to read the answer from standard input.

Options:
  --json       print a JSON array: {kind, path, language, startLine, content, write: {action, words}}
  -h, --help   show this help
`;

const MAX_FILE_BYTES = 5 * 1024 * 1024;
const SKIP_DIRS = new Set(['node_modules', 'dist', 'out', 'build', 'target', 'vendor', '__pycache__']);

/** `--json`, `--help` and paths; an error message for anything else. */
function parseArgs(args: string[]): { json: boolean; paths: string[] } | 'help' | string {
  const read = readCommandLine(args, { ...HELP_OPTION, json: { type: 'boolean' } });
  if (typeof read === 'string') { return read; }
  return read.positionals.length === 0 ? 'no path given' : { json: !!read.values.json, paths: read.positionals };
}

type Target =
  | { type: 'file'; file: string }
  | { type: 'migrations'; dir: string; files: string[] };

/** Every file under `dir`, skipping dependency and build folders, dot-folders and symlinked folders. */
export async function walk(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true });
  const files: string[] = [];
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (!e.name.startsWith('.') && !SKIP_DIRS.has(e.name)) { files.push(...await walk(full)); }
    } else if (e.isFile()) {
      files.push(full);
    }
  }
  return files;
}

const FENCED_ARTIFACT = /^\s*(?:`{3,}|~{3,})\s*(?:mermaid|mmd|sql|postgresql|openapi|swagger|yaml|yml|json)\b/im;

/** In a folder walk, only what is an artifact: other YAML, JSON and Markdown (configs, READMEs) is left alone. */
async function isArtifactFile(file: string): Promise<boolean> {
  const ext = path.extname(file).toLowerCase();
  if (['.mmd', '.mermaid', '.sql'].includes(ext)) { return true; }
  if (!['.yaml', '.yml', '.json', '.md', '.markdown'].includes(ext)) { return false; }
  const stat = await fs.stat(file);
  if (stat.size > MAX_FILE_BYTES) { return false; }
  const text = await fs.readFile(file, 'utf8');
  return ext.startsWith('.m') ? FENCED_ARTIFACT.test(text) || looksLikeAdr(text, file) : looksLikeOpenApi(text);
}

/** Files and folders on the command line, expanded into what gets checked; unreadable paths reported. */
async function collectTargets(paths: string[], cwd: string, io: CliIo): Promise<{ targets: Target[]; failed: boolean }> {
  const targets: Target[] = [];
  let failed = false;
  for (const given of paths) {
    try {
      const stat = await fs.stat(path.resolve(cwd, given));
      if (!stat.isDirectory()) {
        targets.push({ type: 'file', file: given });
        continue;
      }
      const found: string[] = [];
      for (const full of await walk(path.resolve(cwd, given))) {
        if (await isArtifactFile(full)) { found.push(path.join(given, path.relative(path.resolve(cwd, given), full))); }
      }
      const sql = found.filter(f => f.toLowerCase().endsWith('.sql'));
      const { sequences, standalone } = groupMigrations(sql);
      const others = found.filter(f => !f.toLowerCase().endsWith('.sql'));
      targets.push(...[...others, ...standalone].sort().map(file => ({ type: 'file' as const, file })));
      targets.push(...sequences.map(s => ({ type: 'migrations' as const, dir: s.dir, files: s.files })));
    } catch (err) {
      io.stderr(terminalSafe(`backend-architect validate: cannot read ${given}: ${describeFsError(err)}\n`));
      failed = true;
    }
  }
  return { targets, failed };
}

/** The kind of a file on disk: extension first, then content (a `.txt` holding a diagram is a diagram). */
function kindOfFile(file: string, content: string): ArtifactKind | 'markdown' {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.md' || ext === '.markdown') { return looksLikeAdr(content, file) ? 'adr' : 'markdown'; }
  return decideKind('', file, content).kind;
}

/** A file's text, refused above 5 MB. */
export async function readText(file: string): Promise<string> {
  const stat = await fs.stat(file);
  if (stat.size > MAX_FILE_BYTES) { throw new Error(`larger than ${MAX_FILE_BYTES / 1024 / 1024} MB`); }
  return fs.readFile(file, 'utf8');
}

async function checkFile(file: string, cwd: string, options: CliOptions): Promise<{ kind: ValidateReport['kind']; result: ValidationResult }> {
  const full = path.resolve(cwd, file);
  const content = await readText(full);
  const kind = kindOfFile(file, content);
  // `$ref`s may reach files in the project (the working folder), or beside the spec when it lives elsewhere.
  const allowFilesUnder = path.relative(cwd, full).startsWith('..') ? path.dirname(full) : cwd;
  const settings = { repair: false, sourcePath: full, allowFilesUnder, loadSql: options.loadSql };
  if (kind === 'markdown') {
    return { kind, result: await validateMarkdown(content, false, block => validateArtifact(block, { ...settings, sourcePath: undefined })) };
  }
  if (kind === 'code') {
    return { kind, result: { status: 'unchecked', problems: [{ line: 1, severity: 'info', message: 'Not a kind of artifact this command checks.' }] } };
  }
  return { kind, result: await validateArtifact({ kind, content }, settings) };
}

async function checkMigrations(target: Extract<Target, { type: 'migrations' }>, cwd: string, options: CliOptions): Promise<ValidationResult> {
  let sql: SqlValidator;
  try {
    sql = await (options.loadSql ?? loadSqlValidator)();
  } catch (err) {
    return sqlUnavailable(err);
  }
  const files = await Promise.all(target.files.map(async f => ({ path: f, content: migrationUpText(await readText(path.resolve(cwd, f))) })));
  return sql.validateMigrations(files);
}

/** Stops the SQL worker once the run is over: a live worker thread would keep the CLI from exiting. */
async function stopSql(options: CliOptions): Promise<void> {
  try {
    await (await (options.loadSql ?? loadSqlValidator)()).shutdownSqlValidator?.();
  } catch {
    // Never loaded, or already gone: nothing to stop.
  }
}

/** A check's result in the `--json` shape (also the MCP tools' problems): column null when not known. */
export function toReport(file: string, kind: ValidateReport['kind'], result: ValidationResult): ValidateReport {
  return {
    file, kind, status: result.status, ok: result.status !== 'invalid',
    problems: result.problems.map(p => ({
      line: p.line, column: p.column ?? null, message: p.message, severity: p.severity,
      ...(p.source ? { source: p.source } : {}), ...(p.file ? { file: p.file } : {}),
    })),
    ...(result.endpoints ? { endpoints: endpointSummaries(result.endpoints) } : {}),
    ...(result.tables ? { tables: tableSummaries(result.tables) } : {}),
  };
}

/** Compiler-style lines (`file:line:col: severity: message`), which terminals and editors make clickable. */
function formatText(reports: ValidateReport[]): string {
  const out: string[] = [];
  for (const r of reports) {
    out.push(`${r.file}: ${r.status === 'valid' ? 'ok' : r.status} (${r.kind})`);
    for (const p of r.problems) {
      out.push(`${p.file ?? r.file}:${p.line}${p.column ? `:${p.column}` : ''}: ${p.severity}: ${p.message}${p.source ? ` [${p.source}]` : ''}`);
    }
  }
  const invalid = reports.filter(r => !r.ok).length;
  const unchecked = reports.filter(r => r.status === 'unchecked').length;
  out.push(`${reports.length} checked: ${invalid} invalid${unchecked ? `, ${unchecked} unchecked` : ''}.`);
  return `${out.join('\n')}\n`;
}

/**
 * Runs `validate`. `args` excludes the subcommand name. Resolves with the exit code: 0 nothing invalid,
 * 1 something invalid, 2 bad arguments or an unreadable path. Never throws for bad input.
 */
export async function runValidateCommand(args: string[], io: CliIo, options: CliOptions = {}): Promise<number> {
  const parsed = parseArgs(args);
  const early = helpOrUsageError(parsed, 'validate', VALIDATE_USAGE, io);
  if (early !== undefined || typeof parsed === 'string') { return early ?? 2; }
  const cwd = options.cwd ?? process.cwd();
  const { targets, failed } = await collectTargets(parsed.paths, cwd, io);
  const reports: ValidateReport[] = [];
  let unreadable = failed;
  for (const target of targets) {
    try {
      if (target.type === 'migrations') {
        reports.push(toReport(target.dir, 'migrations', await checkMigrations(target, cwd, options)));
      } else {
        const { kind, result } = await checkFile(target.file, cwd, options);
        reports.push(toReport(target.file, kind, result));
      }
    } catch (err) {
      io.stderr(terminalSafe(`backend-architect validate: cannot read ${target.type === 'file' ? target.file : target.dir}: ${describeFsError(err)}\n`));
      unreadable = true;
    }
  }
  io.stdout(terminalSafe(parsed.json ? `${JSON.stringify(reports, null, 2)}\n` : formatText(reports)));
  if (reports.some(r => r.kind === 'sql' || r.kind === 'migrations' || r.kind === 'markdown' || r.kind === 'adr')) {
    await stopSql(options);
  }
  if (unreadable) { return 2; }
  return reports.some(r => !r.ok) ? 1 : 0;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) { chunks.push(chunk as Buffer); }
  return Buffer.concat(chunks).toString('utf8');
}

/** Runs `extract`: the artifacts in one answer file (or `-` for standard input). Exit 0, or 2 on bad input. */
export async function runExtractCommand(args: string[], io: CliIo, options: CliOptions = {}): Promise<number> {
  const parsed = parseArgs(args);
  if (parsed === 'help') {
    io.stdout(EXTRACT_USAGE);
    return 0;
  }
  if (typeof parsed === 'string' || parsed.paths.length !== 1) {
    io.stderr(`backend-architect extract: ${typeof parsed === 'string' ? parsed : 'give exactly one answer file'}\n\n${EXTRACT_USAGE}`);
    return 2;
  }
  const file = parsed.paths[0];
  let text: string;
  try {
    text = file === '-' ? await (options.readStdin ?? readStdin)() : await readText(path.resolve(options.cwd ?? process.cwd(), file));
  } catch (err) {
    io.stderr(terminalSafe(`backend-architect extract: cannot read ${file}: ${describeFsError(err)}\n`));
    return 2;
  }
  const artifacts = extractArtifacts(text, { final: true });
  const root = options.cwd ?? process.cwd();
  const verdicts = artifacts.map(a => judgeWrite(root, a.path).verdict);
  const reports: ExtractReport[] = artifacts.map((a, i) => ({ kind: a.kind, path: a.path ?? null, language: a.language, startLine: a.startLine, content: a.content,
    write: { action: verdicts[i].action, words: verdicts[i].words } }));
  if (parsed.json) {
    io.stdout(terminalSafe(`${JSON.stringify(reports, null, 2)}\n`));
    return 0;
  }
  const lines = artifacts.map((a, i) => {
    const lineCount = a.content.replace(/\n$/, '').split('\n').length;
    const notes = [a.language || 'no language', `line ${a.startLine}`, `${lineCount} line${lineCount === 1 ? '' : 's'}`,
      ...(a.sniffed ? ['kind guessed from content'] : []), ...(a.unterminated ? ['no closing fence'] : [])];
    return `${a.id}  ${a.kind.padEnd(7)}  ${a.path ?? '-'}  (${notes.join(', ')})  ${verdicts[i].words}`;
  });
  io.stdout(terminalSafe(`${[...lines, `${artifacts.length} artifact${artifacts.length === 1 ? '' : 's'}.`].join('\n')}\n`));
  return 0;
}
