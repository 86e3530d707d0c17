/**
 * Streams a model answer into the DOM. Finished blocks are rendered once and kept (their nodes keep their
 * identity, so selection and later decorations survive); only the unfinished last block is re-rendered per
 * flush. Re-rendering the whole answer per delta is quadratic: 245 s in Chromium for a 20,000-token answer,
 * against 2.5 s this way (MEASURED.md, "Streaming markdown").
 *
 * Deltas are coalesced per animation frame, and a frame costs next to nothing unless a block finished: an
 * open code block gets only the new characters appended, and new prose is appended as text to the rendered
 * tail, whose formatting is redone at most every TAIL_FORMAT_MS (bench/render.bench.mjs measures it).
 */
import { BlockBoundaryScanner, type OpenFenceSpan } from './blockBoundaries';
import { CSS, type ParseEnv } from './parser';
import { MAX_ANSWER_CHARS, TRUNCATION_NOTICE, renderMarkdownFragment } from './render';
import { isAllowedHref } from './urlPolicy';

/** Options of a StreamingMarkdownView. */
export interface StreamingMarkdownOptions {
  /** Called when the user activates a link; the view itself never navigates. The host confirms and opens. */
  onLink?(href: string): void;
  /**
   * Runs a render later, not before `delayMs`. By default at the next animation frame after the delay (or
   * after 100 ms more if no frame comes, as in a hidden view). The view asks for a delay of three times its
   * last render's duration, so a huge unfinished block (a long table) never takes more than about a quarter
   * of the webview's main thread while it streams.
   */
  schedule?: (callback: () => void, delayMs: number) => void;
  /** Milliseconds, monotonic; `performance.now()` by default (the benchmark passes a simulated clock). */
  clock?: () => number;
  /**
   * Called after every render that changed the container (and after finish): decorations such as the
   * artifact cards are placed then. They may move or change rendered nodes: finish() compares against what
   * was rendered, not against the live DOM.
   */
  onRender?(): void;
}

const RENDER_SHARE_DIVISOR = 3;
/** How often, at most, the unfinished block is formatted again while new text is appended to it as is. */
export const TAIL_FORMAT_MS = 400;
/** A frame renders finished blocks for about this long; the rest waits for the next frame. */
const FRAME_BUDGET_MS = 12;

/** Elements new prose may be appended into (block containers and text blocks, not inline markup). */
const BLOCKS = new Set(['p', 'ul', 'ol', 'li', 'blockquote', 'table', 'thead', 'tbody', 'tr', 'td', 'th', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'pre', 'code']);

/** A link reference definition (`[label]: url`), which can change how blocks before it render. */
const REFERENCE_DEFINITION = /^ {0,3}\[(?:[^\]\\\n]|\\.){1,999}\]:/m;

const defaultClock = (): number => globalThis.performance?.now() ?? Date.now();

/** Next animation frame, or a timer when frames do not come (a hidden webview gets none). */
function nextFrame(callback: () => void, delayMs: number): void {
  const run = (): void => {
    let done = false;
    const once = (): void => { if (!done) { done = true; callback(); } };
    globalThis.requestAnimationFrame?.(once);
    setTimeout(once, 100);
  };
  if (delayMs > 0) { setTimeout(run, delayMs); } else { run(); }
}

/** Streams an answer into a container, re-rendering only the unfinished last block. */
export class StreamingMarkdownView {
  private source = '';
  private truncated = false;
  private finished = false;
  // Once the link interceptor is gone nothing may be rendered again, or links would navigate.
  private disposed = false;
  // Text or truncation changed since the last render.
  private dirty = false;
  private stableRendered = 0;
  /** Lines before stableRendered: the tail's first line, for the fences' data-line. */
  private stableLines = 0;
  /** The markup of the finished blocks as they were inserted (before any decoration moved or changed them). */
  private stableHtml = '';
  private tailNodes: ChildNode[] = [];
  /** When the tail is an open fence: its start and the `<code>` element whose text follows the stream. */
  private fenceTail: { start: number; code: Element } | undefined;
  private notice: HTMLElement | undefined;
  private env: ParseEnv = {};
  private readonly scanner = new BlockBoundaryScanner();
  private readonly schedule: (callback: () => void, delayMs: number) => void;
  private readonly now: () => number;
  private scheduled = false;
  private lastRenderMs = 0;
  private lastRenderEnd = -Infinity;
  /** When the prose tail was last formatted, and the source offset the screen shows up to. */
  private tailFormattedAt = -Infinity;
  private shownEnd = 0;
  /** The text node new prose is appended to between formattings of the tail. */
  private rawTail: Text | undefined;
  /** For an open fence tail: the source offset its code shows up to. */
  private fenceShown = 0;
  /** Measured cost of rendering finished blocks, per character (starts at a guess; updated per render). */
  private msPerChar = 0.002;
  /** Called once the last frames rendered what finishWhenRendered() waited for. */
  private whenRendered: (() => void) | undefined;
  // Bumped by reset(), finish() and dispose() so that a render scheduled before them does nothing.
  private generation = 0;

