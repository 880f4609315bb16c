/**
 * {@link NetworkLog}: the capture state, fed raw BiDi events one at a time. Pure: no I/O, no clocks except an
 * optional `Date.now()` default for `receivedAt`.
 *
 * - One entry per hop, keyed by (request id, redirectCount); `id` = {@link hopKey}; `index` is
 *   assigned at creation, grows monotonically and never changes (eviction removes the oldest entries only, so the
 *   retained indexes stay contiguous).
 * - WebSocket frames and EventSource messages come from the page shim (`script.message`) and are linked to entries
 *   (see {@link ShimSocket}); Chromium sends no WebSocket handshake events, so a synthetic entry is built from
 *   the shim.
 */
import type { BidiDialect, BidiNetworkEventParams } from './bidi/types.js';
import type { BodyRecord, NetworkEntry, ResourceType } from './types.js';
import type { ShimMessage } from './shim/messages.js';
import { findBidiHeader, findHeader } from './headers.js';
import { ANSWER_FROM_ANOTHER_HOP_NOTE, isAnswerFromAnotherHop, withoutFragment } from './bidi/redirect-race.js';
import { isRedirectStatus, responseHasNoBody } from './http.js';
import { hopKey } from './hop.js';
import { detectBidiDialect, readNetworkEventParams, readScriptMessageParams } from './bidi/types.js';
import {
  applyRequestData,
  applyResponseData,
  applyTimings,
  newEntry,
  newSyntheticWebSocketEntry,
  resourceTypeOfEvent,
  shortEventName,
  urlOfEvent,
} from './bidi/entry-builder.js';
import type { EventBodyOptions } from './bidi/entry-builder.js';
import type { EventArrivals } from './bidi/timings.js';
import type { BidiFetchTimingInfo } from './bidi/types.js';
import type { PageResourceTiming, PageTimingEntry } from './shim/messages.js';
import { isShimChannel, parseShimMessage, shimJsonFromRemoteValue } from './shim/messages.js';
import type { ShimSocket } from './shim/streams.js';
import { applyEventSourceMessage, applyWebSocketMessage, newShimSocket, shimSocketKey, shimSourceNote } from './shim/streams.js';
import { ShimSocketRegistry, expectedEntryUrl, sameContext } from './shim/registry.js';
import { BoundedKeySet } from '../lib/bounded-key-set.js';
import { RetainedQueue } from '../lib/retained-queue.js';

/** What the `accept` filter sees when an entry would be created. */
export interface EntryDraft {
  url: string;
  method: string;
  resourceType: ResourceType;
}

export interface NetworkLogOptions {
  /** Called once per hop when its entry would be created; false drops the hop (counted in `filtered`). */
  accept?: (draft: EntryDraft) => boolean;
  /** Keep at most this many entries; the oldest are evicted (counted in `dropped`). Default: no limit. */
  maxEntries?: number;
  /** Request bodies found inside events (Chromium's `goog:postData`): kept unless 'none'. Default 'all'. */
  captureBodies?: 'none' | 'text' | 'all';
  /** Truncate such bodies to this many bytes. Default: no limit. */
  maxBodyBytes?: number;
  /** The index of the first entry (a session's later capture continues where the previous one ended). Default 0. */
  firstIndex?: number;
}

/** What one event did. An entry created and finished by the same event reports `completed` / `failed`. */
export type IngestChange = 'created' | 'updated' | 'completed' | 'failed' | 'ignored' | 'filtered' | 'frame' | 'stream-event';

/** Result of {@link NetworkLog.ingest}. `entry` is the live entry (absent while shim data waits for its entry). */
export interface IngestResult {
  change: IngestChange;
  entry?: NetworkEntry;
  evicted?: NetworkEntry[];
  /**
   * Set when applying the event threw and it is the first event of its kind (method) to do so in this log: the
   * error's message, for the caller to report once. Later ones are only counted (`failedEvents`).
   */
  firstFailure?: string;
}

/** Counters over the whole capture (not reduced by eviction), plus the number of retained entries. */
export interface NetworkLogStats {
  requests: number;
  responses: number;
  failed: number;
  wsFrames: number;
  streamingResponses: number;
  streamEvents: number;
  dropped: number;
  filtered: number;
  /** Events that could not be applied because applying them threw (a bug or a protocol change; see `firstFailure`). */
  failedEvents: number;
  retained: number;
}

