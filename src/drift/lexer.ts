/**
 * Just enough lexing to read route declarations with regular expressions without being fooled: comments
 * are blanked (a commented-out route is not a route), and a second copy has the insides of strings blanked
 * too, so brackets, commas and keywords found there are code. Both copies keep every offset and newline of
 * the file, so a match's offset is its line. Pure.
 *
 * Known limits: JavaScript regular-expression literals are not recognised (a quote inside one is read as a
 * string up to the end of its line), nor are heredocs (Ruby, PHP).
 */

export type Lang = 'js' | 'python' | 'java' | 'go' | 'ruby' | 'php' | 'csharp';

/** A file prepared for route extraction. */
export interface SourceText {
  path: string;
  lang: Lang;
  /** The text, with `\n` newlines. */
  text: string;
  /** Comments blanked with spaces; strings intact. */
  code: string;
  /** Comments and the insides of strings blanked (quotes kept): what is left is code. */
  shape: string;
  /** 1-based line of an offset. */
  line(offset: number): number;
}

/** The language of a path by its extension, or undefined for files no extractor reads. */
export function langOf(path: string): Lang | undefined {
  const ext = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  if (/^(ts|tsx|js|jsx|mjs|cjs|mts|cts)$/.test(ext)) { return path.endsWith('.d.ts') ? undefined : 'js'; }
  if (ext === 'py') { return 'python'; }
  if (ext === 'java' || ext === 'kt') { return 'java'; }
  if (ext === 'go') { return 'go'; }
  if (ext === 'rb') { return 'ruby'; }
  if (ext === 'php') { return 'php'; }
  if (ext === 'cs') { return 'csharp'; }
  return undefined;
}

/** Lexes `text` once; both copies and the line table are built here. */
export function prepareSource(path: string, text: string, lang: Lang): SourceText {
  const { comments, strings } = scan(text, lang);
  const code = blank(text, comments);
  const shape = blank(code, strings);
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) { starts.push(i + 1); }
  return {
    path, lang, text, code, shape,
    line(offset: number): number {
      let lo = 0;
      let hi = starts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (starts[mid] <= offset) { lo = mid; } else { hi = mid - 1; }
      }
      return lo + 1;
    },
  };
}

/** Replaces the ranges with spaces, keeping newlines. Ranges are sorted and disjoint. */
function blank(text: string, ranges: number[]): string {
  if (ranges.length === 0) { return text; }
  let out = '';
  let at = 0;
  for (let i = 0; i < ranges.length; i += 2) {
    out += text.slice(at, ranges[i]) + text.slice(ranges[i], ranges[i + 1]).replace(/[^\n]/g, ' ');
    at = ranges[i + 1];
  }
  return out + text.slice(at);
}

interface Ranges { comments: number[]; strings: number[] }

function lineComment(text: string, i: number, lang: Lang): boolean {
  const c = text[i];
  if (c === '#') { return lang === 'python' || lang === 'ruby' || (lang === 'php' && text[i + 1] !== '['); }
  return c === '/' && text[i + 1] === '/' && lang !== 'python' && lang !== 'ruby';
}

/** Comment ranges and string-interior ranges, as flat [start, end, start, end, ...] lists. */
function scan(text: string, lang: Lang): Ranges {
  const comments: number[] = [];
  const strings: number[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text[i];
    if (lineComment(text, i, lang)) {
      const end = text.indexOf('\n', i);
      comments.push(i, end < 0 ? n : end);
      i = end < 0 ? n : end;
    } else if (c === '/' && text[i + 1] === '*' && lang !== 'python' && lang !== 'ruby') {
      const end = text.indexOf('*/', i + 2);
      comments.push(i, end < 0 ? n : end + 2);
      i = end < 0 ? n : end + 2;
    } else if (lang === 'ruby' && c === '=' && text.startsWith('=begin', i) && (i === 0 || text[i - 1] === '\n')) {
      const end = text.indexOf('\n=end', i);
      comments.push(i, end < 0 ? n : end + 5);
      i = end < 0 ? n : end + 5;
    } else if (c === '"' || c === '\'' || (c === '`' && (lang === 'js' || lang === 'go'))) {
      const end = stringEnd(text, i, lang);
      if (end - 1 > i + 1) { strings.push(i + 1, end - 1); }
      i = end;
    } else {
      i++;
    }
  }
  return { comments, strings };
}

