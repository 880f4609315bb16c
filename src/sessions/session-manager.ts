import { launchChrome } from '../browser/chrome.js';
import { launchFirefox } from '../browser/firefox.js';
import type { LaunchedBrowser } from '../browser/launched-browser.js';
import type { LaunchOptions } from '../browser/launch-options.js';
import { BrowserSession } from './browser-session.js';

/** Thrown for a session id that does not resolve; the message says what is open. */
export class SessionLookupError extends Error {}

/** Starts a browser; replaceable so remote endpoints or tests can supply their own. */
export type BrowserLauncher = (options: LaunchOptions) => Promise<LaunchedBrowser>;

const defaultLauncher: BrowserLauncher = (options) =>
  options.browser === 'firefox' ? launchFirefox(options) : launchChrome(options);

/** Owns every open session: opening, lookup (id optional when exactly one is open), closing all on shutdown. */
export class SessionManager {
  readonly #sessions = new Map<string, BrowserSession>();
  #counter = 0;
  #starting = 0;
  #shuttingDown = false;

  constructor(
    readonly maxSessions: number,
    readonly launcher: BrowserLauncher = defaultLauncher,
  ) {}

  /** Launches a browser and registers its session. Everything started is stopped if any step fails. */
  async open(options: LaunchOptions, prepare?: (session: BrowserSession) => Promise<void>): Promise<BrowserSession> {
    if (this.#shuttingDown) throw new Error('bidiscope is shutting down; no new sessions.');
    if (this.#sessions.size + this.#starting >= this.maxSessions) {
      throw new Error(
        `Too many sessions: ${this.#sessions.size} open (limit ${this.maxSessions}, set with --max-sessions). ` +
          `Close one with close_session first.`,
      );
    }
    this.#starting += 1;
    try {
      const launched = await this.launcher(options);
      this.#counter += 1;
      const session = new BrowserSession(`${options.browser}-${this.#counter}`, options, launched);
      try {
        await session.init();
        if (prepare) await prepare(session);
      } catch (error) {
        await session.close();
        throw error;
      }
      if (this.#shuttingDown) {
        await session.close();
        throw new Error('bidiscope is shutting down; the new session was closed.');
      }
      this.#sessions.set(session.id, session);
      return session;
    } finally {
      this.#starting -= 1;
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
    await session.close();
    return session;
  }

  /** Closes every session (bounded per session); used on shutdown. */
  async closeAll(): Promise<void> {
    this.#shuttingDown = true;
    const sessions = [...this.#sessions.values()];
    this.#sessions.clear();
    await Promise.allSettled(sessions.map((session) => session.close()));
  }
}
