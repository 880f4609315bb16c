import type { BidiConnection } from '../browser/bidi-connection.js';
import { BidiCommandError } from '../browser/bidi-connection.js';
import { bodyFromBidiBytes } from '../model/bodies.js';
import { bodyMimeType, mayBeTextual } from '../model/body-kind.js';
import { isRedirectStatus, responseHasNoBody } from '../model/http.js';
import type { BodyRecord, NetworkEntry } from '../model/types.js';
import { isBase64 } from '../lib/bytes.js';

/** Bound on one `network.getData` call: a body that does not come in time is reported unavailable, never awaited. */
const BODY_FETCH_TIMEOUT_MS = 5_000;
const MAX_IN_FLIGHT = 4;

interface BodyJob {
  entry: NetworkEntry;
  kind: 'request' | 'response';
}

/** Why the browser could not give a body, in words an agent can act on. */
function unavailableReason(error: unknown, kind: 'request' | 'response'): string {
  if (error instanceof BidiCommandError) {
    if (error.bidiError === 'timeout') return `the browser did not return the ${kind} body within ${BODY_FETCH_TIMEOUT_MS} ms`;
    if (error.bidiError === 'connection closed') return `the browser went away before the ${kind} body was fetched`;
    if (/unavailable network data/i.test(error.message)) return 'the browser evicted the body from its store (too much data)';
    if (/no such network data|No data found|No post data/i.test(error.message)) {
      return kind === 'request' ? 'the request had no body the browser could return' : 'the browser kept no body for this response';
    }
  }
  return `the browser could not return the ${kind} body: ${error instanceof Error ? error.message : String(error)}`;
}

/**
 * Fetches bodies from the BiDi data collector in the background (a few at a time, each bounded), stores them on
 * the entries, and frees them browser-side (`disown`). Never blocks a tool call: callers may await {@link drain}
 * with their own bound.
 */
export class BodyFetcher {
  readonly #queue: BodyJob[] = [];
  #inFlight = 0;
  #idleWaiters: Array<() => void> = [];
  #storedBytes = 0;
  #skippedForBudget = 0;
  #stopped = false;

  readonly #store: (entry: NetworkEntry, which: 'request' | 'response', body: BodyRecord) => void;
  readonly #bidi: BidiConnection;
  readonly #collector: string;
  readonly #mode: 'text' | 'all';
  readonly #maxBodyBytes: number;
  readonly #maxTotalBodyBytes: number;
  readonly #streamsRecorded: boolean;
  constructor(
    /** Stores a body on its entry (the log's {@link NetworkLog.setBody}). */
    store: (entry: NetworkEntry, which: 'request' | 'response', body: BodyRecord) => void,
    bidi: BidiConnection,
    collector: string,
    mode: 'text' | 'all',
    maxBodyBytes: number,
    maxTotalBodyBytes: number,
    streamsRecorded: boolean = true,
  ) {
    this.#store = store;
    this.#bidi = bidi;
    this.#collector = collector;
    this.#mode = mode;
    this.#maxBodyBytes = maxBodyBytes;
    this.#maxTotalBodyBytes = maxTotalBodyBytes;
    this.#streamsRecorded = streamsRecorded;
  }

