/**
 * Agent definitions (Claude Code subagents, Copilot chat modes and their many hand-written variants)
 * read into one shape. Pure: no I/O and no `vscode`, so the extension, the CLI and the tests share it.
 * Threats handled here: THREATS T7 (hidden Unicode) and T11 (code in front matter, YAML bombs,
 * prototype pollution, oversized files).
 */
import { isAllowedLanguage, readHeader, RefusedLanguageError, type HeaderRead } from './frontMatter';
import { dedent, locateLayout, nextNonBlank, type Layout } from './layout';
import { resolveModel } from './models';
import { FORBIDDEN_KEYS } from './safeYaml';
import type { AgentDefinition, AgentProblem, ParseOptions, ParseResult } from './types';
import { grantAgentTools, ignoredToolsNote } from '../tools/agentTools';
import { formatLineList, hasHiddenUnicode, stripHiddenFromLines, stripHiddenUnicode, toWellFormed, type HiddenUnicodeReport } from './unicode';

/** Larger files are refused unread: no real definition comes close, and parsing cost grows with size. */
export const MAX_AGENT_FILE_BYTES = 256 * 1024;
/** Larger headers are refused before YAML sees them. */
export const MAX_FRONT_MATTER_BYTES = 16 * 1024;

// Decoders keep no state between whole-buffer calls, so two shared ones serve every file.
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const LENIENT_UTF8 = new TextDecoder('utf-8', { ignoreBOM: true });
const KNOWN_KEYS = new Set(['name', 'title', 'description', 'model', 'tools']);
const KIND_SUFFIX = /\.(agent|chatmode|prompt|instructions|subagent)$/i;

/**
 * Reads one agent definition. Never throws: every failure is a problem.
 *
 * Rules:
 * - an agent is returned exactly when no problem has severity `error`;
 * - refused outright (error): files over MAX_AGENT_FILE_BYTES, headers over MAX_FRONT_MATTER_BYTES,
 *   a language after the opening fence other than YAML (`---js`, `--- JavaScript`, `---coffee`);
 *   YAML aliases, merge keys (`<<`) and `__proto__`/`constructor`/`prototype` keys;
 * - hidden Unicode (Tags, zero-width, bidi controls, variation selectors) is stripped from the whole
 *   text before anything else and reported as a warning with its lines; a lone emoji presentation
 *   selector or an emoji joiner is reported as info;
 * - strict YAML first; when it fails, a line-wise reader (warning), so real-world files still load;
 * - the header may follow blank lines or a BOM, be indented, lack one fence or both (`name:` lines,
 *   a blank line, the body), or sit inside a ```` ``` ```` block wrapping the whole file (`format`);
 * - the name is `name`, else `title`, else the file name without `.md` and a kind suffix
 *   (`.agent`, `.chatmode`, `.prompt`, `.instructions`); with neither a declared name nor a body
 *   the file is refused (error), with a declared name and no body it loads with a warning;
 * - `model` goes through `options.modelMap` (see resolveModel); `tools` only at the top level, so
 *   `mcp-servers.*.tools` stays in `extra`;
 * - line numbers are the file's own, whatever the line ends (LF, CRLF or CR).
 */
export function parseAgentDefinition(text: string | Uint8Array, file: string, options: ParseOptions = {}): ParseResult {
  try {
    return parseUnguarded(text, file, options);
  } catch (err) {
    const message = err instanceof RefusedLanguageError ? err.message : `could not be read: ${describe(err)}`;
    return { file, problems: [{ line: 1, severity: 'error', message }] };
  }
}

/** True when a file of `bytes` bytes would be refused unread; lets a caller skip reading it at all. */
export function exceedsAgentFileCap(bytes: number): boolean {
  return bytes > MAX_AGENT_FILE_BYTES;
}

function parseUnguarded(input: string | Uint8Array, file: string, options: ParseOptions): ParseResult {
  const tooBig = sizeProblem(input, options.size);
  if (tooBig) { return { file, problems: [tooBig] }; }
  const problems: AgentProblem[] = [];
  const doc = splitLines(decode(input, problems), problems);
  const layout = locateLayout(doc.lines);
  problems.push(...layout.problems);
  const refusal = headerRefusal(doc.lines, layout);
  if (refusal) { return { file, problems: sortProblems([...problems, refusal]) }; }
  const agent = buildAgent(doc, layout, file, options, problems);
  const sorted = sortProblems(problems);
  return sorted.some(p => p.severity === 'error') ? { file, problems: sorted } : { file, agent, problems: sorted };
}

