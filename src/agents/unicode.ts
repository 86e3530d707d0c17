/**
 * Hidden-Unicode detection for agent definitions (THREATS T7: rules-file backdoor, ASCII smuggling,
 * Trojan Source). Pure: no I/O, no `vscode`.
 */

export type HiddenKind = 'tag' | 'zero-width' | 'bidi' | 'variation-selector';

/** One character class we strip, with the code-point ranges it covers (inclusive). */
export const HIDDEN_RANGES: ReadonlyArray<{ kind: HiddenKind; from: number; to: number }> = [
  { kind: 'tag', from: 0xe0000, to: 0xe007f },
  { kind: 'zero-width', from: 0x200b, to: 0x200f },
  { kind: 'zero-width', from: 0x2060, to: 0x2064 },
  { kind: 'zero-width', from: 0xfeff, to: 0xfeff },
  { kind: 'bidi', from: 0x202a, to: 0x202e },
  { kind: 'bidi', from: 0x2066, to: 0x2069 },
  { kind: 'variation-selector', from: 0xfe00, to: 0xfe0f },
  { kind: 'variation-selector', from: 0xe0100, to: 0xe01ef },
];

// Built from HIDDEN_RANGES so the list above stays the single source of truth.
const HIDDEN_CLASS = HIDDEN_RANGES.map(r => `\\u{${r.from.toString(16)}}-\\u{${r.to.toString(16)}}`).join('');
const HIDDEN_TEST = new RegExp(`[${HIDDEN_CLASS}]`, 'u');
const HIDDEN_ALL = new RegExp(`[${HIDDEN_CLASS}]`, 'gu');
// The same set in UTF-16 code units, without the `u` flag: several times faster on whole files, and
// only used as a yes/no pre-check. The astral ranges are all behind the high surrogate U+DB40.
const HIDDEN_QUICK = /[\u200b-\u200f\u2060-\u2064\ufeff\u202a-\u202e\u2066-\u2069\ufe00-\ufe0f]|\udb40[\udc00-\udc7f\udd00-\uddef]/;
const PICTOGRAPH = /\p{Extended_Pictographic}/u;

/** Where hidden characters were found, 1-based lines, counted per kind. */
export interface HiddenUnicodeReport {
  /** Characters that can hide or reorder text: count, lines and kinds. */
  suspicious: { count: number; lines: number[]; firstColumn: number; byKind: Partial<Record<HiddenKind, number>> };
  /** Emoji presentation selectors and joiners inside emoji: stripped too, but ordinary in real files. */
  emoji: { count: number; lines: number[] };
  /** ASCII spelled by Tag characters (U+E0020–E007E), which is what "ASCII smuggling" hides. */
  tagText: string;
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Replaces lone surrogates with U+FFFD. Without this, removing a hidden character that sits between
 * a lone high and a lone low surrogate would join them into a new character, such as a Tag.
 */
export function toWellFormed(text: string): string {
  LONE_SURROGATE.lastIndex = 0;
  return LONE_SURROGATE.test(text) ? text.replace(LONE_SURROGATE, '\ufffd') : text;
}

/** True when `text` holds any character from HIDDEN_RANGES (cheap pre-check). */
export function hasHiddenUnicode(text: string): boolean {
  return HIDDEN_QUICK.test(text);
}

/** Removes every character from HIDDEN_RANGES. Use it on any text that is not a whole definition. */
export function stripHiddenUnicode(text: string): string {
  return HIDDEN_QUICK.test(text) ? toWellFormed(text).replace(HIDDEN_ALL, '') : text;
}

function kindOf(cp: number): HiddenKind {
  for (const r of HIDDEN_RANGES) {
    if (cp >= r.from && cp <= r.to) { return r.kind; }
  }
  return 'zero-width';
}

/**
 * A lone emoji presentation selector (U+FE0E/FE0F) right after a pictograph, or a zero-width joiner
 * between two pictographs, is how ordinary emoji are spelled ("⚠️", "👩‍💻"). A run of selectors
 * after an emoji is the "emoji smuggling" encoding and stays suspicious.
 */
function isEmojiPart(line: string, index: number, ch: string): boolean {
  const before = previousChar(line, index) ?? '';
  const after = line.codePointAt(index + ch.length);
  const afterChar = after === undefined ? '' : String.fromCodePoint(after);
  if (ch === '\u200d') {
    return (before === '\ufe0f' || PICTOGRAPH.test(before)) && PICTOGRAPH.test(afterChar);
  }
  const loneSelector = afterChar === '\u200d' || !HIDDEN_TEST.test(afterChar);
  return (ch === '\ufe0f' || ch === '\ufe0e') && PICTOGRAPH.test(before) && loneSelector;
}

function previousChar(line: string, index: number): string | undefined {
  if (index === 0) { return undefined; }
  const low = line.charCodeAt(index - 1);
  const start = low >= 0xdc00 && low <= 0xdfff && index >= 2 ? index - 2 : index - 1;
  return String.fromCodePoint(line.codePointAt(start)!);
}

/**
 * Strips hidden characters from each line in place and reports where they were. Lines must be well
 * formed (see toWellFormed). Lines keep their count, so line numbers stay those of the original file.
 */
export function stripHiddenFromLines(lines: string[]): HiddenUnicodeReport {
  const report: HiddenUnicodeReport = {
    suspicious: { count: 0, lines: [], firstColumn: 0, byKind: {} },
    emoji: { count: 0, lines: [] },
    tagText: '',
  };
  // Where the last Tag character ended, so separate smuggled runs read as separate phrases.
  const tagEnd = { line: -1, offset: -1 };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!HIDDEN_QUICK.test(line)) { continue; }
    lines[i] = line.replace(HIDDEN_ALL, (ch: string, offset: number) => {
      if (kindOf(ch.codePointAt(0)!) === 'tag') {
        if (report.tagText !== '' && (tagEnd.line !== i || tagEnd.offset !== offset)) { report.tagText += ' … '; }
        tagEnd.line = i;
        tagEnd.offset = offset + ch.length;
      }
      recordHidden(report, line, offset, ch, i + 1);
      return '';
    });
  }
  return report;
}

function recordHidden(report: HiddenUnicodeReport, line: string, offset: number, ch: string, lineNo: number): void {
  if (isEmojiPart(line, offset, ch)) {
    report.emoji.count++;
    pushOnce(report.emoji.lines, lineNo);
    return;
  }
  const cp = ch.codePointAt(0)!;
  const kind = kindOf(cp);
  const s = report.suspicious;
  if (s.count === 0) { s.firstColumn = offset + 1; }
  s.count++;
  s.byKind[kind] = (s.byKind[kind] ?? 0) + 1;
  pushOnce(s.lines, lineNo);
  if (kind === 'tag' && cp >= 0xe0020 && cp <= 0xe007e) {
    report.tagText += String.fromCharCode(cp - 0xe0000);
  }
}

function pushOnce(list: number[], n: number): void {
  if (list[list.length - 1] !== n) { list.push(n); }
}

/** "3, 7, 12" with at most `max` entries, then "and N more". */
export function formatLineList(lines: number[], max = 12): string {
  const shown = lines.slice(0, max).join(', ');
  return lines.length > max ? `${shown} and ${lines.length - max} more` : shown;
}
