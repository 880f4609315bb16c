/**
 * `network.FetchTimingInfo` → HAR-style {@link Timings} and a start time.
 * https://w3c.github.io/webdriver-bidi/#type-network-FetchTimingInfo
 *
 * Two conventions meet here. The spec (and Chromium) make every field relative to `timeOrigin`, an epoch time;
 * Firefox sends `timeOrigin: 0` and absolute epoch ms. `timeOrigin + X` is the absolute time in both, as long as X
 * is non-zero: 0 means "not measured" (Chromium reports dns/connect as 0 for reused or local connections; Firefox
 * does the same for a reused connection). A phase with an unmeasured endpoint stays undefined.
 */
import type { BidiDialect, BidiFetchTimingInfo } from './bidi-types.js';
import type { Timings } from './types.js';

type TimingField = Exclude<keyof BidiFetchTimingInfo, 'timeOrigin'>;

/** Absolute epoch ms of a timing field, or undefined when the browser reported 0 / nothing. */
export function absoluteTiming(timings: BidiFetchTimingInfo, field: TimingField): number | undefined {
  const value = timings[field];
  if (value === undefined || value === 0 || !Number.isFinite(value)) return undefined;
  return (timings.timeOrigin ?? 0) + value;
}

/**
 * Absolute epoch ms the request started: `requestTime`, else `fetchStart`, else a non-zero `timeOrigin`
 * (Chromium: fields are relative to it and `requestTime` 0 means "at the origin"). Undefined when none is known.
 */
export function requestStartTime(timings: BidiFetchTimingInfo | undefined): number | undefined {
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
export function startedAtFromBidi(
  timings: BidiFetchTimingInfo | undefined,
  eventTimestamp: number | undefined,
  fallback: number,
): number {
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
 */
export function timingsFromBidi(
  raw: BidiFetchTimingInfo | undefined,
  dialect: BidiDialect = 'unknown',
): ConvertedTimings {
  if (raw === undefined) return { timings: {}, notes: ['no timing info in the event'] };
  const start = requestStartTime(raw);
  const dnsStart = absoluteTiming(raw, 'dnsStart');
  const connectStart = absoluteTiming(raw, 'connectStart');
  const connectEnd = absoluteTiming(raw, 'connectEnd');
  const tlsStart = absoluteTiming(raw, 'tlsStart');
  const requestStart = absoluteTiming(raw, 'requestStart');
  const responseStart = absoluteTiming(raw, 'responseStart');
  const responseEnd = absoluteTiming(raw, 'responseEnd');

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
  if (responseEnd === undefined) notes.push('receive/total: responseEnd not reported');
  return { timings, notes };
}
