/**
 * Deterministic fixes for the mermaid mistakes models make most, tried before any repair turn goes back to
 * the model. Pure text rewriting; each fix only touches a pattern mermaid rejects, and the caller re-parses
 * the result, so a fix that does not help is never shown as a repair.
 */

export interface MermaidRepair {
  text: string;
  /** One line per change, naming the line it was on in the original. */
  changes: string[];
}

type Lines = string[];
type Fix = (lines: Lines, changes: string[]) => Lines;

const DIAGRAM_START = /^(?:---\s*$|%%|flowchart\b|graph\b|sequenceDiagram|classDiagram|stateDiagram|erDiagram|gantt|pie\b|journey|gitGraph|mindmap|timeline|quadrantChart|requirementDiagram|C4\w+|zenuml|kanban|(?:sankey|xychart|block|packet|architecture|radar|treemap)(?:-beta)?\b)/;

/** The diagram type from the first meaningful line (front matter and comments skipped). */
function diagramType(lines: Lines): string {
  let inFrontMatter = false;
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    if (i === 0 && line === '---') { inFrontMatter = true; continue; }
    if (inFrontMatter) { inFrontMatter = line !== '---'; continue; }
    if (line === '' || line.startsWith('%%')) { continue; }
    return /^(\S+)/.exec(line)?.[1] ?? '';
  }
  return '';
}

const isFlowchart = (type: string): boolean => type === 'flowchart' || type === 'graph';

/** Prose has several words, ends like a sentence and holds none of mermaid's punctuation. */
function looksLikeProse(line: string): boolean {
  const t = line.trim();
  return t.split(/\s+/).length >= 4 && /[.!?:]$/.test(t) && !/-->|->>|--|==>|[[\]{}()|;]/.test(t) &&
    !/^(?:title|section|note|participant|actor|accTitle|accDescr|class|state)\b/i.test(t);
}

