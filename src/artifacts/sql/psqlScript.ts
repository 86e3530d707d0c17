/**
 * A SQL file as psql reads it: besides SQL it may hold psql meta-commands (`\connect`, `\restrict` in
 * recent pg_dump output, `\set`) and the data of `COPY ... FROM stdin`. Neither is SQL, so both are cut
 * out before parsing, line by line, leaving every other line where it was so positions stay true.
 */

/** Something cut out of the script, reported on its line. */
export interface ScriptNote {
  kind: 'meta' | 'copyData';
  /** 1-based line of the meta-command, or of the COPY statement that the data belongs to. */
  line: number;
  /** The meta-command's text (`\connect dvdrental`), or the COPY statement's first line. */
  text: string;
  /** For `copyData`: how many data lines were cut. */
  rows?: number;
}

/** The script cleaned for the parser, with what was cut and where statements end. */
export interface PreparedScript {
  /** The script with meta-command and COPY data lines emptied: the same lines, in the same places. */
  sql: string;
  notes: ScriptNote[];
  /** UTF-16 indexes in `sql` just after each `;` that ends a statement at the top level. */
  boundaries: number[];
}

type Quote = { kind: 'none' } | { kind: 'line' } | { kind: 'block'; depth: number }
  | { kind: 'single'; backslash: boolean } | { kind: 'double' } | { kind: 'dollar'; tag: string };

const identChar = /[\p{L}\p{N}_$]/u;
const dollarTag = /^\$(?:[\p{L}_][\p{L}\p{N}_]*)?\$/u;

/** Lexer state carried from line to line, as psql keeps it. */
class Lexer {
  quote: Quote = { kind: 'none' };
  depth = 0;

  /** Scans one line; calls `onSemicolon` with the column after each top-level `;`. */
  scanLine(line: string, onSemicolon: (columnAfter: number) => void): void {
    if (this.quote.kind === 'line') { this.quote = { kind: 'none' }; }
    for (let i = 0; i < line.length; i++) {
      i = this.step(line, i, onSemicolon);
    }
    // A line comment ends with its line (the cast: TypeScript cannot see step() change the state).
    if ((this.quote as Quote).kind === 'line') { this.quote = { kind: 'none' }; }
  }

  /** Handles the character at `i`; returns the index of the last character consumed. */
  private step(line: string, i: number, onSemicolon: (columnAfter: number) => void): number {
    const c = line[i];
    const next = line[i + 1];
    const q = this.quote;
    switch (q.kind) {
      case 'line': return line.length;
      case 'block':
        if (c === '*' && next === '/') { this.quote = q.depth > 1 ? { kind: 'block', depth: q.depth - 1 } : { kind: 'none' }; return i + 1; }
        if (c === '/' && next === '*') { this.quote = { kind: 'block', depth: q.depth + 1 }; return i + 1; }
        return i;
      case 'single':
        if (q.backslash && c === '\\') { return i + 1; }
        if (c === "'") { if (next === "'") { return i + 1; } this.quote = { kind: 'none' }; }
        return i;
      case 'double':
        if (c === '"') { if (next === '"') { return i + 1; } this.quote = { kind: 'none' }; }
        return i;
      case 'dollar':
        if (c === '$' && line.startsWith(q.tag, i)) { this.quote = { kind: 'none' }; return i + q.tag.length - 1; }
        return i;
      case 'none':
        return this.stepCode(line, i, onSemicolon);
    }
  }

  private stepCode(line: string, i: number, onSemicolon: (columnAfter: number) => void): number {
    const c = line[i];
    const next = line[i + 1];
    const prev = i > 0 ? line[i - 1] : '';
    if (c === '-' && next === '-') { this.quote = { kind: 'line' }; return line.length; }
    if (c === '/' && next === '*') { this.quote = { kind: 'block', depth: 1 }; return i + 1; }
    if (c === "'") {
      // E'...' strings take backslash escapes; plain ones do not (standard_conforming_strings is on).
      const escaped = (prev === 'E' || prev === 'e') && !(i > 1 && identChar.test(line[i - 2]));
      this.quote = { kind: 'single', backslash: escaped };
      return i;
    }
    if (c === '"') { this.quote = { kind: 'double' }; return i; }
    if (c === '$' && !(prev && identChar.test(prev))) {
      const m = dollarTag.exec(line.slice(i, i + 200));
      if (m) { this.quote = { kind: 'dollar', tag: m[0] }; return i + m[0].length - 1; }
    }
    if (c === '(') { this.depth++; }
    if (c === ')') { this.depth = Math.max(0, this.depth - 1); }
    if (c === ';' && this.depth === 0) { onSemicolon(i + 1); }
    return i;
  }
}

/** Drops leading whitespace and comments, so a statement's first keyword can be read. */
function stripLeadingComments(sql: string): string {
  return sql.replace(/^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*/, '');
}

/** True for `COPY ... FROM STDIN`, whose data follows on the next lines in a psql script. */
export function isCopyFromStdin(statement: string): boolean {
  const s = stripLeadingComments(statement);
  return /^copy\b/i.test(s) && /\bfrom\s+stdin\b/i.test(s);
}

/**
 * Empties psql meta-command lines and `COPY ... FROM stdin` data (up to the `\.` line) and finds the
 * top-level `;`. A meta-command is a line whose first non-blank character is a backslash, outside any
 * string, quoted identifier or comment; psql would run it, a SQL parser would choke on it.
 */
export function preparePsqlScript(text: string): PreparedScript {
  const lines = text.split('\n');
  const out: string[] = [];
  const notes: ScriptNote[] = [];
  const boundaries: number[] = [];
  const lexer = new Lexer();
  let offset = 0;
  // The current statement's text so far, for spotting COPY ... FROM stdin when its `;` arrives.
  let statement = '';
  let copy: ScriptNote | undefined;
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n];
    let kept = line;
    if (copy) {
      kept = '';
      if (line.replace(/\r$/, '') === '\\.') { copy = undefined; } else { copy.rows = (copy.rows ?? 0) + 1; }
    } else if (lexer.quote.kind === 'none' && /^\s*\\/.test(line)) {
      notes.push({ kind: 'meta', line: n + 1, text: line.trim() });
      kept = '';
    } else {
      let from = 0;
      lexer.scanLine(line, col => {
        statement += line.slice(from, col);
        from = col;
        boundaries.push(offset + col);
        if (isCopyFromStdin(statement)) {
          copy = { kind: 'copyData', line: n + 1, text: stripLeadingComments(statement).split('\n')[0], rows: 0 };
          notes.push(copy);
        }
        statement = '';
      });
      kept = line;
      statement += line.slice(from);
    }
    statement += '\n';
    out.push(kept);
    offset += kept.length + 1;
  }
  return { sql: out.join('\n'), notes, boundaries };
}
