/**
 * Splits a SQL script into statements with Postgres's own parser (libpg-query), keeping where each one
 * starts in the person's text, and decides for each whether the check runs it (see allowlist.ts).
 */
import { AstNode, classifyStatement, Verdict } from './allowlist';
import { advanceCodePoints, ByteOffsets, LineColumn, TextIndex } from './positions';
import { preparePsqlScript, ScriptNote } from './psqlScript';

/** The part of libpg-query this module uses (the real module, or a stand-in in tests). */
export interface PgParser {
  parseSync(sql: string): { stmts?: Array<{ stmt?: AstNode; stmt_location?: number; stmt_len?: number }> };
}

/** Loads libpg-query's WASM parser. `require`, not `import`: bundled as CommonJS it must take the cjs entry. */
export async function loadPgParser(): Promise<PgParser> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- see the comment above the function
  const lib = require('libpg-query') as typeof import('libpg-query');
  await lib.loadModule();
  return lib;
}

/** One statement of the script, as Postgres's parser cut it. */
export interface ParsedStatement {
  /** AST node type, e.g. `CreateStmt`. */
  type: string;
  node: AstNode;
  /** UTF-16 index range in the prepared script (the person's text with meta-commands emptied). */
  start: number;
  end: number;
  text: string;
}

/** A syntax error at a UTF-16 index of the prepared script. */
export interface ParseError {
  index: number;
  message: string;
}

/** A statement with the check's decision and its place in the person's text. */
export interface PlannedStatement {
  type: string;
  line: number;
  column: number;
  /** UTF-16 index where the statement starts in the prepared script. */
  start: number;
  verdict: Verdict;
}

/** Something the plan says about a line, before anything runs. */
export interface PlanNote {
  line: number;
  column?: number;
  message: string;
  severity: 'error' | 'warning' | 'info';
  source: string;
}

/** A script ready to run: its statements with their verdicts, and the notes for the person. */
export interface ScriptPlan {
  /** The text statements were cut from (the person's text with psql-only lines emptied). */
  sql: string;
  statements: PlannedStatement[];
  /** Syntax errors, skipped statements, meta-commands, COPY data, limits hit: all on their lines. */
  notes: PlanNote[];
  /** True when a limit stopped planning, so nothing runs: the result is `unchecked`, not `invalid`. */
  refused: boolean;
}

/** Limits on what is planned at all. */
export interface PlanLimits {
  maxChars: number;
  maxStatements: number;
  maxSyntaxErrors: number;
}

/** Converts a parse result of `slice` (which starts at `offset` in the whole text) into statements. */
function statementsOf(result: ReturnType<PgParser['parseSync']>, slice: string, offset: number): ParsedStatement[] {
  const bytes = new ByteOffsets(slice);
  return (result.stmts ?? []).flatMap(s => {
    const entry = Object.entries(s.stmt ?? {})[0];
    if (!entry) { return []; }
    const from = s.stmt_location ?? 0;
    const start = bytes.toIndex(from);
    const end = s.stmt_len ? bytes.toIndex(from + s.stmt_len) : slice.length;
    return [{ type: entry[0], node: entry[1] as AstNode, start: offset + start, end: offset + end, text: slice.slice(start, end) }];
  });
}

/** Index of the first boundary greater than `index` (boundaries are sorted). */
function firstAfter(boundaries: number[], index: number): number {
  let lo = 0;
  let hi = boundaries.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (boundaries[mid] <= index) { lo = mid + 1; } else { hi = mid; }
  }
  return lo;
}

/**
 * Parses `sql[from, to)`; on a syntax error, does what psql does: the broken statement (found with the
 * lexer's `;` boundaries) is reported and the statements before and after it are still parsed.
 */
export function parseStatements(parser: PgParser, sql: string, boundaries: number[], maxErrors = 20):
  { statements: ParsedStatement[]; errors: ParseError[]; gaveUp: boolean } {
  const statements: ParsedStatement[] = [];
  const errors: ParseError[] = [];
  let gaveUp = false;
  const parseRange = (from: number, to: number): void => {
    if (from >= to || !sql.slice(from, to).trim()) { return; }
    if (errors.length >= maxErrors) { gaveUp = true; return; }
    const slice = sql.slice(from, to);
    try {
      statements.push(...statementsOf(parser.parseSync(slice), slice, from));
    } catch (e) {
      const details = (e as { sqlDetails?: { cursorPosition?: number } }).sqlDetails;
      const cursor = details?.cursorPosition;
      const index = from + (cursor !== undefined && cursor >= 0 ? advanceCodePoints(slice, 0, cursor) : 0);
      const after = firstAfter(boundaries, index);
      const stmtStart = Math.max(from, after > 0 ? boundaries[after - 1] : 0);
      const stmtEnd = after < boundaries.length ? Math.min(to, boundaries[after]) : to;
      parseRange(from, stmtStart);
      errors.push({ index, message: (e as Error).message });
      parseRange(stmtEnd, to);
    }
  };
  parseRange(0, sql.length);
  statements.sort((a, b) => a.start - b.start);
  errors.sort((a, b) => a.index - b.index);
  return { statements, errors, gaveUp };
}