interface HopState {
  entry: NetworkEntry;
  /** Hop keys (`requestId:redirectCount`) that map to this entry. */
  keys: string[];
  dialect: BidiDialect;
  /** How the entry came to exist, for `source.request`. */
  origin: string;
  /** True for a WebSocket entry built from the page shim. */
  builtFromShim: boolean;
  socket?: ShimSocket;
  /** When this hop's events reached the capture (Chromium's end of response is estimated from them; not Firefox). */
  arrivals?: EventArrivals;
  /** The page's Resource Timing entry for this hop (Chromium's end of response is taken from it). */
  pageTiming?: PageResourceTiming;
  /** The FetchTimingInfo and name of the last event that set the timings, to recompute them when evidence comes. */
  lastTimings?: { raw: BidiFetchTimingInfo | undefined; method: string };
}

/** A page Resource Timing entry not yet matched to a hop (its network events may still be on their way). */
interface PendingPageTiming {
  url: string;
  context: string | undefined;
  timing: PageResourceTiming;
}

/** Marks a hop that no longer takes a page timing (it was completed long ago). */
const DONE_PAGE_TIMING: PageResourceTiming = Object.freeze({ startTime: 0, responseStart: 0, responseEnd: 0 });

/** How many unmatched page timing entries are kept, and how far a page entry's start may be from the hop's (ms). */
const PENDING_PAGE_TIMINGS = 256;
const PAGE_TIMING_WINDOW_MS = 1000;
/**
 * How many completed Chromium hops keep what a late page timing needs to recompute their end (raw timings,
 * arrivals); older ones drop it, so a long capture does not hold it for every entry.
 */
const RECENT_COMPLETED_HOPS = 512;

/** Earlier hops of a redirect chain looked at when checking an answer (browsers stop following at ~20). */
const MAX_CHAIN_WALK = 32;

/** How far back (in entries) a new shim socket looks for its network entry, and how old that entry may be. */
const LINK_SEARCH_DEPTH = 1000;
const LINK_WINDOW_MS = 5000;

type Counters = Omit<NetworkLogStats, 'retained'>;

function zeroCounters(): Counters {
  return {
    requests: 0,
    responses: 0,
    failed: 0,
    wsFrames: 0,
    streamingResponses: 0,
    streamEvents: 0,
    dropped: 0,
    filtered: 0,
    failedEvents: 0,
  };
}

/** A completed hop whose end is settled: drops what recomputing it needed, and takes no more page timing. */
function settleEndEvidence(state: HopState): void {
  state.lastTimings = undefined;
  state.arrivals = undefined;
  state.pageTiming = DONE_PAGE_TIMING;
}

/** Marks a change to an entry: its revision grows, so copies derived from it (redacted ones) are made again. */
function touch(entry: NetworkEntry): void {
  entry.revision = (entry.revision ?? 0) + 1;
}

/** Notes the first arrival of each kind of event of a hop. */
function recordArrival(arrivals: EventArrivals, method: string, receivedAt: number): void {
  if (method === 'network.beforeRequestSent') arrivals.requestSent ??= receivedAt;
  else if (method === 'network.responseStarted') arrivals.responseStarted ??= receivedAt;
  else if (method === 'network.responseCompleted') arrivals.responseCompleted ??= receivedAt;
}

/** True for an event stream that had its response and was aborted: the page closed it, it did not fail. */
function isStreamClosedByPage(entry: NetworkEntry, errorText: string | undefined): boolean {
  const aborted = errorText === 'net::ERR_ABORTED' || errorText === 'NS_BINDING_ABORTED';
  return aborted && entry.resourceType === 'eventsource' && entry.response !== undefined && entry.response.status < 400;
}

/**
 * True for a request that had a response without a body ({@link responseHasNoBody}: 1xx, 204, 205, 304) and was then
 * reported aborted: Chromium sometimes sends `net::ERR_ABORTED` for such a response before (or instead of)
 * `responseCompleted`, while the page got it. Once it arrived, an abort cannot have cut a body short.
 */
function isBodylessResponseAborted(entry: NetworkEntry, errorText: string | undefined): boolean {
  return errorText === 'net::ERR_ABORTED' && entry.response !== undefined && responseHasNoBody(entry.response.status);
}

