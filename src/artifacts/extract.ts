/**
 * Takes file-like results out of a model's Markdown answer: fenced blocks whose info string names a kind
 * and a path (the output contract, ```` ```yaml file=docs/api/openapi.yaml ````), with fallbacks for models
 * that ignore it. Works on a finished answer or incrementally while it streams: a block becomes an
 * artifact when its closing fence arrives. Pure: no I/O, no `vscode`.
 */
import { decideKind, sniffKind } from './sniff';
import type { Artifact } from './types';

export interface ExtractOptions {
  /**
   * True when the answer is complete: a block still open at the end is returned (marked `unterminated`),
   * and an answer with no fence at all is sniffed as a whole. False (the default) returns closed blocks only.
   */
  final?: boolean;
}

/** An open fence: CommonMark rules plus the repairs for the ways models break them. */
interface OpenBlock {
  char: '`' | '~';
  length: number;
  /** Columns of indentation to strip from content lines (list items indent their fences). */
  indent: number;
  language: string;
  path?: string;
  startLine: number;
  lines: string[];
  /** Same-length fences opened inside a Markdown block (models nest ```sql inside ```markdown). */
  nested: number;
  markdown: boolean;
}

// Up to a list marker before the fence: "1. ```bash" opens a fence inside a list item.
const OPENER = /^(\s*)((?:[-*+]|\d{1,9}[.)])\s+)?(`{3,}|~{3,})(.*)$/;
const CLOSER = /^\s*(`{3,}|~{3,})\s*$/;
const PATH_ATTR = /(?:^|\s)(?:file|path|filename|name|title)\s*[=:]\s*(?:"([^"]+)"|'([^']+)'|(\S+))/i;
const BARE_PATH = /^[\w.@-]+(?:\/[\w.@-]+)*\.[A-Za-z0-9]{1,10}$/;

