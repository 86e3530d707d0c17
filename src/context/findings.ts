/**
 * Review findings as data: the format the Review prompt asks for (`reviewInstructions`) and a tolerant
 * parser of the model's answer (`parseFindings`), which also copes with models that ignore the format
 * and answer with a Markdown list. The host shows findings in the Problems panel, so paths are checked
 * (relative, no `..`) and text fields are bounded and cleaned. Pure: no I/O.
 */
import { parse as parseYaml } from 'yaml';
import { stripHiddenUnicode } from '../agents/unicode';

/** How bad a finding is; the host maps these to the Problems panel's severities. */
export type FindingSeverity = 'error' | 'warning' | 'info';

/** One review finding. `file` is relative to the reviewed folder, '/' separators; `line` is 1-based. */
export interface Finding {
  severity: FindingSeverity;
  title: string;
  rationale: string;
  file?: string;
  line?: number;
}

export { reviewInstructions } from './reviewFormat';

const MAX_FINDINGS = 200;
const MAX_TITLE = 200;
const MAX_RATIONALE = 4000;

/**
 * The findings in a model's answer: from ```findings (or ```json/```yaml holding findings) blocks when
 * there are any, otherwise from Markdown list items that carry a severity. Never throws; malformed
 * items are dropped, duplicates removed, at most 200 returned.
 */
export function parseFindings(answer: string): Finding[] {
  const text = answer.replace(/\r\n?/g, '\n');
  const blocks = findingBlocks(text);
  const raw = blocks.length > 0 ? blocks.flatMap(parseBlock) : [];
  const found = raw.map(toFinding).filter((f): f is Finding => f !== undefined);
  const list = found.length > 0 || blocks.some(b => b.named) ? found : markdownFindings(text);
  return dedupe(list).slice(0, MAX_FINDINGS);
}

interface Block {
  body: string;
  /** The info string named findings: an empty array there means "no findings", not "look elsewhere". */
  named: boolean;
}

/** Fenced blocks that hold findings. An unclosed last block (a cut-off answer) counts up to the end. */
function findingBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  const open = /^([ \t]{0,3})(`{3,}|~{3,})[ \t]*([^\n`]*)\n/gm;
  let m: RegExpExecArray | null;
  while ((m = open.exec(text)) !== null) {
    const fence = m[2];
    const info = m[3].trim().toLowerCase();
    const start = m.index + m[0].length;
    const close = new RegExp(`^[ \\t]{0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}[ \\t]*$`, 'gm');
    close.lastIndex = start;
    const end = close.exec(text);
    const body = text.slice(start, end ? end.index : text.length);
    open.lastIndex = end ? end.index + end[0].length : text.length;
    const named = /(^|[\s{.])findings?\b/.test(info);
    const data = /^(json5?|jsonc|ya?ml)\b/.test(info) && /"?severity"?\s*:/.test(body);
    if (named || data) { blocks.push({ body, named }); }
  }
  return blocks;
}

/** JSON first, then JSON with comments and trailing commas removed, then YAML, then object by object. */
function parseBlock(block: Block): unknown[] {
  const body = block.body.trim();
  if (body === '') { return []; }
  for (const attempt of [() => JSON.parse(body), () => JSON.parse(relaxJson(body)), () => parseYaml(body, { maxAliasCount: 0 })]) {
    try {
      const value: unknown = attempt();
      const items = itemsOf(value);
      if (items) { return items; }
    } catch {
      // Try the next, more forgiving, reading.
    }
  }
  return salvageObjects(body);
}

function itemsOf(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) { return value; }
  if (value && typeof value === 'object') {
    const inner = (value as Record<string, unknown>).findings ?? (value as Record<string, unknown>).issues;
    if (Array.isArray(inner)) { return inner; }
    if ('title' in value || 'severity' in value) { return [value]; }
  }
  return undefined;
}