/** The capture state: feed it BiDi events with {@link NetworkLog.ingest}, read entries back by index or id. */
export class NetworkLog {
  readonly #accept: ((draft: EntryDraft) => boolean) | undefined;
  readonly #maxEntries: number;
  readonly #bodyOptions: EventBodyOptions;
  readonly #retained = new RetainedQueue<HopState>();
  #nextIndex = 0;
  #byHopKey = new Map<string, HopState>();
  #byEntryId = new Map<string, HopState>();
  readonly #filteredHops = new BoundedKeySet();
  readonly #forgottenHops = new BoundedKeySet();
  readonly #shimSockets = new ShimSocketRegistry();
  #syntheticCount = 0;
  #pendingPageTimings: PendingPageTiming[] = [];
  #recentCompleted: HopState[] = [];
  #counters = zeroCounters();
  #evictedNow: NetworkEntry[] = [];
  /** Event kinds (methods) that have thrown while applied: only the first of each is reported. */
  readonly #failedKinds = new Set<string>();

  constructor(options: NetworkLogOptions = {}) {
    this.#accept = options.accept;
    const max = options.maxEntries;
    const unlimited = Number.POSITIVE_INFINITY;
    this.#maxEntries = max !== undefined && Number.isFinite(max) ? Math.max(1, Math.floor(max)) : unlimited;
    this.#bodyOptions = { mode: options.captureBodies ?? 'all', maxBodyBytes: options.maxBodyBytes ?? unlimited };
    this.#nextIndex = Math.max(0, Math.floor(options.firstIndex ?? 0));
  }

  /** The index the next entry will get; indexes below it were used (by this log or an earlier one) and never return. */
  get nextEntryIndex(): number {
    return this.#nextIndex;
  }

