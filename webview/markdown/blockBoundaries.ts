/**
 * Finds the offset up to which a growing markdown text is made of finished blocks, so that a streaming view
 * renders those once and re-renders only the tail. Pure and incremental: each call scans only the lines
 * completed since the previous call, so the total work over a whole answer is linear.
 *
 * A block is finished at a blank line outside a fenced code block, once the next non-blank line shows that
 * the block cannot continue, and on both sides of an unindented fence. The rules lean one way on purpose: when in doubt the boundary is refused, which
 * only costs re-rendering a longer tail. A wrong boundary would show a half block rendered alone (for example
 * code after a blank line inside a fence rendered as prose) until the answer finishes.
 */

interface OpenFence {
  char: '`' | '~';
  length: number;
  /** Column of the fence characters. */
  column: number;
  /** Opened inside a list item, where the closing fence may be indented like the item's content. */
  inList: boolean;
  /** Opened at column 0 with no list marker: it belongs to no container, so its lines end any block before it. */
  topLevel: boolean;
  /** Offsets of the opening line and of the first content line. */
  start: number;
  contentStart: number;
}

/** A fence at column 0 that is still open: where it starts and where its content starts. */
export interface OpenFenceSpan {
  start: number;
  contentStart: number;
}

const LIST_ITEM = /^ {0,3}(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)/;
// The character that decides whether two items belong to one list: the bullet, or the delimiter after a number.
const MARKER_KIND = /^(?:([-+*])|\d{1,9}([.)]))/;
// Leading list markers are allowed before a fence: "1. ```bash" opens a fence inside a list item.
const FENCE_OPEN = /^([ \t]*(?:(?:[-+*]|\d{1,9}[.)])[ \t]+)*)(`{3,}|~{3,})(.*)$/;
const FENCE_CLOSE = /^([ \t]*)(`{3,}|~{3,})[ \t]*$/;
const BLANK = /^[ \t]*$/;

/** Tracks finished blocks in a text that only grows (reset it when the text is replaced). */
export class BlockBoundaryScanner {
  private scanned = 0;
  private stable = 0;
  private fence: OpenFence | undefined;
  private blankSeen = false;
  private segmentInList = false;
  /** Marker kind of the last unindented list item in the segment. */
  private topMarker: string | undefined;
  private lastIndent = 0;
  private refused = -1;
  private forced = false;
  /** Every boundary found, in order: a view may render a long run of finished blocks a few at a time. */
  private marks: number[] = [];

  /**
   * @param maxTail when the unfinished tail grows beyond this many characters (a long loose list, say),
   *   accept the last refused boundary anyway: a transient split beats re-rendering a huge tail per frame.
   */
  constructor(private readonly maxTail = 64 * 1024) {}

  /** True once a boundary was accepted only because the tail grew too long: the split may differ from a whole render. */
  get approximated(): boolean {
    return this.forced;
  }

  /** Text before this offset is made of finished blocks. */
  get stableOffset(): number {
    return this.stable;
  }

  /**
   * The unindented fence still open at the end of the scanned lines, if any. Its content is plain text up to
   * the end of the text, so a view can show it without parsing it again.
   */
  get openFence(): OpenFenceSpan | undefined {
    return this.fence?.topLevel ? { start: this.fence.start, contentStart: this.fence.contentStart } : undefined;
  }

  /** Scans the lines of `text` completed since the last call and returns the new stable offset. */
  advance(text: string): number {
    for (let newline = text.indexOf('\n', this.scanned); newline >= 0; newline = text.indexOf('\n', this.scanned)) {
      this.scanLine(text, this.scanned, newline);
      this.scanned = newline + 1;
    }
    if (text.length - this.stable > this.maxTail && this.refused > this.stable) {
      this.stable = this.refused;
      this.marks.push(this.refused);
      this.forced = true;
    }
    return this.stable;
  }

  /** Forgets everything, for a new text. */
  reset(): void {
    this.scanned = 0;
    this.stable = 0;
    this.fence = undefined;
    this.blankSeen = false;
    this.segmentInList = false;
    this.topMarker = undefined;
    this.lastIndent = 0;
    this.refused = -1;
    this.forced = false;
    this.marks = [];
  }