  /** Bytes of bodies held, and bodies not kept because the capture's body budget was used up. */
  get stats(): { storedBytes: number; skippedForBudget: number; queued: number } {
    return { storedBytes: this.#storedBytes, skippedForBudget: this.#skippedForBudget, queued: this.#queue.length + this.#inFlight };
  }

  /** Queues the response body of a finished entry, or records why none will be fetched. */
  enqueueResponse(entry: NetworkEntry): void {
    const response = entry.response;
    if (!response || response.body) return;
    if (entry.resourceType === 'eventsource' || entry.stream) {
      this.#store(entry, 'response', {
        state: 'not-captured',
        reason: this.#streamsRecorded
          ? 'streamed response: see the recorded stream events'
          : 'streamed response, and captureStreaming is false: its events were not recorded',
      });
      return;
    }
    // No body by definition (1xx incl. 101, 204, 205): nothing to fetch, nothing to count. A 304 has no body on the
    // wire either, but the browser answers it with the cached copy the page was given (measured on both browsers:
    // docs/parity.md, "ETag: revalidation"), so that one is fetched.
    if (entry.resourceType === 'websocket' || (responseHasNoBody(response.status) && response.status !== 304)) return;
    if (isRedirectStatus(response.status)) {
      this.#store(entry, 'response', { state: 'not-captured', reason: 'redirect response: the body is on the final hop' });
      return;
    }
    if (this.#mode === 'text' && !mayBeTextual(response.mimeType)) {
      this.#store(entry, 'response', {
        state: 'not-captured',
        reason: `binary body (${response.mimeType}) not captured with captureBodies "text"`,
      });
      return;
    }
    this.#store(entry, 'response', { state: 'pending' });
    this.#push({ entry, kind: 'response' });
  }

  /** Queues the request body of an entry that carries one and has none from the event itself. */
  enqueueRequest(entry: NetworkEntry): void {
    if (entry.request.body) return;
    const size = entry.request.bodySize;
    if (size === undefined || size <= 0) return;
    this.#store(entry, 'request', { state: 'pending' });
    this.#push({ entry, kind: 'request' });
  }

  #push(job: BodyJob): void {
    if (this.#stopped) {
      this.#settle(job, { state: 'unavailable', reason: 'capture stopped before the body was fetched' });
      return;
    }
    this.#queue.push(job);
    this.#pump();
  }

  #pump(): void {
    while (this.#inFlight < MAX_IN_FLIGHT && this.#queue.length > 0) {
      const job = this.#queue.shift();
      if (!job) break;
      this.#inFlight += 1;
      void this.#fetch(job).finally(() => {
        this.#inFlight -= 1;
        this.#pump();
        if (this.#inFlight === 0 && this.#queue.length === 0) {
          for (const waiter of this.#idleWaiters) waiter();
          this.#idleWaiters = [];
        }
      });
    }
  }

  /** True (and the body is settled and counted as skipped) once the capture's body budget is used up. */
  #overBudget(job: BodyJob): boolean {
    if (this.#storedBytes < this.#maxTotalBodyBytes) return false;
    this.#skippedForBudget += 1;
    this.#settle(job, { state: 'unavailable', reason: "the capture's total body budget is used up; the body was not kept" });
    return true;
  }

  async #fetch(job: BodyJob): Promise<void> {
    const { entry, kind } = job;
    if (this.#overBudget(job)) return;
    try {
      const result = await this.#bidi.send<{ bytes: { type: 'string' | 'base64'; value: string } }>(
        'network.getData',
        { dataType: kind, request: entry.requestId, collector: this.#collector, disown: true },
        BODY_FETCH_TIMEOUT_MS,
      );
      const mimeType = bodyMimeType(entry, kind);
      const record = bodyFromBidiBytes(chromiumRequestBytes(entry, kind, result.bytes), mimeType, this.#maxBodyBytes, this.#mode);
      // Several fetches run at once: one that finished first may have used the budget up while this one ran.
      if (record.data !== undefined && this.#overBudget(job)) return;
      this.#storedBytes += record.data?.length ?? 0;
      this.#settle(job, record);
    } catch (error) {
      this.#settle(job, { state: 'unavailable', reason: unavailableReason(error, kind) });
    }
  }

  #settle(job: BodyJob, record: BodyRecord): void {
    if (job.kind === 'response') {
      this.#store(job.entry, 'response', record);
    } else {
      this.#store(job.entry, 'request', record);
    }
  }

  /** Resolves when no fetch is queued or running, or after `timeoutMs`. */
  drain(timeoutMs: number): Promise<void> {
    if (this.#inFlight === 0 && this.#queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      timer.unref();
      this.#idleWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Marks every queued body unavailable and refuses new ones; running fetches finish within their bound. */
  stop(reason: string): void {
    this.#stopped = true;
    for (const job of this.#queue.splice(0)) this.#settle(job, { state: 'unavailable', reason });
  }
}

/**
 * Chromium 156 answers `network.getData` for a binary request body with `{type: 'string'}` whose value is the base64
 * of the bytes (measured: 7 bytes 00 01 02 FF 0A 27 24 came back as the string "AAEC/wonJA=="). Such requests are
 * the ones whose goog:postData the model set aside for not being byte-exact; their string is read as base64.
 */
function chromiumRequestBytes(
  entry: NetworkEntry,
  kind: 'request' | 'response',
  bytes: { type: 'string' | 'base64'; value: string },
): { type: 'string' | 'base64'; value: string } {
  const setAside = entry.request.postDataNotByteExact === true;
  if (kind !== 'request' || bytes.type !== 'string' || !setAside || !isBase64(bytes.value)) return bytes;
  return { type: 'base64', value: bytes.value };
}