  /**
   * Applies one BiDi event (`network.beforeRequestSent|responseStarted|responseCompleted|fetchError`,
   * `script.message` from the page shim). Other events and malformed params are `ignored`; this never throws.
   * `receivedAt` (epoch ms) is when the event reached the capture: the fallback time when an event carries none,
   * and on Chromium the source of a response's end (its `responseEnd` marks the headers), so callers should pass the
   * arrival time of each event as precisely as they can.
   */
  ingest(method: string, params: unknown, receivedAt: number = Date.now()): IngestResult {
    this.#evictedNow = [];
    let result: IngestResult;
    try {
      if (method === 'script.message') result = this.#ingestScriptMessage(params, receivedAt);
      else if (method.startsWith('network.')) result = this.#ingestNetworkEvent(method, params, receivedAt);
      else result = { change: 'ignored' };
    } catch (error) {
      // Never throw at the recorder, but never hide it either: counted in stats, the first one per event kind handed
      // back for the recorder to report.
      this.#counters.failedEvents++;
      result = { change: 'ignored' };
      if (!this.#failedKinds.has(method)) {
        this.#failedKinds.add(method);
        result.firstFailure = error instanceof Error ? error.message : String(error);
      }
    }
    if (result.entry !== undefined) touch(result.entry);
    if (this.#evictedNow.length > 0) result.evicted = this.#evictedNow;
    return result;
  }

  /** Retained entries in index order (live objects; the array is a copy). */
  entries(): readonly NetworkEntry[] {
    return this.#retained.map((state) => state.entry);
  }

  /** The retained entry with this index, or undefined (never created, or evicted). */
  get(index: number): NetworkEntry | undefined {
    return this.#retained.at(index - (this.#nextIndex - this.#retained.size))?.entry;
  }

  /** The retained entry with this id (or whose BiDi hop key is this id, for merged WebSocket handshakes). */
  findById(id: string): NetworkEntry | undefined {
    return (this.#byEntryId.get(id) ?? this.#byHopKey.get(id))?.entry;
  }

  /**
   * Records a body of one of this log's entries (fetched from the browser later, or why it never will be). With
   * {@link markShaped}, the only ways code outside the model changes an entry.
   */
  setBody(entry: NetworkEntry, which: 'request' | 'response', body: BodyRecord): void {
    if (this.#byEntryId.get(entry.id)?.entry !== entry) return;
    if (which === 'request') entry.request.body = body;
    else if (entry.response) entry.response.body = body;
    else return;
    touch(entry);
  }

  /**
   * Records what a network rule or a HAR replay did to the retained entry with this id or hop key
   * (`shapedBy`). False when no retained entry has it (never recorded, filtered, or evicted).
   */
  markShaped(id: string, note: string): boolean {
    const entry = this.findById(id);
    if (entry === undefined) return false;
    entry.shapedBy = note;
    touch(entry);
    return true;
  }

  /** Capture counters. */
  stats(): NetworkLogStats {
    return { ...this.#counters, retained: this.#retained.size };
  }

  /**
   * Forgets everything: entries, counters, filters' memory, shim sockets. Indexes do not restart: an index names one
   * request for the life of the session, so a token or a note about `[10]` can never point at another request.
   */
  clear(): void {
    this.#retained.clear();
    this.#byHopKey = new Map();
    this.#byEntryId = new Map();
    this.#filteredHops.clear();
    this.#forgottenHops.clear();
    this.#shimSockets.clear();
    this.#pendingPageTimings = [];
    this.#recentCompleted = [];
    this.#counters = zeroCounters();
  }

  // ---- network.* events ----

  #ingestNetworkEvent(method: string, raw: unknown, receivedAt: number): IngestResult {
    const isResponse = method === 'network.responseStarted' || method === 'network.responseCompleted';
    const isError = method === 'network.fetchError';
    if (!isResponse && !isError && method !== 'network.beforeRequestSent') return { change: 'ignored' };
    const read = readNetworkEventParams(raw);
    if (read === undefined) return { change: 'ignored' };
    const params = isResponse ? this.#attributeRedirectResponse(read) : read;
    const key = hopKey(params.request.request, params.redirectCount);
    if (this.#filteredHops.has(key)) return { change: 'filtered' };
    if (this.#forgottenHops.has(key)) return { change: 'ignored' };

    let state = this.#byHopKey.get(key);
    if (isError && this.#isStrayFetchError(params, state)) return { change: 'ignored' };
    let created = false;
    if (state === undefined) {
      state = this.#mergeIntoSyntheticWebSocket(params, key);
      if (state === undefined) {
        const outcome = this.#createHop(params, method, key, receivedAt);
        if (outcome === 'filtered' || outcome === 'unusable') {
          return { change: outcome === 'filtered' ? 'filtered' : 'ignored' };
        }
        state = outcome;
        created = true;
      }
    }
    if (state.dialect === 'unknown') state.dialect = detectBidiDialect(params);
    const entry = state.entry;
    // Before anything is applied: an event that throws half-way still leaves the entry marked changed.
    touch(entry);
    if (state.dialect !== 'firefox') recordArrival((state.arrivals ??= {}), method, receivedAt);
    applyRequestData(entry, params, method, state.dialect, state.origin, this.#bodyOptions);
    if (isResponse && state.dialect === 'chromium' && state.pageTiming === undefined) this.#claimPendingPageTiming(state);
    // Kept only while the page's Resource Timing may still come to correct the end.
    if (state.dialect === 'chromium' && state.pageTiming === undefined) state.lastTimings = { raw: params.request.timings, method };
    else state.lastTimings = undefined;
    applyTimings(entry, params.request.timings, method, state.dialect, { arrivals: state.arrivals, page: state.pageTiming });

    let change: IngestChange = created ? 'created' : 'updated';
    if (isResponse) {
      const hadResponse = entry.response !== undefined;
      applyResponseData(entry, params, method, state.dialect);
      if (!hadResponse && entry.response !== undefined) this.#counters.responses++;
      this.#noteAnswerFromAnotherHop(entry);
      if (method === 'network.responseCompleted' && entry.state === 'pending') {
        entry.state = 'complete';
        change = 'completed';
        if (state.dialect === 'chromium' && state.pageTiming !== undefined) settleEndEvidence(state);
        else if (state.dialect === 'chromium') this.#keepForLatePageTiming(state);
      }
    } else if (isError && entry.state === 'pending' && isStreamClosedByPage(entry, params.errorText)) {
      // Chromium ends an EventSource the page closed with net::ERR_ABORTED and no responseCompleted.
      entry.state = 'complete';
      entry.source.stream = 'stream ended when the page closed it (Chromium reports this as net::ERR_ABORTED; not a failure)';
      change = 'completed';
    } else if (isError && entry.state === 'pending' && isBodylessResponseAborted(entry, params.errorText)) {
      entry.state = 'complete';
      entry.source.response = `BiDi network.responseStarted; ${String(entry.response?.status)} has no body, so the browser's later net::ERR_ABORTED is not a failure`;
      change = 'completed';
    } else if (isError && entry.state === 'pending') {
      entry.state = 'failed';
      entry.error = params.errorText || 'network error (no details)';
      if (entry.response === undefined) entry.source.response = 'no response: BiDi network.fetchError';
      this.#counters.failed++;
      change = 'failed';
    }
    this.#linkWaitingSocket(state);
    return { change, entry };
  }

  /**
   * Under load Chromium can send a redirect hop's response events with the next hop's redirectCount (and that hop's
   * request URL, sometimes its response URL too). A response whose URL is the previous hop's URL, not this hop's, or
   * a redirect whose Location is this hop's own URL, belongs to the previous hop. The other way round, it can send the
   * final answer with an earlier hop's redirectCount: a hop that has a next hop was redirected, so a response that
   * is not a redirect belongs to the last hop of the chain.
   */
  #attributeRedirectResponse(params: BidiNetworkEventParams): BidiNetworkEventParams {
    const toLast = this.#lastHopOfRedirectedChain(params);
    if (toLast !== undefined) return toLast;
    if (params.redirectCount === 0) return params;
    const previous = this.#byHopKey.get(hopKey(params.request.request, params.redirectCount - 1));
    if (previous === undefined) return params;
    const toPrevious = { ...params, redirectCount: params.redirectCount - 1, request: { ...params.request, url: previous.entry.url } };
    const responseUrl = params.response?.url;
    const hopUrl = urlOfEvent(params);
    if (responseUrl !== undefined && responseUrl !== hopUrl && previous.entry.url === responseUrl) return toPrevious;
    // The same race with the response URL rewritten too: a redirect whose Location is this hop's own URL is the
    // previous hop's answer (this hop exists because of it).
    // Only while the previous hop still waits for its answer: in a redirect loop (/a → /a) every hop's own answer has
    // a Location equal to its URL, and the previous hop has its answer already.
    if (isRedirectStatus(params.response?.status ?? 0) && previous.entry.response === undefined) {
      const location = findBidiHeader(params.response?.headers ?? [], 'location');
      if (location !== undefined && withoutFragment(location, previous.entry.url) === withoutFragment(hopUrl)) return toPrevious;
    }
    return params;
  }

  /** A response that is not a redirect, labelled with a hop that has a next hop: the same event for the last hop. */
  #lastHopOfRedirectedChain(params: BidiNetworkEventParams): BidiNetworkEventParams | undefined {
    const status = params.response?.status;
    if (status === undefined || isRedirectStatus(status)) return undefined;
    let redirectCount = params.redirectCount;
    let last: HopState | undefined;
    for (;;) {
      const next = this.#byHopKey.get(hopKey(params.request.request, redirectCount + 1));
      if (next === undefined) break;
      last = next;
      redirectCount += 1;
    }
    if (last === undefined) return undefined;
    return { ...params, redirectCount, request: { ...params.request, url: last.entry.url } };
  }

  /**
   * Chromium sends a stray `fetchError` (`net::ERR_ABORTED`, with method and URL `UNKNOWN` or with the stream's own)
   * after an EventSource the page closed has already completed. A fetchError for a hop that is no longer pending, or that names no request, is not
   * a failure.
   */
  #isStrayFetchError(params: BidiNetworkEventParams, state: HopState | undefined): boolean {
    if (state !== undefined) return state.entry.state !== 'pending';
    const url = urlOfEvent(params);
    return params.request.method === 'UNKNOWN' || url === 'UNKNOWN' || url === '';
  }

  #createHop(params: BidiNetworkEventParams, method: string, key: string, receivedAt: number): HopState | 'filtered' | 'unusable' {
    const url = urlOfEvent(params);
    if (url === '' || url === 'UNKNOWN') return 'unusable';
    const resourceType = resourceTypeOfEvent(params);
    const draft: EntryDraft = { url, method: params.request.method || 'GET', resourceType };
    if (this.#accept !== undefined && !this.#accept(draft)) {
      this.#filteredHops.add(key);
      this.#counters.filtered++;
      this.#filterSocketWaitingFor(params.context, url, resourceType);
      return 'filtered';
    }
    const entry = newEntry(params, this.#nextIndex, resourceType, receivedAt);
    const origin =
      method === 'network.beforeRequestSent'
        ? 'BiDi network.beforeRequestSent'
        : `BiDi network.${shortEventName(method)} (capture began after the request started)`;
    const state: HopState = { entry, keys: [key], dialect: detectBidiDialect(params), origin, builtFromShim: false };
    this.#linkRedirect(state, params);
    this.#addState(state);
    return state;
  }

  /** Links hop N to hop N-1 both ways; a redirected hop that got its response is complete. */
  #linkRedirect(state: HopState, params: BidiNetworkEventParams): void {
    if (params.redirectCount === 0) return;
    const previous = this.#byHopKey.get(hopKey(params.request.request, params.redirectCount - 1));
    if (previous === undefined) return;
    state.entry.redirect = { from: previous.entry.id };
    previous.entry.redirect = { ...previous.entry.redirect, to: state.entry.id };
    if (previous.entry.state === 'pending' && previous.entry.response !== undefined) previous.entry.state = 'complete';
    // The new hop is not indexed yet: its URL is passed along.
    this.#noteAnswerFromAnotherHop(previous.entry, state.entry.url);
    touch(previous.entry);
  }

  /** Says so on an entry of a redirect chain whose answer cannot be its own (Chromium's mapper race). */
  #noteAnswerFromAnotherHop(entry: NetworkEntry, nextUrl?: string): void {
    const response = entry.response;
    if (response === undefined || entry.redirect === undefined) return;
    const hop = (id: string | undefined): NetworkEntry | undefined => (id === undefined ? undefined : this.#byEntryId.get(id)?.entry);
    const earlierUrls: string[] = [];
    for (
      let earlier = hop(entry.redirect.from);
      earlier !== undefined && earlierUrls.length < MAX_CHAIN_WALK;
      earlier = hop(earlier.redirect?.from)
    ) {
      earlierUrls.push(earlier.url);
    }
    const facts = {
      url: entry.url,
      status: response.status,
      location: findHeader(response.headers, 'location'),
      earlierUrls,
      nextUrl: nextUrl ?? hop(entry.redirect.to)?.url,
    };
    if (isAnswerFromAnotherHop(facts)) entry.source.response = ANSWER_FROM_ANOTHER_HOP_NOTE;
  }

  #addState(state: HopState): void {
    this.#nextIndex++;
    this.#retained.push(state);
    for (const key of state.keys) this.#byHopKey.set(key, state);
    this.#byEntryId.set(state.entry.id, state);
    this.#counters.requests++;
    this.#evictOverflow();
  }

  #evictOverflow(): void {
    while (this.#retained.size > this.#maxEntries) {
      const state = this.#retained.shift();
      if (state === undefined) break;
      for (const key of state.keys) {
        this.#byHopKey.delete(key);
        this.#forgottenHops.add(key);
      }
      this.#byEntryId.delete(state.entry.id);
      if (state.socket !== undefined) this.#shimSockets.delete(state.socket.key);
      this.#evictedNow.push(state.entry);
      this.#counters.dropped++;
    }
  }

  // ---- linking shim sockets and entries ----

  /** Firefox's handshake arriving after the shim already built the WebSocket's entry: reuse that entry. */
  #mergeIntoSyntheticWebSocket(params: BidiNetworkEventParams, key: string): HopState | undefined {
    if (params.redirectCount !== 0) return undefined;
    const socket = this.#shimSockets.findSyntheticAwaitingHandshake(params.context, urlOfEvent(params));
    const state = socket?.entryId === undefined ? undefined : this.#byEntryId.get(socket.entryId);
    if (socket === undefined || state === undefined || resourceTypeOfEvent(params) !== 'websocket') return undefined;
    socket.handshakeMerged = true;
    state.keys.push(key);
    this.#byHopKey.set(key, state);
    state.origin = 'BiDi network.beforeRequestSent, merged into the entry built from the page shim';
    state.dialect = detectBidiDialect(params);
    return state;
  }

