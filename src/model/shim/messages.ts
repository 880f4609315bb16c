/**
 * Messages the page shim (`src/capture/page-shim.ts`) posts through a BiDi channel (`script.message`): one JSON
 * string per WebSocket / EventSource lifecycle step. BiDi has no WebSocket or EventSource events
 * (w3c/webdriver-bidi#841), so this is how frames and stream messages reach the model.
 *
 * Wire format (the `k` field names the kind; `t` = `performance.timeOrigin + performance.now()`, epoch ms):
 * - `{"k":"ws-create","id":1,"url":"ws://…","t":…}`; `ws-open` {url, protocol, extensions};
 *   `ws-send` / `ws-recv` {text} or {binary:true, size, b64?}, plus `size` and `truncated:true` when the shim cut a
 *   long text; `ws-close` {code, reason, wasClean}; `ws-error`.
 * - `sse-create` {url}; `sse-open`; `sse-msg` {event, lastEventId, text, truncated?}; `sse-error` {readyState};
 *   `sse-close`.
 * - `rt` {e: [[url, st, rs, re], …]}: the page's PerformanceResourceTiming (and navigation) entries of one observer
 *   callback: `st` = startTime, `rs` = responseStart (0 when the browser hides it: cross-origin without
 *   Timing-Allow-Origin), `re` = responseEnd, each as epoch ms on the page clock.
 * `id` counts per document and per kind, so sockets are keyed by (realm, kind, id).
 */
import { asBoolean, asNumber, asRecord, asString } from '../bidi/types.js';

/** The channel name the shim posts on. */
export const SHIM_CHANNEL = 'bidiscope';

/** True when `channel` is the one the shim posts on. */
export function isShimChannel(channel: string): boolean {
  return channel === SHIM_CHANNEL;
}

/** A frame payload: text, or binary with its size and (when the shim could read it) base64 bytes. */
export type ShimPayload =
  | { type: 'text'; text: string; size?: number; truncated: boolean }
  | { type: 'binary'; size?: number; base64?: string };

interface ShimBase {
  id: number;
  /** Epoch ms from the page clock, when sent. */
  time?: number;
}

/** One parsed shim message. */
export type ShimMessage =
  | (ShimBase & { kind: 'ws-create'; url: string })
  | (ShimBase & { kind: 'ws-open'; url?: string; protocol?: string; extensions?: string })
  | (ShimBase & { kind: 'ws-send' | 'ws-recv'; payload: ShimPayload })
  | (ShimBase & { kind: 'ws-close'; code?: number; reason?: string; wasClean?: boolean })
  | (ShimBase & { kind: 'ws-error' })
  | (ShimBase & { kind: 'sse-create'; url: string })
  | (ShimBase & { kind: 'sse-open' })
  | (ShimBase & { kind: 'sse-msg'; event: string; lastEventId?: string; text: string; truncated: boolean })
  | (ShimBase & { kind: 'sse-error'; readyState?: number })
  | (ShimBase & { kind: 'sse-close' })
  | (ShimBase & { kind: 'rt'; entries: PageTimingEntry[] });

/** One page Resource Timing entry: the URL and its times. */
export interface PageTimingEntry {
  url: string;
  timing: PageResourceTiming;
}

/** A response's times as the page's Resource Timing saw them (epoch ms on the page clock; 0 = hidden). */
export interface PageResourceTiming {
  startTime: number;
  responseStart: number;
  responseEnd: number;
}

function readPayload(record: Record<string, unknown>): ShimPayload | undefined {
  const text = asString(record['text']);
  if (text !== undefined) {
    const payload: ShimPayload = { type: 'text', text, truncated: record['truncated'] === true };
    const size = asNumber(record['size']);
    if (size !== undefined && size >= 0) payload.size = size;
    return payload;
  }
  if (record['binary'] !== true) return undefined;
  const payload: ShimPayload = { type: 'binary' };
  const size = asNumber(record['size']);
  const base64 = asString(record['b64']);
  if (size !== undefined && size >= 0) payload.size = size;
  if (base64 !== undefined) payload.base64 = base64;
  return payload;
}

/** Reads `[url, st, rs, re]` tuples, skipping malformed ones (no URL, no responseEnd). */
function readPageTimings(raw: readonly unknown[]): PageTimingEntry[] {
  const entries: PageTimingEntry[] = [];
  for (const item of raw) {
    if (!Array.isArray(item)) continue;
    const url = asString(item[0]);
    const startTime = asNumber(item[1]);
    const responseStart = asNumber(item[2]) ?? 0;
    const responseEnd = asNumber(item[3]);
    if (url === undefined || url === '' || startTime === undefined || responseEnd === undefined || responseEnd <= 0) continue;
    entries.push({ url, timing: { startTime, responseStart, responseEnd } });
  }
  return entries;
}

function readMessage(record: Record<string, unknown>): ShimMessage | undefined {
  const kind = asString(record['k']);
  const id = asNumber(record['id']);
  if (kind === undefined || id === undefined) return undefined;
  const time = asNumber(record['t']);
  const base: ShimBase = time === undefined ? { id } : { id, time };
  switch (kind) {
    case 'ws-create':
    case 'sse-create': {
      const url = asString(record['url']);
      return url === undefined || url === '' ? undefined : { ...base, kind, url };
    }
    case 'ws-open':
      return {
        ...base,
        kind,
        url: asString(record['url']),
        protocol: asString(record['protocol']),
        extensions: asString(record['extensions']),
      };
    case 'ws-send':
    case 'ws-recv': {
      const payload = readPayload(record);
      return payload === undefined ? undefined : { ...base, kind, payload };
    }
    case 'ws-close':
      return {
        ...base,
        kind,
        code: asNumber(record['code']),
        reason: asString(record['reason']),
        wasClean: asBoolean(record['wasClean']),
      };
    case 'ws-error':
    case 'sse-open':
    case 'sse-close':
      return { ...base, kind };
    case 'sse-msg':
      return {
        ...base,
        kind,
        event: asString(record['event']) || 'message',
        lastEventId: asString(record['lastEventId']) || undefined,
        text: asString(record['text']) ?? '',
        truncated: record['truncated'] === true,
      };
    case 'sse-error':
      return { ...base, kind, readyState: asNumber(record['readyState']) };
    case 'rt': {
      const entries = Array.isArray(record['e']) ? readPageTimings(record['e']) : [];
      return entries.length === 0 ? undefined : { ...base, kind, entries };
    }
    default:
      return undefined;
  }
}

/** Parses one shim message (a JSON string). Undefined for anything that is not a well-formed shim message. */
export function parseShimMessage(json: string): ShimMessage | undefined {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  const record = asRecord(value);
  return record === undefined ? undefined : readMessage(record);
}

/**
 * The JSON text inside a `script.message` `data` value: a `script.RemoteValue` of type `string`.
 * https://w3c.github.io/webdriver-bidi/#type-script-RemoteValue
 */
export function shimJsonFromRemoteValue(data: unknown): string | undefined {
  const record = asRecord(data);
  return record?.['type'] === 'string' ? asString(record['value']) : undefined;
}
