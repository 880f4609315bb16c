import type { BidiConnection, BidiEventListener } from '../browser/bidi-connection.js';
import { NetworkLog, type EntryDraft, type IngestResult, type NetworkLogStats } from '../model/network-log.js';
import { SHIM_CHANNEL } from '../model/shim/messages.js';
import { hopKey } from '../model/hop.js';
import { responseHasNoBody } from '../model/http.js';
import { redactLooseText } from '../redact/index.js';
import type { NetworkEntry } from '../model/types.js';
import { BodyFetcher } from './body-fetcher.js';
import { describeCaptureOptions, type CaptureOptions } from './capture-options.js';
import { pageShimPreloadParams } from './page-shim.js';

const NETWORK_EVENTS = ['network.beforeRequestSent', 'network.responseStarted', 'network.responseCompleted', 'network.fetchError'] as const;
/** How long stop waits for bodies still being fetched before it unsubscribes. */
const STOP_DRAIN_MS = 3_000;
/** Encoded size limit handed to the browser's data collector; bodies are cut to maxBodyBytes on our side. */
const COLLECTOR_MAX_ENCODED_BYTES = 64 * 1024 * 1024;

/** Counts as get_network_capture_status reports them: the log's counters plus the body store's. */
export interface CaptureStats extends NetworkLogStats {
  bodiesStoredBytes: number;
  bodiesSkippedForBudget: number;
  bodiesPending: number;
}

let captureCounter = 0;

/** Characters of an event's error message written to stderr. */
const MAX_FAILURE_TEXT = 300;

/**
 * One network capture in one browser session: subscribes to exactly the BiDi events it needs (no library request log),
 * owns a data collector for bodies and the preload shim for WebSocket/EventSource, and feeds a pure {@link NetworkLog}.
 * After stop its entries stay queryable until cleared.
 */
export class CaptureRecorder {
  readonly id: string;
  readonly #log: NetworkLog;
  readonly startedAt = Date.now();
  #endedAt: number | undefined;
  #active = false;
  #subscriptionIds: string[] = [];
  #subscribedEvents: string[] = [];
  #collector: string | undefined;
  #preloadScript: string | undefined;
  #bodies: BodyFetcher | undefined;
  #listeners: Array<[string, BidiEventListener]> = [];
  readonly notes: string[] = [];

