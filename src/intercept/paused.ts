/**
 * One request paused by an intercept. It is released exactly once — continued, answered or failed — by whoever gets
 * there first: the decided action, the watchdog bound, or the session closing. A hold (delay, latency) can be cut
 * short by {@link PausedRequest.wake}.
 */

/** Sends one release command; may throw. */
export type Release = () => Promise<unknown>;

/** How a request was released. */
export type Settled = { by: 'primary' | 'already' } | { by: 'fallback'; reason: string };

export class PausedRequest {
  #settled = false;
  #wake: (() => void) | undefined;
  #holdTimer: NodeJS.Timeout | undefined;

  constructor(readonly requestId: string) {}

  get settled(): boolean {
    return this.#settled;
  }

  /** Waits `ms` unless woken earlier (the session is closing); resolves either way. */
  hold(ms: number): Promise<void> {
    if (ms <= 0 || this.#settled) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.#wake = resolve;
      this.#holdTimer = setTimeout(resolve, ms);
    }).finally(() => {
      if (this.#holdTimer) clearTimeout(this.#holdTimer);
      this.#holdTimer = undefined;
      this.#wake = undefined;
    });
  }

  /** Ends a hold now. */
  wake(): void {
    this.#wake?.();
  }

  /**
   * Releases the request with `primary`; when that fails, with `fallback` (e.g. continue, then fail). Says which
   * ran: `primary`, `fallback` (primary failed; the fallback was tried) or `already` (released before). Never throws.
   */
  async settle(primary: Release, fallback?: Release): Promise<Settled> {
    if (this.#settled) return { by: 'already' };
    this.#settled = true;
    this.wake();
    try {
      await primary();
      return { by: 'primary' };
    } catch (error) {
      if (fallback) await fallback().catch(() => undefined);
      return { by: 'fallback', reason: error instanceof Error ? error.message : String(error) };
    }
  }
}