/** The offset just past the string literal whose opening quote is at `start`. */
export function stringEnd(text: string, start: number, lang: Lang): number {
  const q = text[start];
  const triple = (lang === 'python' || lang === 'java' || lang === 'csharp') && text.startsWith(q.repeat(3), start);
  if (triple) {
    const end = text.indexOf(q.repeat(3), start + 3);
    return end < 0 ? text.length : end + 3;
  }
  const raw = q === '`' && lang === 'go';
  const verbatim = lang === 'csharp' && /[@]\$?$|\$@$/.test(text.slice(Math.max(0, start - 2), start));
  const multiLine = q === '`' || lang === 'php' || lang === 'ruby' || verbatim;
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i];
    if (c === '\\' && !raw && !verbatim) { i++; continue; }
    if (c === q) {
      if (verbatim && text[i + 1] === q) { i++; continue; }
      return i + 1;
    }
    if (c === '\n' && !multiLine) { return i; }
  }
  return text.length;
}

/** A string literal: its text with escapes decoded, and the expressions it interpolates, if any. */
export interface Literal {
  value: string;
  /** Interpolated expressions, in order; `value` holds `\u0000` where each one goes. */
  exprs: string[];
  start: number;
  end: number;
}

/**
 * The string literal starting at `offset` (after optional whitespace) in `src.code`, or undefined. Knows
 * Python prefixes (r, f, rb...), C# `@` and `$`, JS templates, Go raw strings and Ruby `#{}`.
 */
