/**
 * Turns a mermaid parse error into problems on the lines of the diagram the person sees. Pure and
 * browser-safe (no DOM, no Node): the webview calls it on mermaid's error before posting it to the host,
 * or the host calls it on the `{ message, hash }` the webview posted; the CLI calls it under jsdom.
 *
 * Mermaid parses a cleaned copy of the text, not the text itself: it drops front matter, `%%{init}%%`
 * directives and `%%` comment lines, then trims the start (mermaid 12 `preprocessDiagram`). Its line
 * numbers count lines of that copy, so a diagram with a title block and two comments would be blamed three
 * to six lines too early. `MermaidSourceMap` repeats those steps while remembering where each character
 * came from.
 */
import type { ArtifactProblem } from './types';

/** What mermaid throws, or what survives `postMessage`: jison errors carry `hash`, langium errors a message. */
export interface MermaidErrorLike {
  name?: string;
  message?: string;
  hash?: {
    text?: string;
    token?: string;
    line?: number;
    loc?: { first_line: number; last_line: number; first_column: number; last_column: number };
    expected?: string[];
  };
}

/** A copy of the text plus, for each of its characters, the offset it came from in the original. */
interface Tracked {
  text: string;
  origin: number[];
}

function track(text: string): Tracked {
  return { text, origin: Array.from({ length: text.length }, (_, i) => i) };
}

/** `String.replace` (with a global `re`) that keeps the origin of every surviving character (replacements map to the match start). */
function replaceTracked(t: Tracked, re: RegExp, replacement: string): Tracked {
  let text = '';
  const origin: number[] = [];
  const keep = (from: number, to: number): void => {
    text += t.text.slice(from, to);
    for (let i = from; i < to; i++) { origin.push(t.origin[i]); }
  };
  let last = 0;
  for (const m of t.text.matchAll(re)) {
    const at = m.index ?? 0;
    keep(last, at);
    text += replacement;
    for (let i = 0; i < replacement.length; i++) { origin.push(t.origin[at] ?? 0); }
    last = at + m[0].length;
  }
  keep(last, t.text.length);
  return { text, origin };
}

// The same patterns mermaid 12 applies (src/diagram-api/frontmatter.ts, comments.ts, utils.ts directiveRegex).
const FRONT_MATTER = /^[ \t]*---[ \t]*\n[\s\S]*?\n[ \t]*---[ \t]*(?=\n|$)/g;
const DIRECTIVE = /%{2}{\s*(?:(\w+)\s*:|(\w+))\s*(?:(\w+)|((?:(?!}%{2}).|\r?\n)*))?\s*(?:}%{2})?/gi;
const COMMENT_LINE = /^\s*%%(?!{)[^\n]+\n?/gm;

/** Maps positions in the text mermaid parsed back to the text the person wrote. */
export class MermaidSourceMap {
  private readonly parsed: Tracked;
  private readonly parsedLineStarts: number[];
  private readonly sourceLineStarts: number[];

  constructor(source: string) {
    // \r\n and lone \r become \n one for one, so offsets still line up after this.
    let t = track(source.replace(/\r\n?/g, m => (m.length === 2 ? ' \n' : '\n')));
    t = replaceTracked(t, FRONT_MATTER, '');
    t = replaceTracked(t, DIRECTIVE, '');
    t = replaceTracked(t, COMMENT_LINE, '');
    t = replaceTracked(t, /^\s+/g, '');
    this.parsed = t;
    this.parsedLineStarts = lineStarts(t.text);
    this.sourceLineStarts = lineStarts(source.replace(/\r\n?/g, m => (m.length === 2 ? ' \n' : '\n')));
  }

  /** 1-based line and column in the original for a 1-based line and 0-based column mermaid reported. */
  toSource(line: number, column0 = 0): { line: number; column: number } {
    const lineIndex = Math.min(Math.max(line, 1), this.parsedLineStarts.length) - 1;
    const parsedOffset = this.parsedLineStarts[lineIndex] + Math.max(column0, 0);
    const origin = this.parsed.origin[Math.min(parsedOffset, this.parsed.origin.length - 1)];
    if (origin === undefined) { return { line: 1, column: 1 }; }
    const sourceLine = upperBound(this.sourceLineStarts, origin);
    return { line: sourceLine, column: origin - this.sourceLineStarts[sourceLine - 1] + 1 };
  }
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) { starts.push(i + 1); }
  return starts;
}

/** Number of starts <= offset, i.e. the 1-based line holding that offset. */
function upperBound(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid] <= offset) { lo = mid + 1; } else { hi = mid; }
  }
  return Math.max(lo, 1);
}

const MAX_EXPECTED = 6;

/** Advice for the mistakes models make most, keyed on the token the parser choked on. */
function hintFor(token: string | undefined, text: string | undefined, expected: string[]): string {
  const word = (text ?? '').trim();
  if (expected.length === 1 && expected[0] === 'TXT') {
    return ' A message needs a colon and text: A->>B: hello.';
  }
  if (token === 'end' || word === 'end') {
    return ' `end` is a reserved word: use another id (for example `done` or `End`).';
  }
  if (token === 'PS' || token === 'PE' || /^[()]/.test(word)) {
    return ' Parentheses inside a label must be quoted: A["text (detail)"].';
  }
  if (token === 'STR' || word.startsWith('"')) {
    return ' Quotes inside a label: put the whole label in double quotes and write inner quotes as #quot;.';
  }
  return '';
}

