/**
 * The process-wide limit on browser sessions, shared by every session manager (one per MCP client over HTTP, one in
 * stdio mode). It also hands out session ids, so ids stay unique across clients.
 */
export class SessionBudget {
  #inUse = 0;
  #counter = 0;
  #closed = false;

  constructor(readonly maxSessions: number) {}

  /** Sessions open or starting, across all clients. */
  get inUse(): number {
    return this.#inUse;
  }

  /** True once {@link shutdown} ran: no new sessions anywhere. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Takes one slot, or throws a message that says how to free one. Call {@link release} exactly once afterwards. */
  reserve(): void {
    if (this.#closed) throw new Error('bidiscope is shutting down; no new sessions.');
    if (this.#inUse >= this.maxSessions) {
      throw new Error(
        `Too many sessions: ${this.#inUse} open (limit ${this.maxSessions}, set with --max-sessions). ` +
          `Close one with close_session first.`,
      );
    }
    this.#inUse += 1;
  }

  /** Gives a slot back. */
  release(): void {
    this.#inUse = Math.max(0, this.#inUse - 1);
  }

  /** A fresh session id such as `chrome-3`. */
  nextId(browser: string): string {
    this.#counter += 1;
    return `${browser}-${this.#counter}`;
  }

  /** Refuses every later {@link reserve}. */
  shutdown(): void {
    this.#closed = true;
  }
}
