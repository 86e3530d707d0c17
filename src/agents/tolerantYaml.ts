/**
 * The line-wise reader used only when strict YAML fails. Real agent files break YAML in the same few
 * ways (an unquoted description holding ": " or starting with "**", `<example>` blocks on one long
 * line), and a person reading them sees plain "key: value" lines, so that is what this reads.
 * Values are strings, string lists or nested records of those; nothing is resolved or evaluated.
 */
import type { AgentProblem } from './types';
import { FORBIDDEN_KEYS, MAX_YAML_DEPTH } from './safeYaml';
import type { YamlRead } from './types';
import { formatLineList } from './unicode';

const KEY_LINE = /^("[^"]*"|'[^']*'|[^\s"'#\-?:,[\]{}][^\s:]*)[ \t]*:(?:[ \t]+(.*)|[ \t]*)$/;
const BLOCK_SCALAR = /^([|>])[+-]?\d*[ \t]*(#.*)?$/;

/** One line of the block being read, with its 1-based line relative to the whole text. */
interface Row { text: string; line: number }

/** Reads `text` line by line. Never throws; unreadable lines become warnings. */
export function readTolerantYaml(text: string): YamlRead {
  const rows = text.split('\n').map((t, i) => ({ text: t, line: i + 1 }));
  const result: YamlRead = { syntaxFailed: false, data: {}, keyLines: new Map(), problems: [] };
  result.data = readBlock(rows, result.problems, 0, result.keyLines);
  return result;
}

function readBlock(rows: Row[], problems: AgentProblem[], depth: number, keyLines?: Map<string, number>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const indent = minIndent(rows.filter(r => !isBlankOrComment(r.text)));
  const ignored: number[] = [];
  let i = 0;
  while (i < rows.length) {
    const { text, line } = rows[i];
    if (isBlankOrComment(text)) { i++; continue; }
    const match = indentOf(text) === indent ? KEY_LINE.exec(text.slice(indent)) : null;
    if (!match) {
      ignored.push(line);
      i++;
      continue;
    }
    let end = childrenEnd(rows, i + 1, indent);
    let value = readValue(match[2] ?? '', rows.slice(i + 1, end), problems, depth);
    if (typeof value === 'string' && match[2]) {
      const prose = proseEnd(rows, end, indent, value);
      if (prose > end) {
        value = [value, ...rows.slice(end, prose).map(r => r.text.trim())].join('\n').trimEnd();
        end = prose;
      }
    }
    storeKey(out, unquote(match[1]), value, line, problems, keyLines);
    i = end;
  }
  if (ignored.length > 0) {
    const more = ignored.length > 1 ? ` (${ignored.length} lines: ${formatLineList(ignored)})` : '';
    problems.push({ line: ignored[0], severity: 'warning', message: `not a "key: value" line, ignored${more}` });
  }
  return out;
}

function storeKey(out: Record<string, unknown>, key: string, value: unknown, line: number,
  problems: AgentProblem[], keyLines?: Map<string, number>): void {
  if (key === '<<') {
    problems.push({ line, severity: 'error', message: 'YAML merge keys ("<<") are not allowed in agent definitions' });
  } else if (FORBIDDEN_KEYS.has(key)) {
    problems.push({ line, severity: 'error', message: `the key "${key}" is not allowed (it could change how objects behave)` });
  } else if (Object.prototype.hasOwnProperty.call(out, key)) {
    problems.push({ line, severity: 'warning', message: `duplicate key "${key}": the first value is kept` });
  } else {
    out[key] = value;
    keyLines?.set(key, line);
  }
}

/**
 * Rows after a key that belong to it: more indented ones, "- " items at the same indent (YAML allows
 * that for lists), and blank rows between them. Trailing blank rows are left to the caller.
 */
function childrenEnd(rows: Row[], from: number, indent: number): number {
  let end = from;
  for (let j = from; j < rows.length; j++) {
    const t = rows[j].text;
    if (t.trim() === '') { continue; }
    const ind = indentOf(t);
    if (ind > indent || (ind === indent && /^-(\s|$)/.test(t.slice(indent)))) {
      end = j + 1;
      continue;
    }
    break;
  }
  return end;
}

/**
 * Where a plain value that runs on over unindented lines ends. Hand-written descriptions do this with
 * `<example>` blocks whose lines (`user: "…"`) look like keys: inside an open `<example>` every line
 * belongs to the value; outside one, lines that are not "key: value" do.
 */
function proseEnd(rows: Row[], from: number, indent: number, value: string): number {
  let open = countExamples(value);
  let end = from;
  for (let j = from; j < rows.length; j++) {
    const t = rows[j].text;
    if (t.trim() === '') { continue; }
    const isKey = indentOf(t) === indent && KEY_LINE.test(t.slice(indent));
    if (open <= 0 && (isKey || indentOf(t) < indent || isBlankOrComment(t))) { break; }
    open += countExamples(t);
    end = j + 1;
  }
  return end;
}

function countExamples(text: string): number {
  return (text.match(/<example>/g)?.length ?? 0) - (text.match(/<\/example>/g)?.length ?? 0);
}

function readValue(rest: string, children: Row[], problems: AgentProblem[], depth: number): unknown {
  const value = rest.trim();
  const content = children.filter(r => r.text.trim() !== '');
  if (value === '') {
    if (content.length === 0) { return null; }
    const items = content.filter(r => !isBlankOrComment(r.text));
    if (items.every(r => /^-(\s|$)/.test(r.text.trim()))) { return items.map(r => unquote(r.text.trim().slice(1).trim())); }
    if (depth >= MAX_YAML_DEPTH) { return content.map(r => r.text.trim()).join(' '); }
    return readBlock(children, problems, depth + 1);
  }
  if (BLOCK_SCALAR.test(value)) { return blockScalar(value[0] === '|', children); }
  if (value.startsWith('[')) { return flowList([value, ...content.map(r => r.text.trim())].join(' '), children[0]?.line, problems); }
  const joined = [value, ...content.map(r => r.text.trim())].join(' ');
  return isWhollyQuoted(joined) ? unquote(joined) : joined;
}

function blockScalar(literal: boolean, children: Row[]): string {
  const content = children.filter(r => r.text.trim() !== '');
  const indent = minIndent(content);
  const lines = trimTrailingBlank(children.map(r => r.text.slice(Math.min(indent, indentOf(r.text)))));
  if (literal) { return lines.join('\n'); }
  return lines.reduce((acc, l) => (l === '' ? `${acc}\n` : acc === '' || acc.endsWith('\n') ? acc + l : `${acc} ${l}`), '');
}

function trimTrailingBlank(lines: string[]): string[] {
  let n = lines.length;
  while (n > 0 && lines[n - 1].trim() === '') { n--; }
  return lines.slice(0, n);
}

/** `[a, "b", 'c']`, possibly spread over several lines; commas inside quotes do not split. */
function flowList(text: string, line: number | undefined, problems: AgentProblem[]): string[] {
  const items: string[] = [];
  let current = '';
  let quote = '';
  let depth = 0;
  let closed = false;
  for (const ch of text.slice(1)) {
    if (quote) {
      current += ch;
      if (ch === quote) { quote = ''; }
    } else if (ch === '"' || ch === '\'') {
      quote = ch;
      current += ch;
    } else if (ch === '[' || ch === '{') {
      depth++;
      current += ch;
    } else if ((ch === ']' || ch === '}') && depth > 0) {
      depth--;
      current += ch;
    } else if (ch === ']') {
      closed = true;
      break;
    } else if (ch === ',' && depth === 0) {
      items.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  items.push(current);
  if (!closed) { problems.push({ line: line ?? 1, severity: 'warning', message: 'a "[" list is not closed with "]"' }); }
  return items.map(s => unquote(s.trim())).filter(s => s !== '');
}

function isWhollyQuoted(s: string): boolean {
  if (s.length < 2) { return false; }
  const q = s[0];
  if ((q !== '"' && q !== '\'') || s[s.length - 1] !== q) { return false; }
  const inner = s.slice(1, -1);
  return q === '"' ? !/(^|[^\\])"/.test(inner.replace(/\\\\/g, '')) : !/'/.test(inner.replace(/''/g, ''));
}

/** Removes one level of YAML quoting; double quotes get JSON escapes when they parse as JSON. */
function unquote(s: string): string {
  if (!isWhollyQuoted(s)) { return s; }
  if (s[0] === '\'') { return s.slice(1, -1).replace(/''/g, '\''); }
  try {
    const parsed: unknown = JSON.parse(s);
    return typeof parsed === 'string' ? parsed : s.slice(1, -1);
  } catch {
    return s.slice(1, -1);
  }
}

function minIndent(rows: Row[]): number {
  return rows.reduce((min, r) => Math.min(min, indentOf(r.text)), rows.length ? Infinity : 0);
}

function indentOf(text: string): number {
  return text.length - text.trimStart().length;
}

function isBlankOrComment(text: string): boolean {
  const t = text.trim();
  return t === '' || t.startsWith('#');
}