/** A leading ```mermaid line, a closing fence, prose before the diagram keyword and after the diagram. */
const stripMarkdown: Fix = (lines, changes) => {
  let out = [...lines];
  const first = out.findIndex(l => l.trim() !== '');
  if (first >= 0 && /^\s*(`{3,}|~{3,})\s*(mermaid|mmd)?\s*$/i.test(out[first])) {
    changes.push(`line ${first + 1}: removed the Markdown fence line \`${out[first].trim()}\``);
    out[first] = '';
  }
  const fence = out.findIndex((l, i) => i > first && /^\s*(`{3,}|~{3,})\s*$/.test(l));
  if (fence >= 0) {
    const dropped = out.slice(fence).filter(l => l.trim() !== '').length;
    changes.push(`line ${fence + 1}: removed the closing fence${dropped > 1 ? ' and the text after it' : ''}`);
    out = out.slice(0, fence);
  }
  const start = out.findIndex(l => DIAGRAM_START.test(l.trim()));
  if (start > 0 && out.slice(0, start).some(l => l.trim() !== '')) {
    changes.push(`lines 1-${start}: removed the text before the diagram keyword`);
    out = [...Array<string>(start).fill(''), ...out.slice(start)];
  }
  // Trailing prose: unindented sentences after a blank line (indented text may be mindmap or timeline nodes).
  let end = out.length;
  while (end > 0 && (out[end - 1].trim() === '' || (looksLikeProse(out[end - 1]) && !/^\s/.test(out[end - 1])))) { end--; }
  const tail = out.slice(end);
  const firstProse = tail.findIndex(l => l.trim() !== '');
  if (firstProse > 0 && tail.some(looksLikeProse)) {
    changes.push(`line ${end + firstProse + 1}: removed the explanation after the diagram`);
    out = out.slice(0, end);
  }
  return out;
};

/** `A --> B %% note`: mermaid only takes comments on their own line. */
const moveTrailingComments: Fix = (lines, changes) => lines.flatMap((line, i) => {
  const at = commentStart(line);
  if (at <= 0 || line.slice(0, at).trim() === '') { return [line]; }
  changes.push(`line ${i + 1}: moved the comment to its own line`);
  const indent = /^\s*/.exec(line)?.[0] ?? '';
  return [`${indent}${line.slice(at).trim()}`, line.slice(0, at).replace(/\s+$/, '')];
});

/**
 * Index of a trailing `%%` comment: outside quotes, after whitespace, not a `%%{` directive; -1 when none.
 * Lines that start with `%%` are comments or directives already (`%%{init: ...}%%` ends in `%%` too).
 */
function commentStart(line: string): number {
  if (line.trim().startsWith('%%')) { return -1; }
  let quoted = false;
  for (let i = 1; i < line.length - 1; i++) {
    if (line[i] === '"') { quoted = !quoted; }
    if (!quoted && line[i] === '%' && line[i + 1] === '%' && line[i + 2] !== '{' && /\s/.test(line[i - 1])) { return i; }
  }
  return -1;
}

// Node shapes, longest opener first so `[(` wins over `[`.
const SHAPES: [string, string][] = [
  ['(((', ')))'], ['([', '])'], ['[[', ']]'], ['[(', ')]'], ['((', '))'], ['{{', '}}'],
  ['[/', '/]'], ['[\\', '\\]'], ['[/', '\\]'], ['[\\', '/]'], ['[', ']'], ['(', ')'], ['{', '}'], ['>', ']'],
];
const AFTER_SHAPE = /^(?:\s*$|\s*(?:-|=|\.|~|&|;|<|:::|%%|@)|\s+\S)/;
const LABEL_TROUBLE = /[()[\]{}"|]|^[/\\]/;
const SKIP_LINE = /^\s*(?:classDef|class|style|linkStyle|click|%%|direction|accTitle|accDescr)\b/;

/** Quotes one label when it holds characters mermaid reads as syntax; inner quotes become `#quot;`. */
function quoteLabel(label: string): string | undefined {
  const inner = label.startsWith('"') && label.endsWith('"') && label.length >= 2 ? label.slice(1, -1) : undefined;
  if (inner !== undefined) { return inner.includes('"') ? `"${inner.replace(/"/g, '#quot;')}"` : undefined; }
  return LABEL_TROUBLE.test(label) ? `"${label.replace(/"/g, '#quot;')}"` : undefined;
}

/** The shape opening at `i` right after a node id, with where its label ends; undefined when none fits. */
function shapeAt(line: string, i: number): { open: string; close: string; end: number } | undefined {
  // Only straight after an id character: `-->` and `==>` end in `>` too, and that is not a shape.
  if (!/\w/.test(line[i - 1] ?? '')) { return undefined; }
  for (const [open, close] of SHAPES) {
    if (!line.startsWith(open, i)) { continue; }
    const end = findClose(line, i + open.length, close);
    if (end >= 0) { return { open, close, end }; }
  }
  return undefined;
}

/** Rewrites node labels on one flowchart line; returns the new line, or undefined when nothing changed. */
function quoteNodeLabels(line: string): string | undefined {
  let out = '';
  let changed = false;
  let i = 0;
  while (i < line.length) {
    const shape = shapeAt(line, i);
    if (!shape) {
      out += line[i++];
      continue;
    }
    const label = line.slice(i + shape.open.length, shape.end);
    const quoted = quoteLabel(label);
    changed ||= quoted !== undefined;
    out += shape.open + (quoted ?? label) + shape.close;
    i = shape.end + shape.close.length;
  }
  return changed ? out : undefined;
}

/** The first closer after `from` that is followed by something that can follow a node. */
function findClose(line: string, from: number, closer: string): number {
  for (let j = line.indexOf(closer, from); j >= 0; j = line.indexOf(closer, j + 1)) {
    if (AFTER_SHAPE.test(line.slice(j + closer.length))) { return j; }
  }
  return -1;
}

const EDGE_LABEL = /((?:--|==|-\.)[-.=]*[>ox]?)\|([^|"]*[()[\]{}][^|"]*)\|/g;

/** Flowchart labels with parentheses, brackets, braces or quotes: `A[Users (mobile)]` → `A["Users (mobile)"]`. */
const quoteFlowchartLabels: Fix = (lines, changes) => lines.map((line, i) => {
  if (SKIP_LINE.test(line)) { return line; }
  let next = line;
  const sub = /^(\s*subgraph\s+)(.*?)\s*$/.exec(line);
  if (sub) {
    const title = sub[2];
    const withId = /^([\w-]+)\s*\[(.*)\]$/.exec(title);
    const quoted = withId ? quoteLabel(withId[2]) : /[()[\]{}|]/.test(title) && !title.startsWith('"') ? `"${title.replace(/"/g, '#quot;')}"` : undefined;
    if (quoted) { next = withId ? `${sub[1]}${withId[1]}[${quoted}]` : `${sub[1]}${quoted}`; }
  } else {
    next = quoteNodeLabels(line) ?? line;
    next = next.replace(EDGE_LABEL, (_m, arrow: string, text: string) => `${arrow}|"${text}"|`);
  }
  if (next !== line) { changes.push(`line ${i + 1}: quoted a label that holds brackets, parentheses or quotes`); }
  return next;
});

const RESERVED_IDS = ['end', 'graph', 'subgraph', 'style', 'class', 'classDef', 'click', 'linkStyle', 'direction'];

/** Keywords used as node ids (`start --> end`): renamed to a capitalised id, which mermaid allows. */
const renameReservedIds: Fix = (lines, changes) => {
  const text = lines.join('\n');
  let out = lines;
  for (const word of RESERVED_IDS) {
    // As an id: after an arrow, `&`, `|` or at the start, and followed by a shape, an arrow or the end.
    const asId = new RegExp(`(^|[\\s&|>])${word}(?=\\s*(?:$|[[({>]|-|=|&|;|:::))`, 'g');
    const candidates = [word[0].toUpperCase() + word.slice(1), word.toUpperCase(), `${word}Node`];
    const replacement = candidates.find(c => !new RegExp(`\\b${c}\\b`).test(text)) ?? `${word}_1`;
    out = out.map((line, i) => {
      const trimmed = line.trim();
      // The keyword's own statements (`end`, `subgraph X`, `style A ...`, `graph TD`) stay as they are.
      if (SKIP_LINE.test(line) || trimmed === word || (word !== 'end' && trimmed.startsWith(`${word} `))) { return line; }
      const next = line.replace(asId, (_m, before: string) => `${before}${replacement}`);
      if (next !== line) { changes.push(`line ${i + 1}: renamed the node id \`${word}\` to \`${replacement}\` (\`${word}\` is a keyword)`); }
      return next;
    });
  }
  return out;
};

const MESSAGE_NO_COLON = /^(\s*[^\s:]+?\s*(?:--?>>|--?>|--?x|--?\)|<<--?>>)\s*[+-]?[^\s:]+)\s+([^:\s].*)$/;

/** `A->>B hello`: sequence messages need a colon before their text. */
const sequenceColons: Fix = (lines, changes) => lines.map((line, i) => {
  const m = MESSAGE_NO_COLON.exec(line);
  if (!m || line.includes(':')) { return line; }
  changes.push(`line ${i + 1}: added the colon between the message's arrow and its text`);
  return `${m[1]}: ${m[2]}`;
});

/** `USER ||--o{ ORDER` without `: label`: erDiagram relationships need one. */
const erLabels: Fix = (lines, changes) => lines.map((line, i) => {
  if (!/^\s*[\w-]+\s*[|}o][|o]?(?:--|\.\.)[|o]?[|{o]\s*[\w-]+\s*$/.test(line)) { return line; }
  changes.push(`line ${i + 1}: added an empty label to the relationship`);
  return `${line.replace(/\s+$/, '')} : ""`;
});

/**
 * Applies every fix that fits the diagram's type. Returns the text unchanged (and no changes) when none
 * applies; the caller parses the result to see whether it now passes.
 */
export function repairMermaid(source: string): MermaidRepair {
  const changes: string[] = [];
  let lines = stripMarkdown(source.split(/\r\n?|\n/), changes);
  const type = diagramType(lines);
  const fixes: Fix[] = [];
  if (isFlowchart(type)) { fixes.push(quoteFlowchartLabels, renameReservedIds); }
  if (type === 'sequenceDiagram') { fixes.push(sequenceColons); }
  if (type === 'erDiagram') { fixes.push(erLabels); }
  // Last, because it adds lines: the fixes before it still name the original line numbers.
  fixes.push(moveTrailingComments);
  for (const fix of fixes) { lines = fix(lines, changes); }
  const text = `${lines.join('\n').replace(/^\n+/, '').replace(/\s+$/, '')}\n`;
  // In line order, which is how a person reads them against the diagram.
  const lineOf = (c: string): number => Number(/^lines? (\d+)/.exec(c)?.[1] ?? 0);
  const ordered = changes.map((c, i) => ({ c, i })).sort((a, b) => lineOf(a.c) - lineOf(b.c) || a.i - b.i).map(x => x.c);
  return ordered.length ? { text, changes: ordered } : { text: source, changes: [] };
}
