import type { HostMessage } from '../protocol';

/** How long a webview gets to parse a diagram before the check counts as not done. */
const parseTimeoutMs = 15_000;

/** Bridges whose view said it is ready, newest last: checks that have no view of their own borrow one. */
const attachedBridges = new Set<MermaidBridge>();

/**
 * The bridge of the view that attached last and is still open, for checks with no view of their own (the
 * language-model tools, `@architect` in VS Code's Chat view). Undefined when none of our views is open.
 */
export function openMermaidBridge(): MermaidBridge | undefined {
  return [...attachedBridges].at(-1);
}

/**
 * Mermaid's parser in whichever of our views is open. With none open it rejects at once with a "could not
 * start" reason, which the check reports as "not checked" rather than as a broken diagram.
 */
export function parseInOpenView(text: string): Promise<void> {
  const bridge = openMermaidBridge();
  return bridge ? bridge.parse(text)
    : Promise.reject(new Error('mermaid could not start: its parser runs in a Backend Architect view, and none is open (Backend Architect: Open Chat opens one)'));
}

/**
 * Mermaid's parser needs a browser, so the host asks the webview's real one (THREATS-safe: the webview only
 * answers with ok/error text for a request id the host made).
 */
export class MermaidBridge {
  private nextId = 1;
  private post: ((m: HostMessage) => void) | undefined;
  private readonly pending = new Map<number, { resolve(): void; reject(e: Error): void; timer: ReturnType<typeof setTimeout> }>();
  /** Requests made before a view was ready (a short answer can end before its panel has loaded). */
  private queued: { requestId: number; text: string }[] = [];

  attach(post: (m: HostMessage) => void): void {
    this.post = post;
    attachedBridges.delete(this);
    attachedBridges.add(this);
    for (const q of this.queued.splice(0)) { if (this.pending.has(q.requestId)) { post({ type: 'mermaid/parse', ...q }); } }
  }

  detach(): void {
    this.post = undefined;
    attachedBridges.delete(this);
    for (const [id, p] of this.pending) { clearTimeout(p.timer); p.reject(new Error('mermaid could not start: the view closed')); this.pending.delete(id); }
  }

  /** Resolves when mermaid accepts the text, rejects with its error; "could not start" when no view answered in time. */
  parse(text: string): Promise<void> {
    const requestId = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(requestId);
        reject(new Error(`mermaid could not start: ${this.post ? 'the view did not answer in time' : 'no view is open to check the diagram'}`));
      }, parseTimeoutMs);
      this.pending.set(requestId, { resolve, reject, timer });
      if (this.post) { this.post({ type: 'mermaid/parse', requestId, text }); } else { this.queued.push({ requestId, text }); }
    });
  }

  /** The webview's answer to a parse request. Unknown ids are ignored. */
  settle(requestId: number, ok: boolean, error?: string): void {
    const p = this.pending.get(requestId);
    if (!p) { return; }
    this.pending.delete(requestId);
    clearTimeout(p.timer);
    if (ok) { p.resolve(); } else { p.reject(new Error(error ?? 'mermaid rejected the diagram')); }
  }
}