/** Language and suggested path from an info string such as `yaml file=docs/api/openapi.yaml`. */
export function parseInfoString(info: string): { language: string; path?: string } {
  const trimmed = info.trim().replace(/^\{\s*\.?/, '').replace(/\s*\}$/, '');
  const first = /^[^\s{]*/.exec(trimmed)?.[0] ?? '';
  // `yaml:docs/openapi.yaml` and `yaml title="x"` are both seen in the wild.
  const colon = first.indexOf(':');
  const language = (colon > 0 ? first.slice(0, colon) : first).replace(/^\./, '').toLowerCase();
  const attr = PATH_ATTR.exec(trimmed.slice(first.length));
  let path = attr ? (attr[1] ?? attr[2] ?? attr[3]) : undefined;
  if (!path && colon > 0 && BARE_PATH.test(first.slice(colon + 1))) { path = first.slice(colon + 1); }
  if (!path) {
    const bare = trimmed.slice(first.length).trim().split(/\s+/).find(t => BARE_PATH.test(t) && t.includes('/'));
    path = bare;
  }
  return { language, path: path?.replace(/^\.\//, '') };
}

/** A path named alone on the line before a fence: `**docs/api/openapi.yaml**`, `` `db/schema.sql`: ``, `### File: x`. */
export function pathFromLeadIn(line: string): string | undefined {
  const stripped = line.trim()
    .replace(/^#{1,6}\s+/, '')
    .replace(/[*_`"]/g, '')
    .replace(/^(?:file(?:name)?|path)\s*:\s*/i, '')
    .replace(/[:.]$/, '')
    .trim();
  return stripped.length <= 200 && BARE_PATH.test(stripped) ? stripped.replace(/^\.\//, '') : undefined;
}

/** A path named in a first-line comment: `# file: x`, `-- file: x`, `// file: x`, `%% file: x`. */
function pathFromFirstLine(line: string | undefined): string | undefined {
  const m = /^\s*(?:#|--|\/\/|%%|<!--)\s*(?:file(?:name)?|path)\s*:\s*(\S+?)\s*(?:-->)?\s*$/i.exec(line ?? '');
  return m && BARE_PATH.test(m[1]) ? m[1].replace(/^\.\//, '') : undefined;
}

/** Removes up to `indent` leading spaces, as CommonMark does for content of an indented fence. */
function dedent(line: string, indent: number): string {
  let i = 0;
  while (i < indent && i < line.length && line[i] === ' ') { i++; }
  return line.slice(i);
}

/**
 * The line-by-line state machine behind both entry points. Lines arrive complete (without their newline),
 * numbered from 1; each closed block comes back from `line()`.
 */
class FenceScanner {
  private open: OpenBlock | undefined;
  private lastProse = '';
  private count = 0;
  sawFence = false;

  line(text: string, lineNo: number): Artifact[] {
    const line = text.endsWith('\r') ? text.slice(0, -1) : text;
    return this.open ? this.inside(this.open, line, lineNo) : this.outside(line, lineNo);
  }

  /** Closes whatever is still open at the end of the answer. */
  end(): Artifact[] {
    const open = this.open;
    this.open = undefined;
    return open ? this.emit(open, true) : [];
  }

  private outside(line: string, lineNo: number): Artifact[] {
    const m = OPENER.exec(line);
    if (!m || (m[3][0] === '`' && m[4].includes('`'))) {
      // "```js```" on one line is inline code, not a fence (CommonMark: no backtick in a backtick fence's info).
      if (line.trim() !== '') { this.lastProse = line; }
      return [];
    }
    this.sawFence = true;
    const info = parseInfoString(m[4]);
    const path = info.path ?? pathFromLeadIn(this.lastProse);
    this.lastProse = '';
    this.open = {
      char: m[3][0] as '`' | '~', length: m[3].length, indent: m[1].length + (m[2]?.length ?? 0),
      language: info.language, path, startLine: lineNo + 1, lines: [], nested: 0,
      markdown: info.language === 'markdown' || info.language === 'md',
    };
    return [];
  }

  private inside(open: OpenBlock, line: string, lineNo: number): Artifact[] {
    const close = CLOSER.exec(line);
    if (close && close[1][0] === open.char && close[1].length >= open.length) {
      if (open.nested > 0) {
        open.nested--;
        open.lines.push(dedent(line, open.indent));
        return [];
      }
      this.open = undefined;
      return this.emit(open, false);
    }
    const opener = OPENER.exec(line);
    const sameFence = opener && !opener[2] && opener[3][0] === open.char && opener[3].length >= open.length && opener[4].trim() !== '';
    if (sameFence && open.markdown) {
      // A nested block inside a Markdown file (an ADR with a diagram): its bare closer is not ours.
      open.nested++;
    } else if (sameFence && opener[1].length <= open.indent && /\bfile\s*=|^\s*\w+\s*$/.test(opener[4])) {
      // The model forgot to close this block and started the next one: end here, open the new one.
      this.open = undefined;
      const emitted = this.emit(open, true);
      this.outside(line, lineNo);
      return emitted;
    }
    open.lines.push(dedent(line, open.indent));
    return [];
  }

  private emit(open: OpenBlock, unterminated: boolean): Artifact[] {
    const content = open.lines.length ? `${open.lines.join('\n')}\n` : '';
    if (content.trim() === '') { return []; }
    const path = open.path ?? pathFromFirstLine(open.lines[0]);
    const { kind, sniffed } = decideKind(open.language, path, content);
    this.count++;
    const artifact: Artifact = { id: `a${this.count}`, kind, language: open.language, startLine: open.startLine, content, sniffed, unterminated };
    if (path) { artifact.path = path; }
    return [artifact];
  }

  nextId(): string {
    return `a${this.count + 1}`;
  }
}

/**
 * Feeds an answer as it streams. `push` returns the artifacts whose block closed in that delta; `finish`
 * returns what the end of the answer closes. Each line is scanned once, so a long answer costs linear time
 * however it is split.
 */
export class ArtifactStream {
  private readonly scanner = new FenceScanner();
  private pending = '';
  private lineNo = 0;
  private text = '';
  private finished = false;

  push(delta: string): Artifact[] {
    if (this.finished) { throw new Error('ArtifactStream: push after finish'); }
    this.text += delta;
    this.pending += delta;
    const out: Artifact[] = [];
    // Walk with an index and cut once: slicing the remainder per line would be quadratic on a big push.
    let start = 0;
    for (let nl = this.pending.indexOf('\n'); nl >= 0; nl = this.pending.indexOf('\n', start)) {
      out.push(...this.scanner.line(this.pending.slice(start, nl), ++this.lineNo));
      start = nl + 1;
    }
    this.pending = this.pending.slice(start);
    return out;
  }

  /** The answer is complete: the last partial line counts, and an open block is returned unterminated. */
  finish(): Artifact[] {
    if (this.finished) { return []; }
    this.finished = true;
    const out: Artifact[] = [];
    if (this.pending !== '') { out.push(...this.scanner.line(this.pending, ++this.lineNo)); }
    out.push(...this.scanner.end());
    if (!this.scanner.sawFence) { out.push(...wholeAnswer(this.text, this.scanner.nextId())); }
    return out;
  }
}

/** A model that ignored the contract entirely may answer with the bare file: take it when it sniffs as one. */
function wholeAnswer(text: string, id: string): Artifact[] {
  const firstLine = text.search(/\S/);
  if (firstLine < 0) { return []; }
  const { kind, sniffed } = sniffKind(text);
  if (!sniffed) { return []; }
  const startLine = text.slice(0, firstLine).split('\n').length;
  const content = `${text.slice(firstLine).replace(/\s+$/, '')}\n`;
  return [{ id, kind, language: '', startLine, content, sniffed, unterminated: false }];
}

/**
 * Every artifact in an answer, in order of appearance. With `final: false` (an answer still streaming)
 * only blocks whose closing fence has arrived are returned.
 */
export function extractArtifacts(answer: string, options: ExtractOptions = {}): Artifact[] {
  const stream = new ArtifactStream();
  const closed = stream.push(answer);
  return options.final ? [...closed, ...stream.finish()] : closed;
}
