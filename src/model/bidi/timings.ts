/**
 * `network.FetchTimingInfo` → HAR-style {@link Timings} and a start time.
 * https://w3c.github.io/webdriver-bidi/#type-network-FetchTimingInfo
 *
 * Two conventions meet here. The spec (and Chromium) make every field relative to `timeOrigin`, an epoch time;
 * Firefox sends `timeOrigin: 0` and absolute epoch ms. `timeOrigin + X` is the absolute time in both, as long as X
 * is non-zero: 0 means "not measured" (Chromium reports dns/connect as 0 for reused or local connections; Firefox
 * does the same for a reused connection). A phase with an unmeasured endpoint stays undefined.
 */
import type { BidiDialect, BidiFetchTimingInfo } from './types.js';
import type { PageResourceTiming } from '../shim/messages.js';
import type { Timings } from '../types.js';

type TimingField = Exclude<keyof BidiFetchTimingInfo, 'timeOrigin'>;

/** Absolute epoch ms of a timing field, or undefined when the browser reported 0 / nothing. */
function absoluteTiming(timings: BidiFetchTimingInfo, field: TimingField): number | undefined {
  const value = timings[field];
  if (value === undefined || value === 0 || !Number.isFinite(value)) return undefined;
  return (timings.timeOrigin ?? 0) + value;
}

/**
 * Absolute epoch ms the request started: `requestTime`, else `fetchStart`, else a non-zero `timeOrigin`
 * (Chromium: fields are relative to it and `requestTime` 0 means "at the origin"). Undefined when none is known.
 */
function requestStartTime(timings: BidiFetchTimingInfo | undefined): number | undefined {
  if (timings === undefined) return undefined;
  const origin = timings.timeOrigin;
  return (
    absoluteTiming(timings, 'requestTime') ??
    absoluteTiming(timings, 'fetchStart') ??
    (origin !== undefined && origin > 0 ? origin : undefined)
  );
}

/**
 * Epoch ms for an entry's `startedAt`: `timeOrigin + requestTime` (or `+ fetchStart`) when non-zero, else the event
 * `timestamp`, else a non-zero `timeOrigin`, else `fallback` (e.g. when the event arrived).
 */
export function startedAtFromBidi(timings: BidiFetchTimingInfo | undefined, eventTimestamp: number | undefined, fallback: number): number {
  if (timings !== undefined) {
    const measured = absoluteTiming(timings, 'requestTime') ?? absoluteTiming(timings, 'fetchStart');
    if (measured !== undefined) return measured;
  }
  if (eventTimestamp !== undefined && eventTimestamp > 0) return eventTimestamp;
  return requestStartTime(timings) ?? fallback;
}

/** Result of {@link timingsFromBidi}: the phases and why some are missing. */
export interface ConvertedTimings {
  timings: Timings;
  /** Short notes on missing phases, for `entry.source.timings`. */
  notes: string[];
  /** Phases that are estimates rather than the browser's measurement (see {@link ResponseEndEstimate}). */
  estimated: readonly (keyof Timings)[];
}

/**
 * When a hop's events arrived (epoch ms on the capturing process's clock), to estimate the end of a response the
 * browser does not report. Chromium 156's `responseEnd` equals `responseStart` (the headers' arrival) and every event
 * carries the request's start as `timestamp`; only the arrival of `network.responseCompleted` tells when the body
 * ended. Measured on loopback, events reach the client 5–25 ms after the fact, about the same delay for each event
 * of a request, so the arrival gap between two events of the request is mapped onto the request's clock.
 */
export interface EventArrivals {
  /** `network.beforeRequestSent` arrived. */
  requestSent?: number;
  /** `network.responseStarted` arrived. */
  responseStarted?: number;
  /** `network.responseCompleted` arrived. */
  responseCompleted?: number;
}

/** What besides the event's FetchTimingInfo tells when a Chromium response ended. */
export interface EndEvidence {
  /** When the hop's events reached the capture. */
  arrivals?: EventArrivals;
  /** The page's Resource Timing entry for this response (from the page shim). Wins over the arrivals. */
  page?: PageResourceTiming;
}

/** The estimate is used only when it is later than the reported end by more than this (ms): noise is not a body. */
const ESTIMATE_MIN_GAIN_MS = 1;