function metaNote(n: ScriptNote): PlanNote {
  const cmd = n.text.split(/\s/)[0];
  return { line: n.line, column: 1, severity: 'warning', source: 'psql', message: `psql meta-command ${cmd} not run: it is not SQL` };
}

/** The note for a skipped statement; a COPY's names how many data lines were cut with it. */
function skipNote(s: ParsedStatement, verdict: Verdict & { action: 'skip' }, at: LineColumn, endLine: number,
  copyRows: Map<number, number>): PlanNote {
  const rows = s.type === 'CopyStmt' ? copyRows.get(endLine) : undefined;
  const message = rows === undefined ? verdict.message : `${verdict.message} (${rows} data line${rows === 1 ? '' : 's'} skipped)`;
  return { ...at, message, severity: verdict.severity, source: 'sql-allowlist' };
}

/**
 * A pg_dump has an `ALTER ... OWNER TO` after every object: one note per kind of skip is enough. Info
 * notes with the same message are folded into the first, which says how many more there were.
 */
function foldRepeatedInfo(notes: PlanNote[]): PlanNote[] {
  notes.sort((a, b) => a.line - b.line || (a.column ?? 0) - (b.column ?? 0));
  const first = new Map<string, { note: PlanNote; more: number }>();
  const kept: PlanNote[] = [];
  for (const n of notes) {
    const seen = n.severity === 'info' ? first.get(n.message) : undefined;
    if (seen) { seen.more++; continue; }
    if (n.severity === 'info') { first.set(n.message, { note: n, more: 0 }); }
    kept.push(n);
  }
  for (const { note, more } of first.values()) {
    if (more > 0) { note.message += ` (and ${more} more statement${more === 1 ? '' : 's'} like it)`; }
  }
  return kept;
}

/** Parses a script and decides, statement by statement, what the check will run. */
export function planScript(parser: PgParser, text: string, limits: PlanLimits): ScriptPlan {
  if (text.length > limits.maxChars) {
    const message = `SQL too large to check: ${text.length} characters (limit ${limits.maxChars})`;
    return { sql: text, statements: [], notes: [{ line: 1, message, severity: 'warning', source: 'sql-limits' }], refused: true };
  }
  const prepared = preparePsqlScript(text);
  const index = new TextIndex(prepared.sql);
  const notes = prepared.notes.filter(n => n.kind === 'meta').map(metaNote);
  const copyRows = new Map(prepared.notes.filter(n => n.kind === 'copyData').map(n => [n.line, n.rows ?? 0]));
  const parsed = parseStatements(parser, prepared.sql, prepared.boundaries, limits.maxSyntaxErrors);
  for (const e of parsed.errors) {
    notes.push({ ...index.at(e.index), message: e.message, severity: 'error', source: 'postgres:42601' });
  }
  if (parsed.gaveUp) {
    notes.push({ line: 1, message: `stopped after ${limits.maxSyntaxErrors} syntax errors`, severity: 'info', source: 'sql-limits' });
  }
  if (parsed.statements.length > limits.maxStatements) {
    const message = `too many statements to check: ${parsed.statements.length} (limit ${limits.maxStatements})`;
    return { sql: prepared.sql, statements: [], notes: [...notes, { line: 1, message, severity: 'warning', source: 'sql-limits' }], refused: true };
  }
  const statements = parsed.statements.map(s => {
    const at = index.at(s.start);
    const verdict = classifyStatement(s.type, s.node, s.text);
    if (verdict.action === 'skip') { notes.push(skipNote(s, verdict, at, index.at(s.end).line, copyRows)); }
    if (verdict.action === 'run' && verdict.note) { notes.push({ ...at, message: verdict.note, severity: 'info', source: 'sql-allowlist' }); }
    return { type: s.type, line: at.line, column: at.column, start: s.start, verdict };
  });
  return { sql: prepared.sql, statements, notes: foldRepeatedInfo(notes), refused: false };
}
