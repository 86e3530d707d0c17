/**
 * Streams a model answer into the DOM. Finished blocks are rendered once and kept (their nodes keep their
 * identity, so selection and later decorations survive); only the unfinished last block is re-rendered per
 * flush. Re-rendering the whole answer per delta is quadratic: 245 s in Chromium for a 20,000-token answer,
 * against 2.5 s this way (MEASURED.md, "Streaming markdown").
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
   * Runs a render later. By default a timer of 50 ms, or three times the last render's duration if that is
   * longer, so that a huge unfinished block (a long table, a 1 MB code block) never takes more than about a
   * quarter of the webview's main thread while it streams.
   */
  schedule?: (callback: () => void) => void;
  /**
   * Called after every render that changed the container (and after finish): decorations such as the
   * artifact cards are placed then. They may move or change rendered nodes: finish() compares against what
   * was rendered, not against the live DOM.
   */
  onRender?(): void;
}

const RENDER_INTERVAL_MS = 50;
const RENDER_SHARE_DIVISOR = 3;

const now = (): number => globalThis.performance?.now() ?? Date.now();

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
  private readonly schedule: (callback: () => void) => void;
  private scheduled = false;
  private lastRenderMs = 0;
  // Bumped by reset(), finish() and dispose() so that a render scheduled before them does nothing.
  private generation = 0;

  /**
   * @param container element the view owns: its children are replaced as the answer renders.
   */
  constructor(
    private readonly container: HTMLElement,
    private readonly options: StreamingMarkdownOptions = {},
  ) {
    this.schedule =
      options.schedule ??
      ((callback) => void setTimeout(callback, Math.max(RENDER_INTERVAL_MS, RENDER_SHARE_DIVISOR * this.lastRenderMs)));
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
    this.scheduled = false;
    if (this.finished || this.disposed || !this.dirty) {
      return;
    }
    this.dirty = false;
    const started = now();
    const stable = this.scanner.advance(this.source);
    if (stable > this.stableRendered) {
      this.removeTail();
      const chunk = this.source.slice(this.stableRendered, stable);
      this.env.lineOffset = this.stableLines;
      const fragment = renderMarkdownFragment(chunk, this.env);
      this.stableHtml += htmlOf(fragment.childNodes);
      this.insert(fragment);
      this.stableRendered = stable;
      this.stableLines += countLines(chunk);
    }
    const fence = this.scanner.openFence;
    if (fence?.start !== stable || !this.renderFenceTail(fence)) {
      this.removeTail();
      const tail = this.source.slice(stable);
      if (tail.trim() !== '') {
        // A copy of the references: definitions in the tail may still change, those in finished blocks may not.
        const fragment = renderMarkdownFragment(tail, { references: { ...this.env.references }, lineOffset: this.stableLines });
        this.tailNodes = Array.from(fragment.childNodes);
        this.insert(fragment);
      }
    }
    if (this.truncated) {
      this.showNotice();
    }
    this.lastRenderMs = now() - started;
    this.options.onRender?.();
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
    this.finished = true;
    this.scheduled = false;
    this.generation++;
    const scratch = this.container.ownerDocument.createElement('div');
    scratch.append(renderMarkdownFragment(this.source));
    this.notice?.remove();
    // Compared with what was rendered, so that decorations (cards around blocks) survive when nothing changed.
    if (scratch.innerHTML !== this.stableHtml + htmlOf(this.tailNodes)) {
      this.container.replaceChildren(...Array.from(scratch.childNodes));
    }
    this.notice = undefined;
    this.tailNodes = [];
    this.fenceTail = undefined;
    if (this.truncated) {
      this.showNotice();
    }
    this.options.onRender?.();
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
    this.stableHtml = '';
    this.tailNodes = [];
    this.fenceTail = undefined;
    this.notice = undefined;
    this.env = {};
    this.lastRenderMs = 0;
    this.scanner.reset();
    this.container.replaceChildren();
  }

  /** Stops rendering for good (a pending render is dropped, later calls do nothing) and removes the listeners. */
  dispose(): void {
    this.generation++;
    this.disposed = true;
    this.scheduled = false;
    this.container.removeEventListener('click', this.onPointer);
    this.container.removeEventListener('auxclick', this.onPointer);
    this.container.removeEventListener('keydown', this.onKey);
  }

  private requestRender(): void {
    if (this.scheduled) {
      return;
    }
    this.scheduled = true;
    const generation = this.generation;
    this.schedule(() => {
      if (generation === this.generation && this.scheduled) {
        this.flush();
      }
    });
  }

  private removeTail(): void {
    for (const node of this.tailNodes) {
      node.remove();
    }
    this.tailNodes = [];
    this.fenceTail = undefined;
  }

  /**
   * The tail is an unindented fence that is still open, typically a long spec or schema arriving line by line:
   * its `<pre>` shell (info string, language class) goes through the normal pipeline once, then only the
   * text of its `<code>` changes. Everything up to the end of the answer is fence content, which markdown-it
   * would copy verbatim, so the result is what a full render gives, at the cost of a string copy per flush.
   */
  private renderFenceTail(fence: OpenFenceSpan): boolean {
    if (this.fenceTail?.start !== fence.start) {
      const fragment = renderMarkdownFragment(this.source.slice(fence.start, fence.contentStart));
      const code = fragment.firstElementChild?.firstElementChild;
      if (code?.localName !== 'code') {
        return false;
      }
      this.removeTail();
      this.tailNodes = Array.from(fragment.childNodes);
      this.insert(fragment);
      this.fenceTail = { start: fence.start, code };
    }
    // The same normalisation markdown-it applies to its whole input.
    this.fenceTail.code.textContent = this.source.slice(fence.contentStart).replace(/\r\n?/g, '\n').replace(/\0/g, '\uFFFD');
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