  readonly #bidi: BidiConnection;
  readonly #currentContext: () => string | undefined;
  readonly #browser: 'chrome' | 'firefox';
  constructor(
    bidi: BidiConnection,
    readonly sessionId: string,
    readonly options: CaptureOptions,
    currentContext: () => string | undefined,
    firstIndex = 0,
    browser: 'chrome' | 'firefox' = 'chrome',
  ) {
    this.#bidi = bidi;
    this.#currentContext = currentContext;
    this.#browser = browser;
    captureCounter += 1;
    this.id = `capture-${captureCounter}`;
    this.#log = new NetworkLog({
      accept: (draft) => this.#accepts(draft),
      maxEntries: options.maxEntries,
      captureBodies: options.captureBodies,
      maxBodyBytes: options.maxBodyBytes,
      firstIndex,
    });
  }

  get active(): boolean {
    return this.#active;
  }
  get endedAt(): number | undefined {
    return this.#endedAt;
  }

  #accepts(draft: EntryDraft): boolean {
    const { urlFilter, resourceTypes, methods } = this.options;
    if (urlFilter && !urlFilter.matches(draft.url)) return false;
    if (resourceTypes && !resourceTypes.includes(draft.resourceType)) return false;
    if (methods && !methods.includes(draft.method.toUpperCase())) return false;
    return true;
  }

  /** Sets everything up in the browser; on failure, undoes what was done and rethrows. */
  async start(): Promise<void> {
    const events: string[] = [...NETWORK_EVENTS];
    // On Chromium the shim also reports Resource Timing (its BiDi timings have no end of body), so it is always there.
    const wantShim = this.options.captureWebSockets || this.options.captureStreaming || this.#browser === 'chrome';
    if (wantShim) events.push('script.message');
    this.#listen(events);
    try {
      if (this.options.captureBodies !== 'none') await this.#addCollector();
      if (wantShim) await this.#installShim();
      const subscribed = await this.#bidi.send<{ subscription?: string }>('session.subscribe', { events });
      this.#subscribedEvents = events;
      if (subscribed.subscription) this.#subscriptionIds.push(subscribed.subscription);
      this.#active = true;
    } catch (error) {
      await this.#teardown();
      throw error;
    }
  }

  #listen(events: readonly string[]): void {
    for (const event of events) {
      const listener: BidiEventListener = (params) => this.#onEvent(event, params);
      this.#bidi.on(event, listener);
      this.#listeners.push([event, listener]);
    }
  }

  async #addCollector(): Promise<void> {
    const base = { maxEncodedDataSize: COLLECTOR_MAX_ENCODED_BYTES, collectorType: 'blob' };
    let result: { collector: string };
    try {
      result = await this.#bidi.send<{ collector: string }>('network.addDataCollector', { ...base, dataTypes: ['response', 'request'] });
    } catch {
      result = await this.#bidi.send<{ collector: string }>('network.addDataCollector', { ...base, dataTypes: ['response'] });
      this.notes.push("This browser cannot collect request bodies; only Chromium's goog:postData is available.");
    }
    this.#collector = result.collector;
    this.#bodies = new BodyFetcher(
      (entry, which, body) => this.#log.setBody(entry, which, body),
      this.#bidi,
      result.collector,
      this.options.captureBodies === 'all' ? 'all' : 'text',
      this.options.maxBodyBytes,
      this.options.maxTotalBodyBytes,
      this.options.captureStreaming,
    );
  }

  async #installShim(): Promise<void> {
    // Chromium's BiDi timings have no end of body: the page's Resource Timing gives it (see src/model/bidi/timings.ts).
    const params = pageShimPreloadParams(SHIM_CHANNEL, {
      webSockets: this.options.captureWebSockets,
      eventSources: this.options.captureStreaming,
      resourceTiming: this.#browser === 'chrome',
    });
    const added = await this.#bidi.send<{ script: string }>('script.addPreloadScript', params);
    this.#preloadScript = added.script;
    // The preload script covers documents loaded from now on; install into the current document too (best effort).
    const context = this.#currentContext();
    if (context) {
      await this.#bidi
        .send(
          'script.callFunction',
          {
            functionDeclaration: params.functionDeclaration,
            arguments: params.arguments,
            target: { context },
            awaitPromise: false,
            resultOwnership: 'none',
          },
          5_000,
        )
        .catch(() =>
          this.notes.push('The current document could not be instrumented; WebSocket/SSE capture starts with the next page load.'),
        );
    }
  }

  #onEvent(method: string, params: unknown): void {
    if (!this.#active) return;
    // The arrival time, sub-millisecond: Chromium's end of response is estimated from it (see NetworkLog.ingest).
    const result: IngestResult = this.#log.ingest(method, params, performance.timeOrigin + performance.now());
    if (result.firstFailure !== undefined) {
      // Once per event kind: later ones are only counted (failedEvents in the capture status).
      // The message may quote what the event carried: it goes through the redaction gate, and is kept short.
      const why = redactLooseText(result.firstFailure).slice(0, MAX_FAILURE_TEXT);
      process.stderr.write(
        `bidiscope: ${this.id} could not apply a ${method} event (${why}); such events are counted in failedEvents and not reported again\n`,
      );
    }
    const entry = result.entry;
    if (!entry || !this.#bodies) return;
    if (method === 'network.beforeRequestSent' && this.options.captureBodies !== 'none') {
      this.#bodies.enqueueRequest(entry);
    } else if (method === 'network.responseCompleted') {
      this.#bodies.enqueueRequest(entry);
      this.#bodies.enqueueResponse(entry);
    } else if (method === 'network.fetchError' && result.change === 'completed') {
      // An event stream the page closed: Chromium may end it with net::ERR_ABORTED and no responseCompleted.
      this.#bodies.enqueueResponse(entry);
    }
  }

  /** Counts for status. */
  stats(): CaptureStats {
    const bodies = this.#bodies?.stats ?? { storedBytes: 0, skippedForBudget: 0, queued: 0 };
    return {
      ...this.#log.stats(),
      bodiesStoredBytes: bodies.storedBytes,
      bodiesSkippedForBudget: bodies.skippedForBudget,
      bodiesPending: bodies.queued,
    };
  }

  describeOptions(): Record<string, unknown> {
    return describeCaptureOptions(this.options);
  }

  /** Stops recording: waits briefly for bodies in flight, then unsubscribes and removes the shim. Entries stay. */
  async stop(): Promise<void> {
    if (!this.#active) return;
    await this.#bodies?.drain(STOP_DRAIN_MS);
    this.#active = false;
    this.#endedAt = Date.now();
    this.#bodies?.stop('capture stopped before the body was fetched');
    this.#settleUnfinished('the response was still loading when the capture stopped, so its body never arrived');
    await this.#teardown();
  }

  /** Gives responses that never completed a body state with a reason, instead of leaving them unrecorded. */
  #settleUnfinished(reason: string): void {
    if (this.options.captureBodies === 'none') return;
    for (const entry of this.#log.entries()) {
      const response = entry.response;
      if (entry.state !== 'pending' || response === undefined || response.body !== undefined) continue;
      // A 1xx, 204 or 205 has no body to miss (a 304's cached copy is fetched, so it can be missing).
      if (response.status !== 304 && responseHasNoBody(response.status)) continue;
      this.#log.setBody(entry, 'response', { state: 'unavailable', reason });
    }
  }

  /** The browser went away: stop without talking to it. */
  markBrowserGone(reason: string): void {
    if (this.#active) {
      this.#active = false;
      this.#endedAt = Date.now();
    }
    this.#bodies?.stop(`the browser went away before the body was fetched (${reason})`);
    for (const [event, listener] of this.#listeners) this.#bidi.off(event, listener);
    this.#listeners = [];
    for (const entry of this.#log.entries()) {
      if (entry.request.body?.state === 'pending')
        this.#log.setBody(entry, 'request', { state: 'unavailable', reason: `the browser went away (${reason})` });
      if (entry.response?.body?.state === 'pending')
        this.#log.setBody(entry, 'response', { state: 'unavailable', reason: `the browser went away (${reason})` });
    }
    this.#settleUnfinished(`the browser went away while the response was still loading (${reason})`);
  }

  /** Forgets every entry and frees browser-side bodies; recording goes on if active. */
  async clear(): Promise<number> {
    const count = this.#log.stats().retained;
    this.#log.clear();
    if (this.#collector && !this.#bidi.closed) {
      const old = this.#collector;
      this.#collector = undefined;
      await this.#bidi.send('network.removeDataCollector', { collector: old }, 5_000).catch(() => undefined);
      if (this.#active && this.options.captureBodies !== 'none') await this.#addCollector().catch(() => undefined);
    }
    return count;
  }

  /** The index the next request will get (a later capture of the session continues from here). */
  get nextEntryIndex(): number {
    return this.#log.nextEntryIndex;
  }

  /** Retained entries in index order (live: read them, change them only through the log). */
  entries(): readonly NetworkEntry[] {
    return this.#log.entries();
  }

  /** The retained entry with this id (request id and redirect count), if any. */
  findById(id: string): NetworkEntry | undefined {
    return this.#log.findById(id);
  }

  /** Finds an entry by stable index. */
  entry(index: number): NetworkEntry | undefined {
    return this.#log.get(index);
  }

  /** Records what a network rule or a HAR replay did to one hop; false when this capture holds no entry for it. */
  markShaped(requestId: string, redirectCount: number, note: string): boolean {
    return this.#log.markShaped(hopKey(requestId, redirectCount), note);
  }

  async #teardown(): Promise<void> {
    for (const [event, listener] of this.#listeners) this.#bidi.off(event, listener);
    this.#listeners = [];
    if (this.#bidi.closed) return;
    const steps: Array<Promise<unknown>> = [];
    if (this.#subscriptionIds.length > 0) {
      steps.push(this.#bidi.send('session.unsubscribe', { subscriptions: this.#subscriptionIds }, 5_000));
    } else if (this.#subscribedEvents.length > 0) {
      steps.push(this.#bidi.send('session.unsubscribe', { events: this.#subscribedEvents }, 5_000));
    }
    if (this.#preloadScript) steps.push(this.#bidi.send('script.removePreloadScript', { script: this.#preloadScript }, 5_000));
    // The data collector stays until clear or close: bodies already fetched live in entries; the rest were
    // marked unavailable. Remove it so the browser frees what it still holds.
    if (this.#collector) steps.push(this.#bidi.send('network.removeDataCollector', { collector: this.#collector }, 5_000));
    this.#subscriptionIds = [];
    this.#subscribedEvents = [];
    this.#preloadScript = undefined;
    this.#collector = undefined;
    await Promise.allSettled(steps);
  }
}