  /**
   * The furthest boundary after `from` and at most `limit`; when the first boundary after `from` is already
   * beyond `limit` (one long block), that one. Undefined when there is none after `from`.
   */
  boundaryWithin(from: number, limit: number): number | undefined {
    let lo = 0;
    let hi = this.marks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.marks[mid] <= from) { lo = mid + 1; } else { hi = mid; }
    }
    if (lo >= this.marks.length) { return undefined; }
    let best = this.marks[lo];
    for (let i = lo + 1; i < this.marks.length && this.marks[i] <= limit; i++) { best = this.marks[i]; }
    return best;
  }

  private scanLine(text: string, start: number, end: number): void {
    const line = text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end);
    if (this.fence) {
      if (closesFence(line, this.fence)) {
        if (this.fence.topLevel) {
          // Nothing continues a closed fence: the next line starts a new block, blank line or not.
          this.finishSegment(end + 1);
        }
        this.fence = undefined;
        this.lastIndent = 0;
      }
      return;
    }
    if (BLANK.test(line)) {
      this.blankSeen = true;
      return;
    }
    const indent = indentOf(line);
    const listItem = LIST_ITEM.test(line);
    const marker = listItem && indent === 0 ? markerKind(line) : undefined;
    if (this.blankSeen) {
      // After a blank line only a list (next item, or indented content of an item) or an indented code block
      // can carry on; an unindented line that is not a list item always starts a new block, and so does an
      // unindented item of another kind ("1." after "-", "*" after "-").
      const mayContinue = indent > 0 || (listItem && (this.topMarker === undefined || marker === this.topMarker));
      const continuable = this.segmentInList || this.lastIndent > 3;
      if (!mayContinue || !continuable) {
        this.finishSegment(start);
      } else {
        this.refused = start;
      }
      this.blankSeen = false;
    }
    this.lastIndent = indent;
    if (indent <= 3) {
      this.segmentInList ||= listItem;
    }
    if (marker !== undefined) {
      this.topMarker = marker;
    }
    this.fence = opensFence(line, indent, this.segmentInList, start, end + 1);
    if (this.fence?.topLevel) {
      // An unindented fence interrupts a paragraph and ends a list or quote (fences have no lazy lines).
      this.finishSegment(start);
    }
  }

  private finishSegment(offset: number): void {
    if (offset > this.stable) { this.marks.push(offset); }
    this.stable = Math.max(this.stable, offset);
    this.segmentInList = false;
    this.topMarker = undefined;
  }
}

function markerKind(line: string): string | undefined {
  const match = MARKER_KIND.exec(line);
  return match ? (match[1] ?? match[2]) : undefined;
}

function opensFence(line: string, indent: number, inList: boolean, start: number, contentStart: number): OpenFence | undefined {
  // Four columns of indentation make an indented code block (or paragraph text), unless a list item holds it.
  if (indent > 3 && !inList) {
    return undefined;
  }
  const match = FENCE_OPEN.exec(line);
  if (!match) {
    return undefined;
  }
  const [, prefix, run, info] = match;
  // "```js```" on one line is inline code, not a fence (CommonMark: no backtick in a backtick fence's info).
  if (run[0] === '`' && info.includes('`')) {
    return undefined;
  }
  const topLevel = prefix === '';
  return {
    char: run[0] as '`' | '~',
    length: run.length,
    column: widthOf(prefix),
    inList: inList && !topLevel,
    topLevel,
    start,
    contentStart,
  };
}

function closesFence(line: string, fence: OpenFence): boolean {
  const match = FENCE_CLOSE.exec(line);
  if (!match || match[2][0] !== fence.char || match[2].length < fence.length) {
    return false;
  }
  // Indented further than this, the line is content of the code block, not its end.
  const maxIndent = fence.inList ? fence.column + 3 : 3;
  return widthOf(match[1]) <= maxIndent;
}

/** Columns of leading whitespace; tabs advance to the next multiple of four, as CommonMark counts them. */
function indentOf(line: string): number {
  return widthOf(/^[ \t]*/.exec(line)?.[0] ?? '');
}

function widthOf(prefix: string): number {
  let column = 0;
  for (let i = 0; i < prefix.length; i++) {
    column += prefix.charCodeAt(i) === 9 ? 4 - (column % 4) : 1;
  }
  return column;
}
