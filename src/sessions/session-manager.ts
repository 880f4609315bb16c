import { chooseLauncher, type BrowserLauncher } from '../browser/launcher.js';
import type { LaunchOptions } from '../browser/launch-options.js';
import { BrowserSession } from './browser-session.js';
import { SessionBudget } from './session-budget.js';

/** Thrown for a session id that does not resolve; the message says what is open. */
export class SessionLookupError extends Error {}

/**
 * Owns one client's open sessions: opening, lookup (id optional when exactly one is open), closing all on shutdown or
 * when the client goes away. The limit on sessions is a {@link SessionBudget} that several managers may share.
 */
export class SessionManager {
  readonly #sessions = new Map<string, BrowserSession>();
  readonly budget: SessionBudget;
  #shuttingDown = false;

  constructor(
    budget: SessionBudget | number,
    readonly launcher: BrowserLauncher = chooseLauncher({}),
  ) {
    this.budget = typeof budget === 'number' ? new SessionBudget(budget) : budget;
  }

  /** The limit across all managers sharing the budget. */
  get maxSessions(): number {
    return this.budget.maxSessions;
  }

  /** Launches a browser and registers its session. Everything started is stopped if any step fails. */
  async open(options: LaunchOptions, prepare?: (session: BrowserSession) => Promise<void>): Promise<BrowserSession> {
    if (this.#shuttingDown) throw new Error('bidiscope is shutting down; no new sessions.');
    this.budget.reserve();
    let registered = false;
    try {
      const launched = await this.launcher(options);
      // A remote endpoint decides which browser it is; name the session after what actually answered.
      const reported = launched.identity.name.toLowerCase();
      const browser = reported.includes('firefox') ? 'firefox' : reported.includes('chrom') ? 'chrome' : options.browser;
      const session = new BrowserSession(this.budget.nextId(browser), { ...options, browser }, launched);
      try {
        await session.init();
        if (prepare) await prepare(session);
      } catch (error) {
        await session.close();
        throw error;
      }
      if (this.#shuttingDown || this.budget.closed) {
        await session.close();
        throw new Error('bidiscope is shutting down; the new session was closed.');
      }
      this.#sessions.set(session.id, session);
      registered = true;
      return session;
    } finally {
      if (!registered) this.budget.release();
    }
  }

  /** The session with this id, or the only open one when the id is omitted. */
  get(sessionId: string | undefined): BrowserSession {
    if (sessionId === undefined) {
      if (this.#sessions.size === 1) {
        const only = this.#sessions.values().next().value;
        if (only) return only;
      }
      if (this.#sessions.size === 0) throw new SessionLookupError('No session is open. Call initialize_session first.');
      throw new SessionLookupError(
        `sessionId is required when several sessions are open. Open sessions: ${[...this.#sessions.keys()].join(', ')}.`,
      );
    }
    const session = this.#sessions.get(sessionId);
    if (!session) {
      const open = this.#sessions.size > 0 ? `Open sessions: ${[...this.#sessions.keys()].join(', ')}.` : 'No session is open.';
      throw new SessionLookupError(`Unknown sessionId "${sessionId}". ${open}`);
    }
    return session;
  }

  list(): BrowserSession[] {
    return [...this.#sessions.values()];
  }

  /** Closes one session and forgets it. */
  async close(sessionId: string | undefined): Promise<BrowserSession> {
    const session = this.get(sessionId);
    this.#sessions.delete(session.id);
    try {
      await session.close();
    } finally {
      this.budget.release();
    }
    return session;
  }

  /** Closes every session (bounded per session); used on shutdown. */
  async closeAll(): Promise<void> {
    this.#shuttingDown = true;
    const sessions = [...this.#sessions.values()];
    this.#sessions.clear();
    await Promise.allSettled(sessions.map((session) => session.close().finally(() => this.budget.release())));
  }
}
