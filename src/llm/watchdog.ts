/**
 * First-token and idle watchdogs for one streamed answer. The SDK has no guard once response
 * headers have arrived (THREATS.md S13, S15), so these abort our controller with a reason that
 * tells the caller why the loop ended.
 */

export type AbortReason = 'user-cancel' | 'first-token-timeout' | 'idle-timeout';

/**
 * One timer at a time. On the hot path `touch()` only stores a timestamp; the idle timer re-arms
 * itself for the remaining time when it fires, instead of being reset on every chunk.
 */
export class StreamWatchdog {
  /** Time of the last chunk (ms since epoch); written on every chunk. */
  last = 0;
  private started = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private noticeTimer: ReturnType<typeof setTimeout> | undefined;

  /**
   * @param controller aborted with `first-token-timeout` or `idle-timeout`
   * @param firstTokenMs allowed from the start of an attempt until the first content or reasoning delta
   * @param idleMs allowed between chunks once the answer started
   * @param onSlowStart called once if the first delta has not arrived after `noticeMs`
   */
  constructor(
    private readonly controller: AbortController,
    readonly firstTokenMs: number,
    readonly idleMs: number,
    private readonly noticeMs = 5000,
    private readonly onSlowStart?: () => void,
  ) {}

  /** Arms the first-token timer for a new attempt (request start, or a retry after a wait). */
  startAttempt(): void {
    this.stop();
    this.started = false;
    this.timer = setTimeout(() => this.abort('first-token-timeout'), this.firstTokenMs);
    if (this.onSlowStart && this.noticeMs < this.firstTokenMs) {
      const notify = this.onSlowStart;
      this.noticeTimer = setTimeout(() => {
        this.noticeTimer = undefined;
        notify();
      }, this.noticeMs);
    }
  }

  /** The first content or reasoning delta arrived: switch to the idle timer. */
  firstToken(): void {
    if (this.started) return;
    this.started = true;
    this.stop();
    this.last = Date.now();
    this.timer = setTimeout(() => this.checkIdle(), this.idleMs);
  }

  /** True once `firstToken()` was called for the current attempt. */
  get answering(): boolean {
    return this.started;
  }

  /** Clears every timer (during retry waits and at the end). */
  stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.noticeTimer !== undefined) clearTimeout(this.noticeTimer);
    this.timer = undefined;
    this.noticeTimer = undefined;
  }

  private checkIdle(): void {
    const quiet = Date.now() - this.last;
    if (quiet >= this.idleMs) {
      this.timer = undefined;
      this.abort('idle-timeout');
      return;
    }
    this.timer = setTimeout(() => this.checkIdle(), this.idleMs - quiet);
  }

  private abort(reason: AbortReason): void {
    this.stop();
    if (!this.controller.signal.aborted) this.controller.abort(reason);
  }
}