/** Drops // and /* comments outside strings and commas before a closing bracket. */
function relaxJson(text: string): string {
  return text
    .replace(/("(?:[^"\\\n]|\\.)*")|\/\/[^\n]*|\/\*[\s\S]*?\*\//g, (_m, str: string | undefined) => str ?? '')
    .replace(/("(?:[^"\\\n]|\\.)*")|,(\s*[\]}])/g, (m, str: string | undefined, close: string | undefined) => str ?? close ?? m);
}

/** Each balanced {...} that parses on its own: what survives of a cut-off or broken array. */
function salvageObjects(text: string): unknown[] {
  const out: unknown[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') { i++; } else if (c === '"') { inString = false; }
      continue;
    }
    if (c === '"') { inString = true; } else if (c === '{') {
      if (depth++ === 0) { start = i; }
    } else if (c === '}' && depth > 0 && --depth === 0) {
      const piece = text.slice(start, i + 1);
      try { out.push(JSON.parse(relaxJson(piece))); } catch { /* not an object after all */ }
    }
  }
  return out;
}

const SEVERITY_WORDS: ReadonlyArray<[FindingSeverity, RegExp]> = [
  ['error', /^(error|errors|critical|blocker|high|severe|fatal|bug|security)$/i],
  ['warning', /^(warning|warn|warnings|medium|moderate|major|risk)$/i],
  ['info', /^(info|information|low|minor|note|suggestion|hint|nit|nitpick|improvement|optional)$/i],
];