export function literalAt(src: SourceText, offset: number): Literal | undefined {
  const text = src.code;
  let i = offset;
  while (i < text.length && /\s/.test(text[i])) { i++; }
  let prefix = '';
  if (src.lang === 'python') {
    const m = /^[rRbBuUfF]{1,2}(?=['"])/.exec(text.slice(i, i + 3));
    if (m) { prefix = m[0].toLowerCase(); i += m[0].length; }
  } else if (src.lang === 'csharp') {
    const m = /^(?:\$@|@\$|@|\$)(?=")/.exec(text.slice(i, i + 3));
    if (m) { prefix = m[0]; i += m[0].length; }
  }
  const q = text[i];
  if (q !== '"' && q !== '\'' && !(q === '`' && (src.lang === 'js' || src.lang === 'go'))) { return undefined; }
  const end = stringEnd(text, i, src.lang);
  const triple = end - i >= 6 && text.startsWith(q.repeat(3), i);
  const body = text.slice(i + (triple ? 3 : 1), end - (triple ? 3 : 1));
  const raw = prefix.includes('r') || prefix.includes('@') || (q === '`' && src.lang === 'go') || (q === '\'' && (src.lang === 'php' || src.lang === 'ruby'));
  const kind = (q === '`' && src.lang === 'js') ? 'dollar'
    : prefix.includes('f') || prefix.includes('$') ? 'brace'
      : (q === '"' && src.lang === 'ruby') ? 'hash' : undefined;
  const { value, exprs } = interpolate(raw ? body : decodeEscapes(body), kind);
  return { value, exprs, start: offset, end };
}

/** Splits interpolations out of a literal's text: `${x}` (JS), `{x}` with `{{` escapes (Python f, C# $), `#{x}` (Ruby). */
function interpolate(body: string, kind: 'dollar' | 'brace' | 'hash' | undefined): { value: string; exprs: string[] } {
  const exprs: string[] = [];
  if (kind === undefined) { return { value: body, exprs }; }
  if (kind !== 'brace') {
    const re = kind === 'dollar' ? /\$\{([^}]*)\}/g : /#\{([^}]*)\}/g;
    return { value: body.replace(re, (_m, e: string) => { exprs.push(e.trim()); return '\u0000'; }), exprs };
  }
  let value = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if ((c === '{' || c === '}') && body[i + 1] === c) { value += c; i++; continue; }
    if (c !== '{') { value += c; continue; }
    const close = body.indexOf('}', i);
    if (close < 0) { value += body.slice(i); break; }
    // `{x!r}` and `{x:>8}`: the conversion and format spec are not part of the expression.
    exprs.push(body.slice(i + 1, close).replace(/![rsa]$|:[^:]*$/, '').trim());
    value += '\u0000';
    i = close;
  }
  return { value, exprs };
}

function decodeEscapes(s: string): string {
  if (!s.includes('\\')) { return s; }
  return s.replace(/\\(.)/g, (_m, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c === '\'' || c === '"' || c === '\\' || c === '/' || c === '`' ? c : `\\${c}`));
}

const OPEN = '([{';
const CLOSE = ')]}';

/** The offset of the bracket closing the one at `open` in `shape`, or -1. */
export function closeOf(shape: string, open: number): number {
  let depth = 0;
  for (let i = open; i < shape.length; i++) {
    const c = shape[i];
    if (OPEN.includes(c)) { depth++; } else if (CLOSE.includes(c)) {
      depth--;
      if (depth === 0) { return i; }
    }
  }
  return -1;
}

/** The offset of the bracket opening the one that closes at `close`, or -1. */
export function openOf(shape: string, close: number): number {
  let depth = 0;
  for (let i = close; i >= 0; i--) {
    const c = shape[i];
    if (c === ')' || c === ']' || c === '}') { depth++; } else if (c === '(' || c === '[' || c === '{') {
      depth--;
      if (depth === 0) { return i; }
    }
  }
  return -1;
}

/** The top-level arguments between the bracket at `open` and its partner: trimmed [start, end) ranges. */
export function splitArgs(shape: string, open: number): { args: [number, number][]; close: number } {
  const close = closeOf(shape, open);
  const end = close < 0 ? shape.length : close;
  const args: [number, number][] = [];
  let depth = 0;
  let from = open + 1;
  const push = (to: number): void => {
    let s = from;
    let e = to;
    while (s < e && /\s/.test(shape[s])) { s++; }
    while (e > s && /\s/.test(shape[e - 1])) { e--; }
    if (e > s) { args.push([s, e]); }
  };
  for (let i = open + 1; i < end; i++) {
    const c = shape[i];
    if (OPEN.includes(c)) { depth++; } else if (CLOSE.includes(c)) { depth--; } else if (c === ',' && depth === 0) {
      push(i);
      from = i + 1;
    }
  }
  push(end);
  return { args, close };
}

/**
 * Keyword arguments (`name=value` in Python, `name: value` in C#/Ruby/JS objects, `'name' => value` in PHP)
 * among `args`: name → [start, end) of the value.
 */
export function namedArgs(src: SourceText, args: [number, number][]): Map<string, [number, number]> {
  const out = new Map<string, [number, number]>();
  for (const [s, e] of args) {
    const m = /^\s*(?:['"]([\w$-]+)['"]|:?([A-Za-z_$][\w$]*))\s*(?:=>|:(?!:)|=(?![=>]))\s*/.exec(src.code.slice(s, e));
    if (m) { out.set(m[1] ?? m[2], [s + m[0].length, e]); }
  }
  return out;
}

/** The items of a list literal (`[...]`, `(...)`, `{...}` or `array(...)`) spanning [start, end), or undefined. */
export function listItems(src: SourceText, start: number, end: number): [number, number][] | undefined {
  let s = start;
  while (s < end && /\s/.test(src.shape[s])) { s++; }
  const m = /^(?:array|new\s*(?:\w+\s*)?\[\s*\]|List\.of|Arrays\.asList|\w*Of)?\s*(?=[[({])/.exec(src.shape.slice(s, end));
  if (!m) { return undefined; }
  const open = s + m[0].length;
  const { args, close } = splitArgs(src.shape, open);
  return close >= 0 && close < end ? args : undefined;
}