const LINE_END_TOKENS = new Set(['NEWLINE', 'NL', 'EOL', 'SPACELINE']);

function jisonMessage(error: MermaidErrorLike): string {
  const hash = error.hash ?? {};
  const text = (hash.text ?? '').trim();
  const got = hash.token === 'EOF' ? 'end of input'
    : LINE_END_TOKENS.has(hash.token ?? '') || text === '' ? 'end of line'
      : `"${text}"`;
  const expected = (hash.expected ?? []).map(e => e.replace(/^'|'$/g, ''));
  const list = expected.length > MAX_EXPECTED ? `${expected.slice(0, MAX_EXPECTED).join(', ')}, …` : expected.join(', ');
  const base = expected.length ? `Unexpected ${got}; expected ${list}.` : `Unexpected ${got}.`;
  return base + hintFor(hash.token, hash.text, expected);
}

/**
 * Jison's column is that of the token before the bad one, so look for the bad token's text on the line
 * (from that column on) and point at it when it is there.
 */
function refineColumn(source: string, at: { line: number; column: number }, tokenText: string | undefined): { line: number; column: number } {
  const word = (tokenText ?? '').trim().split(/\s/)[0];
  if (!word) { return at; }
  const lineText = source.split(/\r\n?|\n/)[at.line - 1] ?? '';
  const found = lineText.indexOf(word, at.column - 1);
  return found >= 0 ? { line: at.line, column: found + 1 } : at;
}

/** Langium-based diagrams (pie, gitGraph, architecture, packet, ...) put positions in the message text. */
function langiumProblems(message: string, map: MermaidSourceMap): ArtifactProblem[] {
  const parts = [...message.matchAll(/(Lexer|Parse) error on line (\d+), column (\d+): ([\s\S]*?)(?=\s*(?:Lexer|Parse) error on line|$)/g)];
  return parts.map(m => {
    const at = map.toSource(Number(m[2]), Number(m[3]) - 1);
    // The offset counts characters of mermaid's cleaned copy: meaningless to the person, so dropped.
    const detail = m[4].replace(/\s*at offset: \d+, skipped \d+ characters?\./, '.').trim();
    return { ...at, message: `${m[1]} error: ${detail}`, severity: 'error' as const, source: 'mermaid' };
  });
}

/** Characters behind jison's token names, so a message-only error can still point at the right column. */
const TOKEN_TEXT: Record<string, string> = { PS: '(', PE: ')', SQS: '[', SQE: ']', DIAMOND_START: '{', DIAMOND_STOP: '}', STR: '"', PIPE: '|' };

/**
 * Jison's structured details, recovered from its message when only the text crossed the bridge:
 * `Parse error on line 3:\n...context\n-----^\nExpecting 'A', 'B', got 'end'`.
 */
function hashFromMessage(message: string): MermaidErrorLike['hash'] | undefined {
  const m = /^Parse error on line (\d+):[\s\S]*?\nExpecting (.*), got '([^']*)'\s*$/.exec(message);
  if (!m) { return undefined; }
  const line = Number(m[1]);
  return { token: m[3], text: TOKEN_TEXT[m[3]] ?? m[3], expected: m[2].split(/,\s*/), loc: { first_line: line, last_line: line, first_column: 0, last_column: 0 } };
}

/**
 * Problems for one mermaid parse failure, on the lines of `source` (the text given to `mermaid.parse`).
 * Accepts the thrown error, a plain `{ message, hash }` copy of it (what to post from the webview:
 * structured cloning keeps an Error's message but drops `hash`), or the message alone.
 */
export function mermaidErrorToProblems(source: string, error: unknown): ArtifactProblem[] {
  const e: MermaidErrorLike = typeof error === 'object' && error !== null ? error as MermaidErrorLike : { message: String(error) };
  const message = e.message ?? String(error);
  const map = new MermaidSourceMap(source);
  const hash = e.hash?.loc ? e.hash : hashFromMessage(message);
  const loc = hash?.loc;
  if (loc) {
    const at = refineColumn(source, map.toSource(loc.first_line, loc.first_column), hash?.text);
    return [{ ...at, message: jisonMessage({ ...e, hash }), severity: 'error', source: 'mermaid' }];
  }
  const langium = langiumProblems(message, map);
  if (langium.length) { return langium; }
  if (e.name === 'UnknownDiagramError' || /No diagram type detected/.test(message)) {
    return [{ line: 1, column: 1, message: 'Unknown diagram type: the first line must name one (flowchart LR, sequenceDiagram, erDiagram, classDiagram, ...).', severity: 'error', source: 'mermaid' }];
  }
  const onLine = /on line (\d+)/.exec(message);
  const at = onLine ? map.toSource(Number(onLine[1])) : { line: 1, column: 1 };
  return [{ ...at, message: message.split('\n')[0].slice(0, 500), severity: 'error', source: 'mermaid' }];
}
