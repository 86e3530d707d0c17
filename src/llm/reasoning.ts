/**
 * Separates `<think>…</think>` blocks that some models (DeepSeek-R1 and Qwen through Ollama or
 * llama.cpp) put at the start of `content` from the answer text, and the `<thought>…</thought>`
 * blocks Gemini's OpenAI-compatible endpoint sends when thought summaries are asked for. Pure; no imports.
 */

/** Opening tags and the closing tag each one needs. */
const TAGS: ReadonlyArray<readonly [open: string, close: string]> = [
  ['<think>', '</think>'],
  ['<thought>', '</thought>'],
];

// Plain numbers rather than an enum: `mode` changes inside helper calls, which defeats TS narrowing.
/** Nothing but whitespace seen yet: a `<think>` here opens a reasoning block. */
const START = 0;
const THINK = 1;
/** Answer text has started: everything passes through untouched (the hot path). */
const TEXT = 2;

/**
 * A streaming state machine for leading `<think>` (or `<thought>`) blocks, which may be split across chunks
 * (`<th` + `ink>`). Only blocks before any answer text count, so an answer that talks about
 * `<think>` tags (in a code sample, say) keeps them as text.
 */
export class ThinkTagSplitter {
  private mode: number = START;
  /** Text held back because it may be the start of a tag. */
  private pending = '';
  private sawBlock = false;
  /** Closing tag of the block that is open. */
  private close = TAGS[0][1];

  /**
   * @param onText receives answer text in order
   * @param onReasoning receives reasoning text in order
   */
  constructor(
    private readonly onText: (text: string) => void,
    private readonly onReasoning: (text: string) => void,
  ) {}

  /** Feeds one `content` delta. */
  push(content: string): void {
    if (this.mode === TEXT) {
      this.onText(content);
      return;
    }
    this.pending += content;
    while (this.pending && this.mode !== TEXT) {
      const progressed = this.mode === START ? this.fromStart() : this.fromThink();
      if (!progressed) return;
    }
    if (this.mode === TEXT && this.pending) {
      const rest = this.pending;
      this.pending = '';
      this.onText(rest);
    }
  }

  /** Releases whatever is held back at the end of the stream. */
  flush(): void {
    const rest = this.pending;
    this.pending = '';
    if (!rest) return;
    if (this.mode === THINK) this.onReasoning(rest);
    else if (rest.trim()) this.onText(rest);
  }

  /** True while a `<think>` block is open (useful to tell a person the model is thinking). */
  get thinking(): boolean {
    return this.mode === THINK;
  }

  private fromStart(): boolean {
    const s = this.pending;
    let i = 0;
    while (i < s.length && isSpace(s.charCodeAt(i))) i++;
    if (i === s.length) return false;
    const rest = s.slice(i);
    for (const [open, close] of TAGS) {
      if (!rest.startsWith(open)) continue;
      // Whitespace before the block and the tag itself are not part of either channel.
      this.pending = rest.slice(open.length);
      this.close = close;
      this.mode = THINK;
      this.sawBlock = true;
      return true;
    }
    if (TAGS.some(([open]) => open.startsWith(rest))) return false;
    this.mode = TEXT;
    // The blank lines models put between `</think>` and the answer are layout, not answer text.
    if (this.sawBlock) this.pending = rest;
    return true;
  }

  private fromThink(): boolean {
    const s = this.pending;
    const close = this.close;
    const end = s.indexOf(close);
    if (end >= 0) {
      if (end > 0) this.onReasoning(s.slice(0, end));
      // Whitespace after the block is dropped by the Start state that follows.
      this.pending = s.slice(end + close.length);
      this.mode = START;
      return true;
    }
    const keep = partialSuffix(s, close);
    if (s.length > keep) this.onReasoning(s.slice(0, s.length - keep));
    this.pending = s.slice(s.length - keep);
    return false;
  }
}

/** Length of the longest suffix of `s` that is a proper prefix of `tag`. */
function partialSuffix(s: string, tag: string): number {
  const max = Math.min(tag.length - 1, s.length);
  for (let n = max; n > 0; n--) {
    if (s.endsWith(tag.slice(0, n))) return n;
  }
  return 0;
}

function isSpace(code: number): boolean {
  return code === 32 || code === 10 || code === 13 || code === 9;
}