  /**
   * @param container element the view owns: its children are replaced as the answer renders.
   */
  constructor(
    private readonly container: HTMLElement,
    private readonly options: StreamingMarkdownOptions = {},
  ) {
    this.schedule = options.schedule ?? nextFrame;
    this.now = options.clock ?? defaultClock;
    container.addEventListener('click', this.onPointer);
    container.addEventListener('auxclick', this.onPointer);
    container.addEventListener('keydown', this.onKey);
  }

  /** The answer so far (cut at MAX_ANSWER_CHARS). */
  get text(): string {
    return this.source;
  }

  /** Adds streamed text and schedules a render. Ignored after finish() until reset(). */
  append(delta: string): void {
    if (this.finished || this.disposed || this.truncated || delta.length === 0) {
      return;
    }
    const room = MAX_ANSWER_CHARS - this.source.length;
    if (delta.length > room) {
      this.source += delta.slice(0, room);
      this.truncated = true;
    } else {
      this.source += delta;
    }
    this.dirty = true;
    this.requestRender();
  }

  /** Renders what is pending now: newly finished blocks once, then the unfinished tail again. */
  flush(): void {
    this.render(true);
  }

  /**
   * One animation frame's work: finished blocks are rendered; an open fence gets its new characters; new
   * prose is appended to the tail as text unless the tail's formatting is due (`formatTail`).
   */
  private render(formatTail: boolean): void {
    this.scheduled = false;
    if (this.finished || this.disposed || !this.dirty) {
      return;
    }
    this.dirty = false;
    const started = this.now();
    const stable = this.scanner.advance(this.source);
    if (stable > this.stableRendered) {
      this.removeTail();
      // In a frame, a long run of finished blocks (a burst of deltas) is rendered a few blocks at a time.
      const budget = Math.max(1000, FRAME_BUDGET_MS / this.msPerChar);
      const upTo = formatTail || stable - this.stableRendered <= budget ? stable
        : (this.scanner.boundaryWithin(this.stableRendered, this.stableRendered + budget) ?? stable);
      const chunk = this.source.slice(this.stableRendered, upTo);
      this.env.lineOffset = this.stableLines;
      const fragment = renderMarkdownFragment(chunk, this.env);
      this.stableHtml += htmlOf(fragment.childNodes);
      this.insert(fragment);
      this.stableRendered = upTo;
      this.stableLines += countLines(chunk);
      this.msPerChar = Math.max(0.0001, 0.5 * this.msPerChar + 0.5 * ((this.now() - started) / Math.max(chunk.length, 1)));
      if (upTo < stable) {
        // More next frame; the tail (after what is not rendered yet) waits too.
        this.shownEnd = upTo;
        this.endFrame(started);
        this.dirty = true;
        this.requestRender();
        return;
      }
    }
    const fence = this.scanner.openFence;
    if ((fence?.start !== stable || !this.renderFenceTail(fence))
      && (formatTail || started - this.tailFormattedAt >= TAIL_FORMAT_MS || !this.appendRawTail())) {
      this.removeTail();
      const tail = this.source.slice(stable);
      if (tail.trim() !== '') {
        // A copy of the references: definitions in the tail may still change, those in finished blocks may not.
        const fragment = renderMarkdownFragment(tail, { references: { ...this.env.references }, lineOffset: this.stableLines });
        this.tailNodes = Array.from(fragment.childNodes);
        this.insert(fragment);
      }
      this.tailFormattedAt = started;
    }
    this.shownEnd = this.source.length;
    if (this.truncated) {
      this.showNotice();
    }
    this.endFrame(started);
    if (this.whenRendered) { this.finish(); }
  }

  private endFrame(started: number): void {
    // Decorations placed after a render are part of its cost.
    this.options.onRender?.();
    this.lastRenderEnd = this.now();
    this.lastRenderMs = this.lastRenderEnd - started;
  }

