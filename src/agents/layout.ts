/**
 * Finds where the header and the body of an agent definition are, line by line, before anything is
 * parsed. Real files put the header in many places: `---` fences, fences after blank lines, indented
 * fences, no fences at all, a missing fence, or the whole file inside a ```` ```chatmode ```` block.
 */
import type { AgentFormat, AgentProblem } from './types';

/** Where things are, as 0-based line indexes into the file's lines; ranges are [start, end). */
export interface Layout {
  format: AgentFormat;
  headerStart: number;
  headerEnd: number;
  /** Columns of leading whitespace removed from header and body lines (indented front matter). */
  indent: number;
  bodyStart: number;
  bodyEnd: number;
  /** Text after the opening `---` ("js" in `---js`), '' when there is none. */
  language: string;
  /** 0-based line of the opening fence, or of the first header line when there is no fence. */
  openLine: number;
  problems: AgentProblem[];
}

/** The keys that mark a header without fences, as in `name: x` on the first line. */
const HEADER_KEY = /^[ \t]*(name|title|description|model|tools)[ \t]*:(\s|$)/;
/** Keys agent headers use (Claude Code, Copilot); one after prose means the prose is inside the header. */
const AGENT_KEY = /^[ \t]*(name|title|description|model|tools|color|mode|target|skills|mcp-servers|handoffs|argument-hint|permissionMode|disallowedTools)[ \t]*:(\s|$)/;
/** Anything YAML could read as a key, including `<<` and quoted keys; prose such as "Note: x" too. */
const KEY_LIKE = /^("[^"]*"|'[^']*'|[^\s#][^\s]*?)[ \t]*:(\s|$)/;
const OPEN_FENCE = /^([ \t]*)---(?!-)(.*)$/;
const WRAPPER_FENCE = /^[ \t]*(`{3,}|~{3,})[ \t]*([\w.+-]*)[ \t]*$/;

/** Locates header and body in `lines` (already split, line endings removed). Never throws. */
export function locateLayout(lines: string[]): Layout {
  const problems: AgentProblem[] = [];
  const start = nextNonBlank(lines, 0, lines.length);
  const wrapper = findWrapper(lines, start);
  if (!wrapper) { return locateHeader(lines, start, lines.length, problems); }
  if (!wrapper.closed) {
    problems.push({ line: start + 1, severity: 'warning', message: `the ${wrapper.fence} block around this definition is not closed` });
  }
  const layout = locateHeader(lines, nextNonBlank(lines, start + 1, wrapper.end), wrapper.end, problems);
  layout.format = 'fenced-block';
  return layout;
}

/** A whole file inside one ```` ``` ```` block whose first line is a header. */
function findWrapper(lines: string[], start: number): { end: number; closed: boolean; fence: string } | undefined {
  const open = WRAPPER_FENCE.exec(lines[start] ?? '');
  if (!open) { return undefined; }
  const inner = nextNonBlank(lines, start + 1, lines.length);
  if (inner >= lines.length || !(OPEN_FENCE.test(lines[inner]) || HEADER_KEY.test(lines[inner]))) { return undefined; }
  const fence = open[1];
  const last = previousNonBlank(lines, lines.length);
  const closing = lines[last].trim();
  const closed = last > inner && closing.length >= fence.length && closing === fence[0].repeat(closing.length);
  return { end: closed ? last : lines.length, closed, fence };
}

function locateHeader(lines: string[], start: number, end: number, problems: AgentProblem[]): Layout {
  const layout: Layout = {
    format: 'body-only', headerStart: start, headerEnd: start, indent: 0,
    bodyStart: start, bodyEnd: end, language: '', openLine: start, problems,
  };
  if (start >= end) { return layout; }
  const fence = OPEN_FENCE.exec(lines[start]);
  if (fence) { return fencedHeader(lines, layout, fence[1].length, fence[2]); }
  if (HEADER_KEY.test(lines[start])) { return headerWithoutFences(lines, layout); }
  return layout;
}

function fencedHeader(lines: string[], layout: Layout, indent: number, afterFence: string): Layout {
  const open = layout.headerStart;
  const end = layout.bodyEnd;
  layout.format = 'front-matter';
  layout.indent = indent;
  layout.language = afterFence.trim().startsWith('#') ? '' : afterFence.trim();
  layout.headerStart = open + 1;
  const close = trustedClose(lines, open + 1, findClose(lines, open + 1, end, indent), indent);
  if (close !== undefined) {
    layout.headerEnd = close;
    layout.bodyStart = close + 1;
    return layout;
  }
  layout.headerEnd = headerEndWithoutClose(lines, open + 1, end, indent, false);
  layout.bodyStart = layout.headerEnd;
  layout.problems.push({
    line: open + 1,
    severity: 'warning',
    message: `the front matter has no closing "---"; it is taken to end at line ${layout.headerEnd}`,
  });
  return layout;
}

/** `name:` / `description:` lines, then a blank line, then the body; a stray closing `---` is allowed. */
function headerWithoutFences(lines: string[], layout: Layout): Layout {
  const start = layout.headerStart;
  const indent = indentOf(lines[start]);
  const headerEnd = headerEndWithoutClose(lines, start, layout.bodyEnd, indent, true);
  const next = nextNonBlank(lines, headerEnd, layout.bodyEnd);
  const close = next < layout.bodyEnd && findClose(lines, next, next + 1, indent) === next ? next : undefined;
  layout.format = 'no-fences';
  layout.indent = indent;
  layout.headerEnd = headerEnd;
  layout.bodyStart = close !== undefined ? close + 1 : headerEnd;
  if (close !== undefined) {
    layout.problems.push({ line: close + 1, severity: 'info', message: 'a closing "---" without an opening one: the lines above it are read as front matter' });
  }
  return layout;
}

/**
 * The closing fence found, unless it is more likely a horizontal rule in a body whose closing fence
 * was forgotten: prose after a blank line, and no agent key (`name:`, `model:`, …) between that prose
 * and the `---`. Unquoted `<example>` blocks in a description also bring prose, but a key follows them.
 */
function trustedClose(lines: string[], from: number, close: number | undefined, indent: number): number | undefined {
  if (close === undefined) { return undefined; }
  const cut = headerEndWithoutClose(lines, from, close, indent, false, false);
  if (cut >= close) { return close; }
  for (let j = cut; j < close; j++) {
    if (indentOf(lines[j]) <= indent && AGENT_KEY.test(lines[j])) { return close; }
  }
  return undefined;
}

/** The first line that ends the header: `---` (or `...`) at the header's indent, as gray-matter decides. */
function findClose(lines: string[], from: number, end: number, indent: number): number | undefined {
  for (let j = from; j < end; j++) {
    const t = dedent(lines[j], indent);
    if (t.startsWith('---') || /^\.\.\.\s*$/.test(t)) { return j; }
  }
  return undefined;
}

/**
 * Without a closing fence the header ends at a blank line followed by prose, or (`directProse`) at
 * the first prose line. Key lines, indented lines and "- " items continue it.
 */
function headerEndWithoutClose(lines: string[], from: number, end: number, indent: number,
  commentsAreProse: boolean, directProse = true): number {
  for (let j = from; j < end; j++) {
    const t = lines[j];
    if (t.trim() === '') {
      const k = nextNonBlank(lines, j + 1, end);
      if (k < end && isProse(lines[k], indent, true)) { return j; }
      j = k - 1; // a run of blank lines is looked past once, not once per line
      continue;
    }
    if (directProse && isProse(t, indent, commentsAreProse)) { return j; }
  }
  return end;
}

function isProse(line: string, indent: number, commentsAreProse: boolean): boolean {
  if (line.trim() === '' || indentOf(line) > indent) { return false; }
  const t = dedent(line, indent);
  if (t.startsWith('#')) { return commentsAreProse; }
  return !KEY_LIKE.test(t) && !/^-(\s|$)/.test(t);
}

/** Removes up to `indent` leading spaces or tabs. */
export function dedent(line: string, indent: number): string {
  if (indent === 0) { return line; }
  const n = Math.min(indent, indentOf(line));
  return line.slice(n);
}

function indentOf(line: string): number {
  return line.length - line.replace(/^[ \t]+/, '').length;
}

export function nextNonBlank(lines: string[], from: number, end: number): number {
  let i = from;
  while (i < end && lines[i].trim() === '') { i++; }
  return i;
}

function previousNonBlank(lines: string[], end: number): number {
  let i = end - 1;
  while (i > 0 && lines[i].trim() === '') { i--; }
  return i;
}