function sizeProblem(input: string | Uint8Array, declared = 0): AgentProblem | undefined {
  // A string's UTF-8 size is at least its length, so the exact count only runs on plausible sizes.
  const actual = typeof input === 'string'
    ? (input.length > MAX_AGENT_FILE_BYTES ? input.length : Buffer.byteLength(input, 'utf8'))
    : input.byteLength;
  const bytes = Math.max(declared, actual);
  if (!exceedsAgentFileCap(bytes)) { return undefined; }
  return { line: 1, severity: 'error', message: `the file is ${kib(bytes)}, over the ${kib(MAX_AGENT_FILE_BYTES)} limit for agent definitions; it was not read` };
}

function decode(input: string | Uint8Array, problems: AgentProblem[]): string {
  let text: string;
  if (typeof input === 'string') {
    // Bytes decode to well-formed text; a string may hold lone surrogates.
    text = toWellFormed(input);
  } else {
    try {
      text = STRICT_UTF8.decode(input);
    } catch {
      text = LENIENT_UTF8.decode(input);
      problems.push({ line: 1, severity: 'warning', message: 'the file is not valid UTF-8; unreadable bytes were replaced with "\uFFFD"' });
    }
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** The file's lines, hidden Unicode removed, and the same text joined with `\n` for cheap slicing. */
interface Lines {
  lines: string[];
  text: string;
}

function splitLines(raw: string, problems: AgentProblem[]): Lines {
  const crlf = raw.includes('\r');
  const lines = crlf ? raw.split(/\r\n|\r|\n/) : raw.split('\n');
  if (!hasHiddenUnicode(raw)) { return { lines, text: crlf ? lines.join('\n') : raw }; }
  problems.push(...hiddenUnicodeProblems(stripHiddenFromLines(lines)));
  return { lines, text: lines.join('\n') };
}

function hiddenUnicodeProblems(report: HiddenUnicodeReport): AgentProblem[] {
  const out: AgentProblem[] = [];
  const s = report.suspicious;
  if (s.count > 0) {
    const kinds = Object.entries(s.byKind).map(([k, n]) => `${k}: ${n}`).join(', ');
    const spelled = report.tagText ? `; the Tag characters spelled ${JSON.stringify(report.tagText.slice(0, 120))}` : '';
    out.push({
      line: s.lines[0], column: s.firstColumn, severity: 'warning',
      message: `${s.count} hidden Unicode character${s.count === 1 ? '' : 's'} removed (${kinds}) on line${s.lines.length === 1 ? '' : 's'} ${formatLineList(s.lines)}${spelled}`,
    });
  }
  if (report.emoji.count > 0) {
    out.push({
      line: report.emoji.lines[0], severity: 'info',
      message: `${report.emoji.count} emoji presentation character${report.emoji.count === 1 ? '' : 's'} removed on line${report.emoji.lines.length === 1 ? '' : 's'} ${formatLineList(report.emoji.lines)}`,
    });
  }
  return out;
}

function headerRefusal(lines: string[], layout: Layout): AgentProblem | undefined {
  if (!isAllowedLanguage(layout.language)) {
    return { line: layout.openLine + 1, severity: 'error', message: new RefusedLanguageError(layout.language).message };
  }
  let bytes = 0;
  for (let i = layout.headerStart; i < layout.headerEnd; i++) { bytes += Buffer.byteLength(lines[i], 'utf8') + 1; }
  if (bytes > MAX_FRONT_MATTER_BYTES) {
    return { line: layout.headerStart + 1, severity: 'error', message: `the front matter is ${kib(bytes)}, over the ${kib(MAX_FRONT_MATTER_BYTES)} limit; it was not parsed` };
  }
  return undefined;
}

function buildAgent(doc: Lines, layout: Layout, file: string, options: ParseOptions, problems: AgentProblem[]): AgentDefinition {
  const { data, keyLines } = readLayoutHeader(doc.lines, layout, problems);
  const lineOf = (key: string): number => keyLines.get(key) ?? layout.openLine + 1;
  const fields = new TextFields(data, lineOf, problems);
  const nameKey = fields.get('name') !== undefined ? 'name' : fields.get('title') !== undefined ? 'title' : undefined;
  const name = nameKey ? fields.get(nameKey)! : nameFromFile(file);
  if (!nameKey) {
    problems.push({ line: 1, severity: 'info', message: `no "name" in the header; the file name gives "${name}"` });
  }
  const body = readBody(doc, layout);
  if (name === '') {
    problems.push({ line: 1, severity: 'error', message: 'no name: the header has none and the file name gives none' });
  } else if (body.text === '' && !nameKey) {
    problems.push({ line: 1, severity: 'error', message: 'no name and no instructions: this is not an agent definition' });
  } else if (body.text === '') {
    problems.push({ line: body.line, severity: 'warning', message: 'no instructions after the header' });
  }
  const choice = resolveModel(data.model, lineOf('model'), options.modelMap, options.defaultModel);
  problems.push(...choice.problems);
  const tools = readTools(data.tools, lineOf('tools'), problems);
  const toolsListed = Array.isArray(data.tools) || typeof data.tools === 'string';
  // Names we have no tool for (writing, running, the web) are dropped: a definition only ever gets reading tools.
  const note = toolsListed ? ignoredToolsNote(grantAgentTools(tools)) : undefined;
  if (note) { problems.push({ line: lineOf('tools'), severity: 'info', message: note }); }
  return {
    name,
    description: fields.get('description') ?? '',
    body: body.text,
    model: choice.model,
    resolvedModel: choice.resolvedModel,
    tools,
    ...(toolsListed && { toolsListed: true as const }),
    format: layout.format,
    bodyStartLine: body.line,
    extra: extraKeys(data, nameKey),
  };
}

function readLayoutHeader(lines: string[], layout: Layout, problems: AgentProblem[]): Pick<HeaderRead, 'data' | 'keyLines'> {
  if (layout.headerEnd <= layout.headerStart) { return { data: {}, keyLines: new Map() }; }
  const text = lines.slice(layout.headerStart, layout.headerEnd).map(l => dedent(l, layout.indent)).join('\n');
  const header = readHeader(text, layout.language, layout.headerStart + 1, layout.indent);
  problems.push(...header.problems);
  return header;
}

/** String fields of the header, each read (and reported) once; lists and maps are not text. */
class TextFields {
  private readonly seen = new Map<string, string | undefined>();

  constructor(private readonly data: Record<string, unknown>, private readonly lineOf: (key: string) => number,
    private readonly problems: AgentProblem[]) {}

  get(key: string): string | undefined {
    if (!this.seen.has(key)) { this.seen.set(key, this.read(key)); }
    return this.seen.get(key);
  }

  private read(key: string): string | undefined {
    const value = this.data[key];
    if (value === undefined || value === null) { return undefined; }
    if (typeof value === 'object') {
      this.problems.push({ line: this.lineOf(key), severity: 'warning', message: `"${key}" should be text; this value is ignored` });
      return undefined;
    }
    const text = String(value).trim();
    return text === '' ? undefined : text;
  }
}

function readBody(doc: Lines, layout: Layout): { text: string; line: number } {
  const { lines } = doc;
  const first = nextNonBlank(lines, layout.bodyStart, layout.bodyEnd);
  const line = Math.min(first, Math.max(lines.length - 1, 0)) + 1;
  if (layout.indent > 0) {
    return { text: lines.slice(first, layout.bodyEnd).map(l => dedent(l, layout.indent)).join('\n').trimEnd(), line };
  }
  // Bodies are most of a file: slice the joined text instead of re-joining thousands of lines.
  let start = 0;
  for (let i = 0; i < first; i++) { start += lines[i].length + 1; }
  let end = start;
  for (let i = first; i < layout.bodyEnd; i++) { end += lines[i].length + 1; }
  return { text: doc.text.slice(start, end).trimEnd(), line };
}

/** `Read, Grep`, `[Read, Grep]`, a block list, `'*'`: always a list of trimmed, distinct names. */
function readTools(raw: unknown, line: number, problems: AgentProblem[]): string[] {
  if (raw === undefined || raw === null) { return []; }
  let items: unknown[];
  if (Array.isArray(raw)) {
    items = raw;
  } else if (typeof raw === 'string') {
    items = raw.split(',');
  } else {
    problems.push({ line, severity: 'warning', message: '"tools" should be a list or a comma-separated string; it is ignored' });
    return [];
  }
  if (items.some(v => v !== null && typeof v === 'object')) {
    problems.push({ line, severity: 'warning', message: 'some "tools" entries are not names and were skipped' });
  }
  const names = items.filter(v => typeof v === 'string' || typeof v === 'number').map(v => String(v).trim()).filter(v => v !== '');
  return [...new Set(names)];
}

/** Header keys the agent has no field for; `title` stays here unless it gave the name. */
function extraKeys(data: Record<string, unknown>, nameKey: string | undefined): Record<string, unknown> {
  const extra: Record<string, unknown> = {};
  for (const key of Object.keys(data)) {
    const consumed = KNOWN_KEYS.has(key) && (key !== 'title' || nameKey === 'title');
    if (consumed || FORBIDDEN_KEYS.has(key)) { continue; }
    extra[key] = data[key];
  }
  return extra;
}

/** `backend-architect.agent.md` → `backend-architect`; either kind of path separator. */
export function nameFromFile(file: string): string {
  const base = file.split(/[\\/]/).pop() ?? '';
  return stripHiddenUnicode(base.replace(/\.(md|markdown)$/i, '').replace(KIND_SUFFIX, '')).trim();
}

function sortProblems(problems: AgentProblem[]): AgentProblem[] {
  return problems.map((p, i) => ({ p, i })).sort((a, b) => a.p.line - b.p.line || a.i - b.i).map(x => x.p);
}

function kib(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