  /**
   * Finishes once the frames have rendered everything that arrived (a burst may still be catching up), so
   * the end of an answer never costs one long frame; see finish(). Resolves when the answer is final.
   */
  finishWhenRendered(): Promise<void> {
    if (this.finished || this.disposed) { return Promise.resolve(); }
    if (!this.dirty) { this.finish(); return Promise.resolve(); }
    return new Promise(resolve => {
      this.whenRendered = resolve;
      this.requestRender();
    });
  }

  /**
   * Shows new prose at the end of the formatted tail as plain text (escaped by being a text node), until
   * the tail is formatted again. False when there is nothing to append it to (the tail was just replaced).
   */
  private appendRawTail(): boolean {
    if (this.shownEnd <= this.stableRendered) { return false; }
    if (!this.rawTail?.isConnected) {
      // Into the innermost block at the end (the paragraph, the last list item's paragraph, the cell), never
      // into an inline element: text after a finished `**bold**` must not turn bold.
      let holder = [...this.tailNodes].reverse().find((n): n is Element => n.nodeType === 1 && n.isConnected);
      if (!holder) { return false; }
      for (let child = holder.lastElementChild; child && BLOCKS.has(child.localName); child = holder.lastElementChild) {
        holder = child;
      }
      this.rawTail = this.container.ownerDocument.createTextNode('');
      holder.appendChild(this.rawTail);
    }
    this.rawTail.appendData(this.source.slice(this.shownEnd).replace(/\0/g, '\uFFFD'));
    return true;
  }

  /**
   * Renders the whole answer once, so the container holds exactly `renderMarkdown(text)` (followed by the
   * notice if the answer was cut): reference definitions that came late, lists that turned loose, and
   * anything the block split approximated are now right. Nodes are kept when nothing changed.
   */
  finish(): void {
    if (this.finished || this.disposed) {
      return;
    }
    // What was shown as plain text is formatted first, so the comparison below sees the rendered tail.
    if (this.rawTail || this.dirty) { this.dirty = true; this.render(true); }
    this.finished = true;
    this.scheduled = false;
    this.generation++;
    this.notice?.remove();
    // The blocks were split at true boundaries (blockBoundaries.test.ts holds the scanner to that), so the
    // pieces already are the whole render, unless a reference definition may have come after its use or a
    // boundary was forced: only then is the answer rendered again, in one go, and compared.
    if (this.scanner.approximated || REFERENCE_DEFINITION.test(this.source)) {
      const scratch = this.container.ownerDocument.createElement('div');
      scratch.append(renderMarkdownFragment(this.source));
      // Compared with what was rendered, so that decorations (cards around blocks) survive when nothing changed.
      if (scratch.innerHTML !== this.stableHtml + htmlOf(this.tailNodes)) {
        this.container.replaceChildren(...Array.from(scratch.childNodes));
      }
    }
    this.notice = undefined;
    this.tailNodes = [];
    this.fenceTail = undefined;
    if (this.truncated) {
      this.showNotice();
    }
    this.options.onRender?.();
    this.settleWhenRendered();
  }

  /** Resolves a pending finishWhenRendered() (after finish, reset or dispose, nothing more will render). */
  private settleWhenRendered(): void {
    const done = this.whenRendered;
    this.whenRendered = undefined;
    done?.();
  }

  /** The `<pre>` of the unindented fence still being written, if the answer ends inside one. */
  get openFence(): HTMLElement | undefined {
    return (this.fenceTail?.code.parentElement as HTMLElement | null) ?? undefined;
  }

  /** Empties the view for a new answer. */
  reset(): void {
    if (this.disposed) {
      return;
    }
    this.generation++;
    this.scheduled = false;
    this.source = '';
    this.truncated = false;
    this.finished = false;
    this.dirty = false;
    this.stableRendered = 0;
    this.stableLines = 0;
    this.shownEnd = 0;
    this.tailFormattedAt = -Infinity;
    this.lastRenderEnd = -Infinity;
    this.rawTail = undefined;
    this.stableHtml = '';
    this.tailNodes = [];
    this.fenceTail = undefined;
    this.notice = undefined;
    this.env = {};
    this.lastRenderMs = 0;
    this.scanner.reset();
    this.container.replaceChildren();
    this.settleWhenRendered();
  }

  /** Stops rendering for good (a pending render is dropped, later calls do nothing) and removes the listeners. */
  dispose(): void {
    this.generation++;
    this.disposed = true;
    this.scheduled = false;
    this.container.removeEventListener('click', this.onPointer);
    this.container.removeEventListener('auxclick', this.onPointer);
    this.container.removeEventListener('keydown', this.onKey);
    this.settleWhenRendered();
  }

