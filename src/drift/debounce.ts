/**
 * Runs a task a short while after the last request for it, never two at once: requests that arrive while it
 * runs are folded into one more run after it. Saving five files in a row gives one check, and a save during
 * a check gives exactly one check after it, so the last state of the files is always the one checked. Pure.
 */
export class Coalescer {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private disposed = false;
  private readonly settled: Array<() => void> = [];

  constructor(private readonly task: () => Promise<void>, private readonly delayMs: number, private readonly onError: (e: unknown) => void = () => undefined) {}

  /** Asks for a run `delayMs` from now (or right after the current one ends). */
  schedule(delayMs = this.delayMs): void {
    if (this.disposed) { return; }
    if (this.running) { this.again = true; return; }
    if (this.timer) { clearTimeout(this.timer); }
    this.timer = setTimeout(() => { this.timer = undefined; this.start(); }, delayMs);
  }

  /** Resolves once nothing is waiting or running. */
  idle(): Promise<void> {
    if (!this.timer && !this.running) { return Promise.resolve(); }
    return new Promise(resolve => this.settled.push(resolve));
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) { clearTimeout(this.timer); this.timer = undefined; }
    if (!this.running) { this.settle(); }
  }

  private start(): void {
    this.again = false;
    this.running = this.task().catch(this.onError).finally(() => {
      this.running = undefined;
      if (this.again && !this.disposed) { this.schedule(); } else { this.settle(); }
    });
  }

  private settle(): void {
    for (const resolve of this.settled.splice(0)) { resolve(); }
  }
}