/** A severity word (or emoji) to a severity; undefined when it is none of them. */
export function normalizeSeverity(value: unknown): FindingSeverity | undefined {
  const word = String(value ?? '').replace(/[*_`[\]()]/g, '').trim();
  if (/^(🔴|⛔|❌)$/u.test(word)) { return 'error'; }
  if (/^(🟠|🟡|⚠️?)$/u.test(word)) { return 'warning'; }
  if (/^(🔵|🟢|ℹ️?|💡)$/u.test(word)) { return 'info'; }
  return SEVERITY_WORDS.find(([, re]) => re.test(word))?.[0];
}

function pick(o: Record<string, unknown>, keys: string[]): unknown {
  for (const k of keys) {
    if (Object.prototype.hasOwnProperty.call(o, k) && o[k] !== undefined && o[k] !== null) { return o[k]; }
  }
  return undefined;
}

/** One parsed item to a Finding, accepting the field names models use instead of ours. */
function toFinding(item: unknown): Finding | undefined {
  if (!item || typeof item !== 'object' || Array.isArray(item)) { return undefined; }
  const o = item as Record<string, unknown>;
  const title = cleanText(pick(o, ['title', 'summary', 'name', 'issue', 'finding', 'problem']), MAX_TITLE);
  const rationale = cleanText(pick(o, ['rationale', 'description', 'reason', 'details', 'detail', 'why', 'explanation', 'recommendation', 'message']), MAX_RATIONALE);
  if (!title && !rationale) { return undefined; }
  const severity = normalizeSeverity(pick(o, ['severity', 'level', 'priority', 'type', 'kind'])) ?? 'warning';
  const location = pick(o, ['file', 'path', 'location', 'filename', 'filePath', 'file_path']);
  const where = parseLocation(typeof location === 'string' ? location : undefined);
  const line = parseLine(pick(o, ['line', 'lineNumber', 'line_number', 'startLine', 'start_line', 'lines'])) ?? where.line;
  return withLocation({ severity, title: title || firstSentence(rationale), rationale }, where.file, line);
}

function withLocation(f: Finding, file: string | undefined, line: number | undefined): Finding {
  if (file !== undefined) { f.file = file; }
  if (file !== undefined && line !== undefined) { f.line = line; }
  return f;
}

/** Strings only; hidden Unicode and control characters out; collapsed to `max` characters. */
function cleanText(value: unknown, max: number): string {
  if (typeof value !== 'string' && typeof value !== 'number') { return ''; }
  const text = stripHiddenUnicode(String(value)).replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '').trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function firstSentence(text: string): string {
  const m = /^(.{1,120}?[.!?])(\s|$)/.exec(text);
  return m ? m[1] : text.slice(0, 120);
}

/** `12`, `"12"`, `"L12"`, `"12-20"`, `[12, 20]` → 12. Anything else, or out of range, → undefined. */
export function parseLine(value: unknown): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  const m = typeof v === 'number' ? [String(v), String(v)] : /^\s*L?(\d{1,7})\b/i.exec(String(v ?? ''));
  if (!m) { return undefined; }
  const n = Number(m[1]);
  return Number.isInteger(n) && n >= 1 && n <= 10_000_000 ? n : undefined;
}

/**
 * A location as models write it (`src/a.ts:12`, `./src/a.ts#L12`, `` `src/a.ts` line 12 ``) to a safe
 * relative path and a line. Absolute paths, drive letters, URLs and `..` give no file (THREATS T6).
 */
export function parseLocation(value: string | undefined): { file?: string; line?: number } {
  if (!value) { return {}; }
  let v = stripHiddenUnicode(value).trim().replace(/^[`'"]+|[`'"]+$/g, '').replace(/\\/g, '/');
  let line: number | undefined;
  const m = /^(.*?)(?::|#L|\s+line\s+|,\s*line\s+)(\d{1,7})(?:[-:,]L?\d+)*$/i.exec(v);
  if (m) { v = m[1].replace(/[`'"]+$/g, ''); line = parseLine(m[2]); }
  v = v.replace(/^(\.\/)+/, '');
  const bad = v === '' || v.startsWith('/') || /^[a-z][a-z0-9+.-]*:/i.test(v) || /[\u0000-\u001f\u007f<>|*?"]/.test(v)
    || v.split('/').some(s => s === '..' || s === '') || v.length > 500;
  if (bad) { return {}; }
  return line === undefined ? { file: v } : { file: v, line };
}

const LIST_ITEM = /^\s{0,6}(?:[-*+]|\d{1,3}[.)])\s+(.+)$/;
const HEADING = /^\s{0,3}#{2,6}\s+(?:\d{1,3}[.)]\s+)?(.+?)\s*#*\s*$/;
const EMOJI = /^(🔴|🟠|🟡|🔵|🟢|⛔|❌|⚠️?|ℹ️?|💡)\s*/u;
// A severity word is only taken when it is marked as one: [High], (warning), **Critical**, "Error:".
const MARKED_WORD = /^(?:\[\s*([A-Za-z]+)\s*\]|\(\s*([A-Za-z]+)\s*\)|(?:\*\*|__)\s*\[?([A-Za-z]+)\]?\s*:?\s*(?:\*\*|__)|([A-Za-z]+)\s*:(?=\s))\s*[:\-–—]?\s*/;
const TRAILING_WORD = /\s*[[(]\s*([A-Za-z]+)\s*[\])]\s*$/;
const LOCATION_IN_TEXT = /`?((?:[\w@.-]+\/)*[\w@.-]+\.[A-Za-z0-9]{1,10})(?::(\d{1,7})|#L(\d{1,7})|`?,? line (\d{1,7}))?`?/g;
const CODE_EXT = /\.(ts|tsx|js|mjs|cjs|py|java|kt|kts|go|rb|php|cs|sql|prisma|ya?ml|json|toml|xml|md|gradle|properties|env|tf|proto|graphql|rs|ex|exs|scala|ini|cfg|conf)$/i;

/** The first path in prose: one with a line number, a folder, or a file name in backticks ("Node.js" is none). */
function locationInText(text: string): RegExpExecArray | undefined {
  LOCATION_IN_TEXT.lastIndex = 0;
  for (let m = LOCATION_IN_TEXT.exec(text); m; m = LOCATION_IN_TEXT.exec(text)) {
    const named = m[1].includes('/') || (m[0].startsWith('`') && CODE_EXT.test(m[1]));
    if (m[2] !== undefined || m[3] !== undefined || m[4] !== undefined || named) { return m; }
  }
  return undefined;
}

/** The severity an item or heading starts (or, for headings, ends) with, and the text without it. */
function leadSeverity(text: string, heading: boolean): { severity: FindingSeverity; rest: string } | undefined {
  // "**[High] Title**" reads as "[High] **Title**".
  let t = text.replace(/^(\*\*|__)\s*(\[[^\]]{1,20}\]|\([^)]{1,20}\))\s*/, '$2 $1');
  let severity: FindingSeverity | undefined;
  const emoji = EMOJI.exec(t);
  if (emoji) { severity = normalizeSeverity(emoji[1]); t = t.slice(emoji[0].length); }
  const word = MARKED_WORD.exec(t);
  const named = word ? normalizeSeverity(word[1] ?? word[2] ?? word[3] ?? word[4]) : undefined;
  if (word && named) { severity ??= named; t = t.slice(word[0].length); }
  if (!severity && heading) {
    const tail = TRAILING_WORD.exec(t);
    const last = tail ? normalizeSeverity(tail[1]) : undefined;
    if (tail && last) { severity = last; t = t.slice(0, tail.index); }
  }
  return severity ? { severity, rest: t.trim() } : undefined;
}

/**
 * Fallback for answers without a findings block: list items and headings marked with a severity.
 * Unmarked items are ordinary prose and are not findings. A heading's finding runs until the next
 * heading or list item; an item's takes its indented continuation lines.
 */
function markdownFindings(text: string): Finding[] {
  const out: Finding[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const heading = HEADING.exec(lines[i]);
    const item = heading ? undefined : LIST_ITEM.exec(lines[i]);
    const lead = heading ? leadSeverity(heading[1], true) : item ? leadSeverity(item[1], false) : undefined;
    if (!lead) { continue; }
    let body = lead.rest;
    let rationale = '';
    while (i + 1 < lines.length && continues(lines[i + 1], heading !== null)) {
      const next = lines[++i].trim();
      if (heading) { rationale += next === '' ? '\n' : `${next} `; } else { body += ` ${next}`; }
    }
    out.push(markdownItem(lead.severity, heading ? `**${body}** ${rationale}`.trim() : body));
  }
  return out;
}

function continues(line: string, underHeading: boolean): boolean {
  if (HEADING.test(line) || LIST_ITEM.test(line) && !underHeading) { return false; }
  if (underHeading) { return !(LIST_ITEM.test(line) && leadSeverity(LIST_ITEM.exec(line)![1], false)); }
  return /^\s{2,}\S/.test(line);
}

function markdownItem(severity: FindingSeverity, body: string): Finding {
  const bold = /^(?:\*\*|__)(.+?)(?:\*\*|__)\s*[:\-–—.]?\s*/.exec(body);
  const split = bold ? [bold[1], body.slice(bold[0].length)] : splitTitle(body);
  const loc = locationInText(body);
  const where = loc ? parseLocation(loc[1]) : {};
  const line = loc ? parseLine(loc[2] ?? loc[3] ?? loc[4]) : undefined;
  const title = cleanText(split[0].replace(/[*_`]/g, ''), MAX_TITLE);
  return withLocation({ severity, title, rationale: cleanText(split[1], MAX_RATIONALE) }, where.file, line);
}

/** "Title: rationale" or "Title — rationale"; otherwise the first sentence is the title. */
function splitTitle(body: string): [string, string] {
  const m = /^(.{3,160}?)(?::\s|\s[-–—]\s)(.*)$/.exec(body);
  if (m) { return [m[1], m[2]]; }
  const s = firstSentence(body);
  return [s, body.slice(s.length).trim()];
}

function dedupe(list: Finding[]): Finding[] {
  const seen = new Set<string>();
  return list.filter(f => {
    const key = `${f.severity}\u0000${f.title}\u0000${f.file ?? ''}\u0000${f.line ?? ''}`;
    if (seen.has(key)) { return false; }
    seen.add(key);
    return true;
  });
}
