import { CaptureRecorder } from '../capture/recorder.js';
import type { CaptureOptions } from '../capture/capture-options.js';
import type { BidiConnection } from '../browser/bidi-connection.js';
import { BidiCommandError } from '../browser/bidi-connection.js';
import type { LaunchedBrowser } from '../browser/launched-browser.js';
import type { LaunchOptions } from '../browser/launch-options.js';
import { ScriptResultStore } from './script-results.js';
import { runScript, type EvaluationOutcome, type ScriptCode } from './script-runner.js';

export type { EvaluationOutcome, ScriptCode } from './script-runner.js';

/** How many captures a session keeps, and how much they may hold together; the oldest go first. */
export const CAPTURE_RETENTION = { maxCaptures: 10, maxEntries: 200_000, maxBodyBytes: 512 * 1024 * 1024 } as const;
import { NetworkConditions } from '../intercept/conditions.js';
import { NetworkShaper } from '../intercept/shaper.js';

/** Longest close() waits for the shaper to release paused requests and remove its intercepts. */
const SHAPER_DISPOSE_MS = 3_000;

/** How far a navigation waits. */
export type NavigationWait = 'none' | 'interactive' | 'complete';

/** Thrown for a session that can no longer drive its browser. */
export class SessionUnusableError extends Error {}

/** Bound on the check whether a tab's main thread answers, after a script timed out. */
const PROBE_TIMEOUT_MS = 1_000;

/** True for the error BiDi gives for a browsing context that does not exist (any more). */
function isNoSuchContext(error: unknown): boolean {
  return error instanceof BidiCommandError && /no such frame|Cannot find context|not found/i.test(error.message);
}

/** Chromium's answer to a navigation in a tab that is being closed (it may still be listed for a moment). */
function isContextBeingDisposed(error: unknown): boolean {
  return error instanceof BidiCommandError && /context disposal/i.test(error.message);
}

/** How long a tab that is being closed may take to leave the browser's tree. */
const DISPOSAL_WAIT_MS = 2_000;

/** Releases the shaper's paused requests and intercepts, waiting at most {@link SHAPER_DISPOSE_MS}. */
async function disposeBounded(shaper: NetworkShaper): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, SHAPER_DISPOSE_MS);
  });
  await Promise.race([shaper.dispose().catch(() => undefined), bound]);
  if (timer) clearTimeout(timer);
}

/** One open browser with its BiDi session; tracks the tab it drives and whether the browser is still alive. */
export class BrowserSession {
  readonly createdAt = Date.now();
  /** When true, outputs show secrets (auth headers, cookies, passwords) instead of redacting them. */
  exposeSensitiveNetworkData = false;
  readonly #captures: CaptureRecorder[] = [];
  /** Ids of captures dropped by the retention bound, with why, so tools can say so. */
  readonly #dropped = new Map<string, string>();
  /** Full script results waiting for a confirm_output token; bounded, dropped on close. */
  readonly scriptResults = new ScriptResultStore();
  #state: 'open' | 'dead' | 'closed' = 'open';
  #deadReason: string | undefined;
  #context: string | undefined;
  #closing: Promise<void> | undefined;
  /** Tail of the queue {@link runExclusive} runs tasks on. */
  #queue: Promise<unknown> = Promise.resolve();
  /** Rules, HAR replay and latency: owns every request its intercepts pause. */
  readonly shaper: NetworkShaper;
  /** Offline, cache, extra headers, latency. */
  readonly conditions: NetworkConditions;