  /** A websocket/eventsource entry takes the oldest shim socket waiting for it (same context and URL). */
  #linkWaitingSocket(state: HopState): void {
    const entry = state.entry;
    if (state.socket !== undefined) return;
    const kind = entry.resourceType === 'websocket' ? 'ws' : entry.resourceType === 'eventsource' ? 'sse' : undefined;
    if (kind === undefined) return;
    const socket = this.#shimSockets.findWaiting(kind, entry.context, entry.url);
    if (socket !== undefined) this.#link(socket, state);
  }

  /**
   * The newest entry a just-created shim socket belongs to, when its network events arrived first: same context
   * and URL, no socket yet, started at most {@link LINK_WINDOW_MS} before the socket, among the last
   * {@link LINK_SEARCH_DEPTH} entries. An EventSource entry may be pending (typed `other` until its response says
   * more), or already finished as an EventSource: under load the page shim's messages can arrive after the stream's
   * last network event (seen on Chromium).
   */
  #findEntryForNewSocket(socket: ShimSocket): HopState | undefined {
    const url = expectedEntryUrl(socket);
    const oldest = socket.createdAt - LINK_WINDOW_MS;
    const ws = socket.kind === 'ws';
    return this.#retained.findNewest(LINK_SEARCH_DEPTH, (state) => {
      if (state.socket !== undefined || state.builtFromShim) return false;
      const entry = state.entry;
      // The cheap tests first: most entries are neither WebSockets nor pending streams.
      if (
        ws
          ? entry.resourceType !== 'websocket'
          : entry.resourceType !== 'eventsource' && (entry.state !== 'pending' || entry.resourceType !== 'other')
      ) {
        return false;
      }
      return entry.url === url && sameContext(entry.context, socket.context) && entry.startedAt >= oldest;
    });
  }

  #link(socket: ShimSocket, state: HopState): void {
    socket.entryId = state.entry.id;
    state.socket = socket;
    const entry = state.entry;
    if (socket.webSocket !== undefined) {
      entry.webSocket = socket.webSocket;
      entry.source.webSocket = shimSourceNote(socket);
    }
    if (socket.stream !== undefined) {
      entry.stream = socket.stream;
      entry.resourceType = 'eventsource';
      entry.source.stream = shimSourceNote(socket);
      this.#counters.streamingResponses++;
    }
  }

  /** A filtered EventSource/WebSocket request: its shim socket is filtered too. */
  #filterSocketWaitingFor(context: string | undefined, url: string, resourceType: ResourceType): void {
    if (resourceType !== 'websocket' && resourceType !== 'eventsource') return;
    const socket = this.#shimSockets.findWaiting(resourceType === 'websocket' ? 'ws' : 'sse', context, url);
    if (socket !== undefined) this.#shimSockets.markFiltered(socket.key);
  }

  // ---- the page's Resource Timing (Chromium's end of response) ----

  /** True when a page timing entry for `url` in `context`, started at `startTime`, can belong to this hop. */
  #pageTimingFits(state: HopState, url: string, context: string | undefined, startTime: number): boolean {
    const entry = state.entry;
    return (
      state.dialect === 'chromium' &&
      state.pageTiming === undefined &&
      entry.redirectCount === 0 &&
      entry.redirect?.to === undefined &&
      entry.url === url &&
      sameContext(entry.context, context) &&
      Math.abs(entry.startedAt - startTime) <= PAGE_TIMING_WINDOW_MS
    );
  }

  /** Page timing entries of one shim message; the result names the last entry updated. */
  #ingestPageTimings(entries: readonly PageTimingEntry[], context: string | undefined): IngestResult {
    let updated: NetworkEntry | undefined;
    for (const item of entries) updated = this.#ingestPageTiming(item.url, context, item.timing) ?? updated;
    return updated === undefined ? { change: 'ignored' } : { change: 'updated', entry: updated };
  }

  /** Chromium hops only: the page's timing goes to the hop with that URL whose start is nearest, or waits. */
  #ingestPageTiming(url: string, context: string | undefined, timing: PageResourceTiming): NetworkEntry | undefined {
    let best: HopState | undefined;
    this.#retained.findNewest(LINK_SEARCH_DEPTH, (state) => {
      if (!this.#pageTimingFits(state, url, context, timing.startTime)) return false;
      const distance = Math.abs(state.entry.startedAt - timing.startTime);
      if (best === undefined || distance < Math.abs(best.entry.startedAt - timing.startTime)) best = state;
      return false;
    });
    if (best === undefined) {
      this.#pendingPageTimings.push({ url, context, timing });
      if (this.#pendingPageTimings.length > PENDING_PAGE_TIMINGS) this.#pendingPageTimings.shift();
      return undefined;
    }
    this.#usePageTiming(best, timing);
    return best.entry;
  }

  /** A completed Chromium hop keeps its end evidence while it is among the last {@link RECENT_COMPLETED_HOPS}. */
  #keepForLatePageTiming(state: HopState): void {
    this.#recentCompleted.push(state);
    if (this.#recentCompleted.length <= RECENT_COMPLETED_HOPS) return;
    const old = this.#recentCompleted.splice(0, this.#recentCompleted.length - RECENT_COMPLETED_HOPS);
    for (const done of old) settleEndEvidence(done);
  }

  /** A response event of a Chromium hop: takes a page timing entry that arrived before it, if one fits. */
  #claimPendingPageTiming(state: HopState): void {
    const at = this.#pendingPageTimings.findIndex((pending) =>
      this.#pageTimingFits(state, pending.url, pending.context, pending.timing.startTime),
    );
    if (at < 0) return;
    const [pending] = this.#pendingPageTimings.splice(at, 1);
    if (pending !== undefined) state.pageTiming = pending.timing;
  }

  #usePageTiming(state: HopState, timing: PageResourceTiming): void {
    state.pageTiming = timing;
    const last = state.lastTimings;
    if (last === undefined) return;
    touch(state.entry);
    applyTimings(state.entry, last.raw, last.method, state.dialect, { arrivals: state.arrivals, page: timing });
    if (state.entry.state !== 'pending') settleEndEvidence(state);
  }

  // ---- script.message from the page shim ----

  #ingestScriptMessage(raw: unknown, receivedAt: number): IngestResult {
    const params = readScriptMessageParams(raw);
    if (params === undefined || !isShimChannel(params.channel)) return { change: 'ignored' };
    const json = shimJsonFromRemoteValue(params.data);
    const message = json === undefined ? undefined : parseShimMessage(json);
    if (message === undefined) return { change: 'ignored' };
    if (message.kind === 'rt') return this.#ingestPageTimings(message.entries, params.context);
    const key = shimSocketKey(params.realm ?? params.context ?? 'unknown-realm', message);
    if (this.#shimSockets.isFiltered(key)) return { change: 'filtered' };
    const time = message.time ?? receivedAt;
    if (message.kind === 'ws-create' || message.kind === 'sse-create') {
      const socket = newShimSocket(key, message.kind === 'ws-create' ? 'ws' : 'sse', message.url, params.context, time);
      this.#shimSockets.add(socket);
      const match = this.#findEntryForNewSocket(socket);
      if (match === undefined) return { change: 'updated' };
      this.#link(socket, match);
      return { change: 'updated', entry: match.entry };
    }
    const socket = this.#shimSockets.get(key);
    if (socket === undefined) return { change: 'ignored' };
    return socket.kind === 'ws' ? this.#onWebSocketMessage(socket, message, time) : this.#onEventSourceMessage(socket, message, time);
  }

  #onWebSocketMessage(socket: ShimSocket, message: ShimMessage, time: number): IngestResult {
    const outcome = applyWebSocketMessage(socket, message, time);
    if (outcome.change === 'ignored') return { change: 'ignored' };
    if (outcome.change === 'frame') this.#counters.wsFrames++;
    if (outcome.finished) this.#shimSockets.delete(socket.key);
    const state = this.#entryStateFor(socket);
    if (state === 'filtered') return { change: 'filtered' };
    if (state === undefined) return { change: 'ignored' };
    const entry = state.entry;
    entry.source.webSocket = shimSourceNote(socket);
    let change: IngestChange = outcome.change;
    if (state.builtFromShim && entry.state === 'pending') {
      if (socket.opened) entry.state = 'complete';
      else if (outcome.failure !== undefined) {
        entry.state = 'failed';
        entry.error = outcome.failure;
        this.#counters.failed++;
        change = 'failed';
      }
    }
    return { change, entry };
  }

  #onEventSourceMessage(socket: ShimSocket, message: ShimMessage, time: number): IngestResult {
    const outcome = applyEventSourceMessage(socket, message, time);
    if (outcome.change === 'ignored') return { change: 'ignored' };
    if (outcome.change === 'stream-event') this.#counters.streamEvents++;
    const state = this.#entryStateFor(socket);
    if (state === 'filtered') return { change: 'filtered' };
    // Not linked yet: the messages wait in the socket until the network entry appears.
    if (state === undefined) return { change: outcome.change };
    state.entry.source.stream = shimSourceNote(socket);
    if (outcome.finished) this.#shimSockets.delete(socket.key);
    return { change: outcome.change, entry: state.entry };
  }

  /**
   * The socket's entry. A WebSocket without one gets a synthetic entry now (Chromium sends no handshake events;
   * waiting any longer could mean waiting forever). Undefined for an EventSource still waiting, or an evicted entry.
   */
  #entryStateFor(socket: ShimSocket): HopState | 'filtered' | undefined {
    if (socket.entryId !== undefined) {
      const state = this.#byEntryId.get(socket.entryId);
      if (state === undefined) this.#shimSockets.delete(socket.key);
      return state;
    }
    if (socket.kind === 'sse') return undefined;
    if (this.#accept !== undefined && !this.#accept({ url: socket.url, method: 'GET', resourceType: 'websocket' })) {
      this.#shimSockets.markFiltered(socket.key);
      this.#counters.filtered++;
      return 'filtered';
    }
    const entry = newSyntheticWebSocketEntry(this.#nextIndex, `shim-ws-${++this.#syntheticCount}`, socket);
    const origin = entry.source.request ?? '';
    const state: HopState = { entry, keys: [], dialect: 'unknown', origin, builtFromShim: true };
    socket.synthetic = true;
    this.#link(socket, state);
    this.#addState(state);
    return state;
  }
}
