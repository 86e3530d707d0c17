/**
 * Offsets into SQL text, and lines and columns for people. Three units meet here: libpg-query reports
 * statement locations in UTF-8 bytes and syntax-error cursors in code points (0-based); Postgres reports
 * error positions in code points (1-based); JavaScript strings and VS Code count UTF-16 code units.
 */

/** Line and column, both 1-based; the column counts UTF-16 code units as VS Code does. */
export interface LineColumn {
  line: number;
  column: number;
}

/** Line starts of one text, for turning an index into a line and column in O(log n). */
export class TextIndex {
  private readonly lineStarts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
      this.lineStarts.push(i + 1);
    }
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  /** Line and column of a UTF-16 index (clamped into the text). */
  at(index: number): LineColumn {
    const i = Math.max(0, Math.min(index, this.text.length));
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= i) { lo = mid; } else { hi = mid - 1; }
    }
    return { line: lo + 1, column: i - this.lineStarts[lo] + 1 };
  }

  /** UTF-16 index where a 1-based line starts. */
  lineStart(line: number): number {
    return this.lineStarts[Math.max(0, Math.min(line - 1, this.lineStarts.length - 1))];
  }
}

/** UTF-8 length of the code point starting at `text[i]`, and how many UTF-16 units it takes. */
function codePointAt(text: string, i: number): { bytes: number; units: number } {
  const c = text.codePointAt(i) ?? 0;
  if (c < 0x80) { return { bytes: 1, units: 1 }; }
  if (c < 0x800) { return { bytes: 2, units: 1 }; }
  if (c < 0x10000) { return { bytes: 3, units: 1 }; }
  return { bytes: 4, units: 2 };
}

/**
 * Maps UTF-8 byte offsets of one text to UTF-16 indexes. Queries are usually increasing (statement after
 * statement), so it walks on from the last answer instead of from the start: a whole script costs O(n).
 */
export class ByteOffsets {
  private index = 0;
  private byte = 0;

  constructor(private readonly text: string) {}

  /** UTF-16 index of a byte offset (an offset inside a multi-byte character maps to its start). */
  toIndex(byteOffset: number): number {
    if (byteOffset < this.byte) { this.index = 0; this.byte = 0; }
    while (this.index < this.text.length) {
      const cp = codePointAt(this.text, this.index);
      if (this.byte + cp.bytes > byteOffset) { break; }
      this.byte += cp.bytes;
      this.index += cp.units;
    }
    return this.index;
  }
}

/** UTF-16 index in `text`, starting at `from`, after `codePoints` code points (clamped to the end). */
export function advanceCodePoints(text: string, from: number, codePoints: number): number {
  let i = from;
  for (let n = 0; n < codePoints && i < text.length; n++) {
    i += codePointAt(text, i).units;
  }
  return i;
}

/** How many code points `text` holds (the unit Postgres counts a statement's length in). */
export function codePointLength(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i += codePointAt(text, i).units) { n++; }
  return n;
}