  private requestRender(): void {
    if (this.scheduled || this.finished || this.disposed) {
      return;
    }
    this.scheduled = true;
    const generation = this.generation;
    // Leaves the thread free for three times as long as the last render took (a quarter at most for us).
    const delay = Math.max(0, this.lastRenderEnd + RENDER_SHARE_DIVISOR * this.lastRenderMs - this.now());
    this.schedule(() => {
      if (generation === this.generation && this.scheduled) {
        this.render(false);
      }
    }, delay);
  }

  private removeTail(): void {
    for (const node of this.tailNodes) {
      node.remove();
    }
    this.tailNodes = [];
    this.fenceTail = undefined;
    this.rawTail = undefined;
  }

  /**
   * The tail is an unindented fence that is still open, typically a long spec or schema arriving line by line:
   * its `<pre>` shell (info string, language class) goes through the normal pipeline once, then only the
   * text of its `<code>` changes. Everything up to the end of the answer is fence content, which markdown-it
   * would copy verbatim, so the result is what a full render gives, at the cost of a string copy per flush.
   */
  private renderFenceTail(fence: OpenFenceSpan): boolean {
    if (this.fenceTail?.start !== fence.start) {
      const fragment = renderMarkdownFragment(this.source.slice(fence.start, fence.contentStart), { lineOffset: this.stableLines });
      const code = fragment.firstElementChild?.firstElementChild;
      if (code?.localName !== 'code') {
        return false;
      }
      this.removeTail();
      this.tailNodes = Array.from(fragment.childNodes);
      this.insert(fragment);
      this.fenceTail = { start: fence.start, code };
      code.textContent = '';
      this.fenceShown = fence.contentStart;
    }
    // Only the new characters, with the normalisation markdown-it applies to its whole input. A CR at the
    // end waits for the next delta: with a LF after it, the pair is one line break.
    let end = this.source.length;
    if (this.source.charCodeAt(end - 1) === 13) { end--; }
    if (end > this.fenceShown) {
      this.fenceTail.code.append(this.source.slice(this.fenceShown, end).replace(/\r\n?/g, '\n').replace(/\0/g, '\uFFFD'));
      this.fenceShown = end;
    }
    return true;
  }

  private insert(fragment: DocumentFragment): void {
    this.container.insertBefore(fragment, this.notice ?? null);
  }

  private showNotice(): void {
    if (!this.notice) {
      this.notice = this.container.ownerDocument.createElement('p');
      this.notice.className = CSS.notice;
      this.notice.textContent = TRUNCATION_NOTICE;
    }
    this.container.append(this.notice);
  }

  // Links are never followed by the webview (THREATS T1, T3): the default action is cancelled for every
  // button and the host is asked instead, which shows the full URL and opens it only after confirmation.
  private readonly onPointer = (event: MouseEvent): void => {
    const href = this.linkTarget(event);
    if (href === undefined) {
      return;
    }
    event.preventDefault();
    if (event.button === 0 || event.button === 1) {
      this.openLink(href);
    }
  };

  private readonly onKey = (event: KeyboardEvent): void => {
    if (event.key !== 'Enter') {
      return;
    }
    const href = this.linkTarget(event);
    if (href !== undefined) {
      // Cancelling the keydown also stops the browser's synthetic click, so the host is asked once.
      event.preventDefault();
      this.openLink(href);
    }
  };

  private linkTarget(event: Event): string | undefined {
    const target = event.target as Node | null;
    const element = target?.nodeType === 1 ? (target as Element) : target?.parentElement;
    const link = element?.closest('a');
    // Cards handle their own links (anchors within a rendered spec or schema, never the model's URLs).
    if (!link || !this.container.contains(link) || link.closest('[data-card]')) {
      return undefined;
    }
    return link.getAttribute('data-href') ?? '';
  }

  private openLink(href: string): void {
    if (isAllowedHref(href)) {
      this.options.onLink?.(href);
    }
  }
}

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) { n++; }
  return n;
}

const escapeText = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\u00a0/g, '&nbsp;');

/** The markup of nodes as `innerHTML` would print them (elements, text and comments are all a fragment holds). */
function htmlOf(nodes: Iterable<ChildNode>): string {
  let html = '';
  for (const node of nodes) {
    if (node.nodeType === 1) { html += (node as Element).outerHTML; }
    else if (node.nodeType === 3) { html += escapeText(node.textContent ?? ''); }
    else if (node.nodeType === 8) { html += `<!--${node.textContent ?? ''}-->`; }
  }
  return html;
}