/**
 * Chromium's end of response, estimated from event arrivals: `responseStart + (arrival(responseCompleted) −
 * arrival(responseStarted))`, else `start + (arrival(responseCompleted) − arrival(beforeRequestSent))`. Undefined
 * when the arrivals needed are not known.
 */
export function estimateResponseEnd(raw: BidiFetchTimingInfo, arrivals: EventArrivals): number | undefined {
  const completed = arrivals.responseCompleted;
  if (completed === undefined) return undefined;
  const responseStart = absoluteTiming(raw, 'responseStart');
  if (responseStart !== undefined && arrivals.responseStarted !== undefined && completed >= arrivals.responseStarted) {
    return responseStart + (completed - arrivals.responseStarted);
  }
  const start = requestStartTime(raw);
  if (start !== undefined && arrivals.requestSent !== undefined && completed >= arrivals.requestSent) {
    return start + (completed - arrivals.requestSent);
  }
  return undefined;
}

function span(start: number | undefined, end: number | undefined): number | undefined {
  if (start === undefined || end === undefined) return undefined;
  const duration = end - start;
  return duration >= 0 ? round3(duration) : undefined;
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/**
 * HAR-like phases in ms: blocked (start → first network phase), dns, connect (includes TLS, as in HAR), ssl,
 * wait (requestStart → responseStart; BiDi has no request-end time, so `send` is undefined and included in wait),
 * receive (responseStart → responseEnd) and total (start → responseEnd). Never negative, never a made-up 0.
 *
 * On Chromium the reported `responseEnd` marks the headers. With `evidence`, the end is taken, in this order, from
 * the page's Resource Timing entry (measured by the browser: `responseStart + (page responseEnd − page
 * responseStart)`), else from when the events arrived ({@link estimateResponseEnd}; receive and total are then
 * listed in `estimated`). Without either, a Chromium response's receive and total stay unknown rather than wrong.
 */
export function timingsFromBidi(
  raw: BidiFetchTimingInfo | undefined,
  dialect: BidiDialect = 'unknown',
  evidence?: EndEvidence,
): ConvertedTimings {
  if (raw === undefined) return { timings: {}, notes: ['no timing info in the event'], estimated: NO_PHASES };
  const start = requestStartTime(raw);
  const dnsStart = absoluteTiming(raw, 'dnsStart');
  const connectStart = absoluteTiming(raw, 'connectStart');
  const connectEnd = absoluteTiming(raw, 'connectEnd');
  const tlsStart = absoluteTiming(raw, 'tlsStart');
  const requestStart = absoluteTiming(raw, 'requestStart');
  const responseStart = absoluteTiming(raw, 'responseStart');
  const end = chromiumResponseEnd(raw, dialect, evidence);
  const responseEnd = end.value;

  const timings: Timings = {};
  const blocked = span(start, dnsStart ?? connectStart ?? requestStart);
  const dns = span(dnsStart, absoluteTiming(raw, 'dnsEnd'));
  const connect = span(connectStart, connectEnd);
  const ssl = span(tlsStart, absoluteTiming(raw, 'tlsEnd') ?? connectEnd);
  const wait = span(requestStart, responseStart);
  const receive = span(responseStart, responseEnd);
  const total = span(start, responseEnd);
  if (blocked !== undefined) timings.blocked = blocked;
  if (dns !== undefined) timings.dns = dns;
  if (connect !== undefined) timings.connect = connect;
  if (ssl !== undefined) timings.ssl = ssl;
  if (wait !== undefined) timings.wait = wait;
  if (receive !== undefined) timings.receive = receive;
  if (total !== undefined) timings.total = total;

  const notes: string[] = [];
  if (dns === undefined && connect === undefined) {
    notes.push(
      dialect === 'chromium'
        ? 'dns/connect: Chromium reports dns/connect as 0 for reused or local connections'
        : 'dns/connect: not measured (connection reused, or not reported)',
    );
  } else if (dns === undefined) notes.push('dns: not measured');
  else if (connect === undefined) notes.push('connect: not measured (connection not completed)');
  if (ssl === undefined && tlsStart === undefined && (dns !== undefined || connect !== undefined)) {
    notes.push('ssl: no TLS handshake reported');
  }
  notes.push('send: BiDi has no request-end time; it is included in wait');
  if (end.note !== undefined) notes.push(end.note);
  else if (responseEnd === undefined) notes.push('receive/total: responseEnd not reported');
  return { timings, notes, estimated: end.estimated ? estimatedPhases(timings) : NO_PHASES };
}

// Shared, frozen lists of estimated phases: an entry holds one of these instead of an array of its own (~140 bytes
// per Chromium entry at 10k entries).
const NO_PHASES: readonly (keyof Timings)[] = Object.freeze([]);
const RECEIVE_AND_TOTAL: readonly (keyof Timings)[] = Object.freeze(['receive', 'total'] as const);
const RECEIVE_ONLY: readonly (keyof Timings)[] = Object.freeze(['receive'] as const);
const TOTAL_ONLY: readonly (keyof Timings)[] = Object.freeze(['total'] as const);

/** Which of receive and total an estimated end gave (those the timings have). */
function estimatedPhases(timings: Timings): readonly (keyof Timings)[] {
  if (timings.receive !== undefined) return timings.total !== undefined ? RECEIVE_AND_TOTAL : RECEIVE_ONLY;
  return timings.total !== undefined ? TOTAL_ONLY : NO_PHASES;
}

const CHROMIUM_END_NOTE = "Chromium's responseEnd marks the headers, not the end of the body";

/**
 * Chromium's end of response from the page's Resource Timing, on the request's clock: the page's body duration
 * added to the BiDi `responseStart`, else (responseStart hidden cross-origin) the page's whole duration added to the
 * request's start.
 */
function pageResponseEnd(raw: BidiFetchTimingInfo, page: PageResourceTiming): number | undefined {
  if (!(page.responseEnd > 0)) return undefined;
  const responseStart = absoluteTiming(raw, 'responseStart');
  if (responseStart !== undefined && page.responseStart > 0 && page.responseEnd >= page.responseStart) {
    return responseStart + (page.responseEnd - page.responseStart);
  }
  const start = requestStartTime(raw);
  if (start !== undefined && page.responseEnd >= page.startTime) return start + (page.responseEnd - page.startTime);
  return undefined;
}

/**
 * The end of the response to use: the reported `responseEnd`, or on Chromium the page's Resource Timing, else the
 * estimate from event arrivals (once `network.responseCompleted` has arrived), else undefined with a note.
 */
function chromiumResponseEnd(
  raw: BidiFetchTimingInfo,
  dialect: BidiDialect,
  evidence: EndEvidence | undefined,
): { value: number | undefined; estimated: boolean; note?: string } {
  const reported = absoluteTiming(raw, 'responseEnd');
  if (dialect !== 'chromium' || evidence === undefined) return { value: reported, estimated: false };
  const fromPage = evidence.page === undefined ? undefined : pageResponseEnd(raw, evidence.page);
  if (fromPage !== undefined) {
    if (reported !== undefined && fromPage <= reported) return { value: reported, estimated: false };
    // No response start: the request ended without a response (refused, reset), and the page timed how long it took.
    const note =
      absoluteTiming(raw, 'responseStart') === undefined
        ? "total: from the page's Resource Timing (PerformanceResourceTiming.responseEnd: when the request ended, with no response)"
        : `receive/total: from the page's Resource Timing (PerformanceResourceTiming.responseEnd; ${CHROMIUM_END_NOTE})`;
    return { value: fromPage, estimated: false, note };
  }
  const arrivals = evidence.arrivals ?? {};
  if (arrivals.responseCompleted === undefined) {
    // Headers only so far: the body's end is not known yet.
    return { value: undefined, estimated: false, note: `receive/total: not known before network.responseCompleted (${CHROMIUM_END_NOTE})` };
  }
  const estimate = estimateResponseEnd(raw, arrivals);
  if (estimate === undefined) {
    return {
      value: undefined,
      estimated: false,
      note: `receive/total: unknown (${CHROMIUM_END_NOTE}; the events needed to estimate it were not seen)`,
    };
  }
  if (reported !== undefined && estimate <= reported + ESTIMATE_MIN_GAIN_MS) return { value: reported, estimated: false };
  return {
    value: estimate,
    estimated: true,
    note: `receive/total: estimated from event arrival (${CHROMIUM_END_NOTE}; end = when network.responseCompleted arrived, mapped onto the request's clock)`,
  };
}