  constructor(
    readonly id: string,
    readonly options: LaunchOptions,
    readonly launched: LaunchedBrowser,
  ) {
    this.shaper = new NetworkShaper(launched.bidi, (requestId, redirectCount, note) => {
      this.capture?.markShaped(requestId, redirectCount, note);
    });
    this.conditions = new NetworkConditions(launched.bidi, this.shaper);
    void launched.exited.then((reason) => this.#markDead(reason));
    launched.bidi.onClose((reason) => this.#markDead(reason));
  }

  /** Subscribes to the events the session itself needs (tab tracking) and finds the first tab. */
  async init(): Promise<void> {
    const bidi = this.launched.bidi;
    bidi.on('browsingContext.contextDestroyed', (params) => {
      const context = (params as { context?: unknown }).context;
      if (context === this.#context) this.#context = undefined;
    });
    await bidi.send('session.subscribe', { events: ['browsingContext.contextDestroyed'] });
    this.#context = await this.#firstTopLevelContext();
  }

  get bidi(): BidiConnection {
    return this.launched.bidi;
  }
  get browser(): 'chrome' | 'firefox' {
    return this.options.browser;
  }
  get state(): 'open' | 'dead' | 'closed' {
    return this.#state;
  }
  get deadReason(): string | undefined {
    return this.#deadReason;
  }
  /** The browsing context tools act on, when a tab is open. */
  get context(): string | undefined {
    return this.#context;
  }

  #markDead(reason: string): void {
    if (this.#state !== 'open') return;
    this.#state = 'dead';
    this.#deadReason = reason;
    this.capture?.markBrowserGone(reason);
    this.shaper.markGone();
  }

  /** Browser name and version as the browser reported them. */
  get identity(): { name: string; version: string } {
    return this.launched.identity;
  }

  /**
   * Session-wide network settings from initialize_session, for every tab the session opens (unlike
   * set_network_conditions, which acts on the current tab).
   */
  async applySessionNetworkSettings(settings: { bypassCache: boolean; extraHeaders?: Record<string, string> }): Promise<void> {
    if (settings.bypassCache) await this.bidi.send('network.setCacheBehavior', { cacheBehavior: 'bypass' });
    if (settings.extraHeaders) {
      const headers = Object.entries(settings.extraHeaders).map(([name, value]) => ({ name, value: { type: 'string', value } }));
      await this.bidi.send('network.setExtraHeaders', { headers }).catch((error: unknown) => {
        throw new Error(`extraHeaders is not supported by this browser build: ${error instanceof Error ? error.message : String(error)}`);
      });
    }
  }

  /** The latest capture (active, or stopped and still queryable), if any. */
  get capture(): CaptureRecorder | undefined {
    return this.#captures.at(-1);
  }

  /** Every retained capture, oldest first. */
  get captures(): readonly CaptureRecorder[] {
    return this.#captures;
  }

  /** Why a capture id is no longer retained, when it was dropped by the retention bound. */
  droppedCapture(id: string): string | undefined {
    return this.#dropped.get(id);
  }

  /**
   * Starts a new capture beside the earlier (stopped) ones. Its indexes continue past every index the session used
   * before, so an index names one request for the whole life of the session. Older captures past the retention bound
   * are dropped, oldest first. Callers serialize. Returns the new capture and the ids dropped to make room.
   */
  async startCapture(options: CaptureOptions): Promise<{ capture: CaptureRecorder; dropped: string[] }> {
    const firstIndex = this.capture?.nextEntryIndex ?? 0;
    const recorder = new CaptureRecorder(this.bidi, this.id, options, () => this.context, firstIndex, this.browser);
    await recorder.start();
    this.#captures.push(recorder);
    return { capture: recorder, dropped: this.#enforceRetention() };
  }

  #enforceRetention(): string[] {
    const dropped: string[] = [];
    const retainedEntries = (): number => this.#captures.reduce((sum, capture) => sum + capture.stats().retained, 0);
    const retainedBodyBytes = (): number => this.#captures.reduce((sum, capture) => sum + capture.stats().bodiesStoredBytes, 0);
    while (this.#captures.length > 1) {
      const why =
        this.#captures.length > CAPTURE_RETENTION.maxCaptures
          ? `a session keeps at most ${CAPTURE_RETENTION.maxCaptures} captures`
          : retainedEntries() > CAPTURE_RETENTION.maxEntries
            ? `a session keeps at most ${CAPTURE_RETENTION.maxEntries} entries across its captures`
            : retainedBodyBytes() > CAPTURE_RETENTION.maxBodyBytes
              ? `a session keeps at most ${CAPTURE_RETENTION.maxBodyBytes} bytes of bodies across its captures`
              : undefined;
      if (why === undefined) break;
      const oldest = this.#captures.shift();
      if (!oldest) break;
      this.#dropped.set(oldest.id, why);
      dropped.push(oldest.id);
    }
    return dropped;
  }

  /** Throws a clear error unless the browser is usable. */
  assertUsable(): void {
    if (this.#state === 'closed') throw new SessionUnusableError(`Session ${this.id} is closed.`);
    if (this.#state === 'dead') {
      throw new SessionUnusableError(
        `The browser of session ${this.id} is gone (${this.#deadReason ?? 'unknown reason'}), so it can no longer be driven. ` +
          `What it captured is still available; call close_session to clean up, then initialize_session for a new one.`,
      );
    }
  }

  /**
   * Runs `task` after every task queued earlier on this session has settled, so state-changing steps (starting,
   * stopping, clearing a capture) never interleave when a client fires calls concurrently. A failing task does not
   * block later ones. Reads need no queue.
   */
  runExclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task, task);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #firstTopLevelContext(): Promise<string> {
    const tree = await this.bidi.send<{ contexts: Array<{ context: string }> }>('browsingContext.getTree', { maxDepth: 0 });
    const first = tree.contexts[0]?.context;
    if (first) return first;
    const created = await this.bidi.send<{ context: string }>('browsingContext.create', { type: 'tab' });
    return created.context;
  }

  /** The tab to act on; opens a new one when the previous tab was closed. */
  async ensureContext(): Promise<{ context: string; reopened: boolean }> {
    this.assertUsable();
    if (this.#context) return { context: this.#context, reopened: false };
    this.#context = await this.#firstTopLevelContext();
    return { context: this.#context, reopened: true };
  }

  /** {@link ensureContext}, with a dropped connection reported as the browser being gone. */
  async #usableContext(): Promise<{ context: string; reopened: boolean }> {
    try {
      return await this.ensureContext();
    } catch (error) {
      this.#assertStillAlive(error);
      throw error;
    }
  }

  /** Sets the viewport of the current tab. */
  async setViewport(viewport: { width: number; height: number }): Promise<void> {
    const { context } = await this.ensureContext();
    await this.bidi.send('browsingContext.setViewport', { context, viewport });
  }

  /** BiDi `browsingContext.navigate`, bounded by `timeoutMs`. */
  async navigate(url: string, wait: NavigationWait, timeoutMs: number, retried = false): Promise<{ url: string; reopenedTab: boolean }> {
    const { context, reopened } = await this.#usableContext();
    try {
      const result = await this.bidi.send<{ url?: string }>('browsingContext.navigate', { context, url, wait }, timeoutMs);
      return { url: result.url ?? url, reopenedTab: reopened || retried };
    } catch (error) {
      this.#assertStillAlive(error);
      // The tab was closed and its contextDestroyed event has not arrived (or never will): open a new one, once.
      if (!retried && isNoSuchContext(error) && (await this.#forgetIfClosed(context))) return this.navigate(url, wait, timeoutMs, true);
      // Closed while the navigation started: wait (bounded) until the tab leaves the tree, then open a new one.
      if (!retried && isContextBeingDisposed(error) && (await this.#forgetIfClosed(context, DISPOSAL_WAIT_MS))) {
        return this.navigate(url, wait, timeoutMs, true);
      }
      if (error instanceof BidiCommandError && error.bidiError === 'timeout') {
        throw new Error(
          `Navigation to ${url} did not reach "${wait}" within ${timeoutMs} ms; the page may still be loading. ` +
            `Retry with a larger timeoutMs, or wait:"none" and poll with evaluate_script.`,
        );
      }
      throw error;
    }
  }

  /**
   * Runs an expression (or statements) or a function declaration in the current tab and serializes the value in the
   * page. When the script does not finish within `timeoutMs`, the tab is checked and, if its main thread is stuck,
   * freed (see {@link #recoverFromRunaway}) before the error is thrown, so the next call gets a tab that answers.
   */
  async evaluate(code: ScriptCode, awaitPromise: boolean, timeoutMs: number): Promise<EvaluationOutcome> {
    const { context } = await this.#usableContext();
    try {
      return await runScript(this.bidi, context, code, awaitPromise, Date.now() + timeoutMs);
    } catch (error) {
      this.#assertStillAlive(error);
      if (error instanceof BidiCommandError && error.bidiError === 'timeout') {
        throw new Error(await this.#recoverFromRunaway(context, timeoutMs));
      }
      if (isNoSuchContext(error) && (await this.#forgetIfClosed(context))) {
        throw new Error("The session's tab was closed. Call navigate to open a new tab; the capture goes on.");
      }
      if (error instanceof BidiCommandError && /Cannot find context|no such frame|no such realm/i.test(error.message)) {
        throw new Error(
          'The tab has no document that can run scripts (for example a browser error page after a failed navigation). ' +
            'Navigate to a page first.',
        );
      }
      throw error;
    }
  }

  /** True when the tab runs a trivial script within {@link PROBE_TIMEOUT_MS}: its main thread is not stuck. */
  async #answers(context: string): Promise<boolean> {
    return this.bidi
      .send('script.evaluate', { target: { context }, expression: '0', awaitPromise: false, resultOwnership: 'none' }, PROBE_TIMEOUT_MS)
      .then(
        () => true,
        () => false,
      );
  }

  /**
   * After a script timed out: a tab that still answers is left alone (a promise that never settles). A stuck one
   * (an endless loop, a huge value being built): on Chromium the script is stopped with CDP
   * `Runtime.terminateExecution` (through chromedriver's `goog:cdp.sendCommand`) and the page stays; where that is
   * not available (Firefox has no way to stop a page's script over BiDi), a new tab is opened in the background and
   * the stuck one closed. Returns the message for the caller.
   */
  async #recoverFromRunaway(context: string, timeoutMs: number): Promise<string> {
    const base = `The script did not finish within ${timeoutMs} ms`;
    if (await this.#answers(context)) {
      return `${base}; the page still answers (a promise that never settles, or a result still on its way). Retry with a larger timeoutMs, or make the script settle sooner.`;
    }
    if (this.browser === 'chrome' && (await this.#terminateScript(context)) && (await this.#answers(context))) {
      return `${base} and kept the page's main thread busy (an endless loop?); bidiscope stopped it (Runtime.terminateExecution). The page stays as the script left it.`;
    }
    if (await this.#replaceTab(context)) {
      return `${base} and kept the page's main thread busy (an endless loop?), so bidiscope closed the tab and opened a new blank one: navigate to load the page again. The network capture goes on.`;
    }
    return `${base}, the tab does not answer and could not be replaced. Close the session (close_session) and open a new one.`;
  }

  async #terminateScript(context: string): Promise<boolean> {
    try {
      const { session } = await this.bidi.send<{ session?: string }>('goog:cdp.getSession', { context }, PROBE_TIMEOUT_MS);
      if (session === undefined) return false;
      await this.bidi.send('goog:cdp.sendCommand', { method: 'Runtime.terminateExecution', params: {}, session }, PROBE_TIMEOUT_MS);
      return true;
    } catch {
      return false;
    }
  }

  /** Opens a background tab, makes it the session's tab and closes `stuck`. Firefox only creates it in the background while another tab's page is stuck. */
  async #replaceTab(stuck: string): Promise<boolean> {
    try {
      const created = await this.bidi.send<{ context: string }>('browsingContext.create', { type: 'tab', background: true }, 5_000);
      this.#context = created.context;
    } catch {
      return false;
    }
    await this.bidi.send('browsingContext.close', { context: stuck, promptUnload: false }, 5_000).catch(() => undefined);
    return true;
  }

  /**
   * True when `context` is no longer among the browser's tabs (checked again for up to `waitMs` while it is being
   * closed); then it is forgotten so the next call opens one.
   */
  async #forgetIfClosed(context: string, waitMs = 0): Promise<boolean> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const tree = await this.bidi
        .send<{ contexts: Array<{ context: string }> }>('browsingContext.getTree', { maxDepth: 0 }, 5_000)
        .catch(() => undefined);
      if (!tree) return false;
      if (!tree.contexts.some((item) => item.context === context)) break;
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (this.#context === context) this.#context = undefined;
    return true;
  }

  /** When a command failed because the connection dropped, throws the session's "browser is gone" error instead. */
  #assertStillAlive(error: unknown): void {
    if (error instanceof BidiCommandError && error.bidiError === 'connection closed') this.assertUsable();
  }

  /** Stops the browser, driver and temp dirs. Idempotent, bounded, never throws. */
  close(): Promise<void> {
    if (!this.#closing) {
      this.#closing = (async () => {
        const wasOpen = this.#state === 'open';
        if (this.#state === 'open') this.#state = 'closed';
        this.scriptResults.clear();
        try {
          if (wasOpen) await disposeBounded(this.shaper);
          await this.launched.close();
        } finally {
          this.#state = 'closed';
        }
      })();
    }
    return this.#closing;
  }
}
