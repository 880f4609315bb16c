/** Capture model → HAR 1.2. Pure: returns an object; the caller serializes and writes it. */
import { findHeader } from '../model/headers.js';
import { METHODS_WITHOUT_BODY } from '../model/http.js';
import type { BodyRecord, NetworkEntry, Timings } from '../model/types.js';
import { bodyMimeType, bodyText } from '../model/body-kind.js';
import { base64DecodedLength, utf8ByteLength } from '../lib/bytes.js';
import { harCookieFromCookie, harCookiesFromCookieHeader, harCookiesFromSetCookieHeaders } from './cookies.js';
import { assignPages } from './pages.js';
import type { PageInput } from './pages.js';
import type { Har, HarContent, HarEntry, HarPostData, HarQueryParam, HarRequest, HarResponse, HarTimings } from './types.js';

export interface BuildHarOptions {
  /** bidiscope's version, for `log.creator.version`. */
  creatorVersion: string;
  browser: { name: string; version: string };
  /** Include body text (HTTP bodies, WebSocket frame payloads, SSE data). Sizes and metadata are always written. */
  includeBodies: boolean;
  /** Known pages; when omitted, pages are derived from navigations/documents (see `assignPages`). */
  pages?: PageInput[];
}

/** `http/1.1` → `HTTP/1.1`, `h2` → `HTTP/2`, `h3` → `HTTP/3`; unknown → `''` (HAR has no "unknown" here). */
export function harHttpVersion(protocol: string | undefined): string {
  if (protocol === undefined) return '';
  const lower = protocol.trim().toLowerCase();
  if (lower.startsWith('http/')) return lower.toUpperCase();
  if (lower === 'h2') return 'HTTP/2';
  if (lower === 'h3' || lower.startsWith('h3-')) return 'HTTP/3';
  return protocol;
}

function decodeComponent(component: string): string {
  try {
    return decodeURIComponent(component.replace(/\+/g, ' '));
  } catch {
    return component;
  }
}

/** Query parameters of a URL, decoded, in order (string-based; never throws). */
export function harQueryString(url: string): HarQueryParam[] {
  const withoutFragment = url.split('#')[0] ?? '';
  const queryAt = withoutFragment.indexOf('?');
  if (queryAt === -1) return [];
  return withoutFragment
    .slice(queryAt + 1)
    .split('&')
    .filter((pair) => pair.length > 0)
    .map((pair) => {
      const equalsAt = pair.indexOf('=');
      return equalsAt === -1
        ? { name: decodeComponent(pair), value: '' }
        : { name: decodeComponent(pair.slice(0, equalsAt)), value: decodeComponent(pair.slice(equalsAt + 1)) };
    });
}

/** Size of the data a body record holds, when it holds the whole body. */
function bodyDataSize(body: BodyRecord | undefined): number | undefined {
  if (body?.state !== 'available' || body.data === undefined || body.truncated) return undefined;
  return body.encoding === 'base64' ? base64DecodedLength(body.data) : utf8ByteLength(body.data);
}

function bodyComment(body: BodyRecord | undefined): string | undefined {
  if (!body) return undefined;
  const reason = body.reason === undefined ? '' : `: ${body.reason}`;
  if (body.state !== 'available') return `body ${body.state}${reason}`;
  if (body.truncated) {
    const whole = body.size === undefined ? '' : ` of ${body.size} bytes`;
    return `body truncated at capture (maxBodyBytes): only the start${whole} is included`;
  }
  return undefined;
}

function roundMs(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

function knownPhase(value: number | undefined): number | undefined {
  return value === undefined || !Number.isFinite(value) || value < 0 ? undefined : roundMs(value);
}

/**
 * HAR timings: optional phases (`blocked`, `dns`, `connect`, `ssl`) are -1 when unknown; required phases (`send`,
 * `wait`, `receive`) are 0 when unknown, and a known total not covered by phases goes to `wait` (said in `comment`).
 * `time` is the entry's total when known, else the sum of known phases (HAR: `ssl` is part of `connect`).
 * Phases in `estimated` (Chromium's receive/total, from event arrival) are said so in `comment`.
 */
export function harTimings(timings: Timings, estimated: ReadonlyArray<keyof Timings> = []): { time: number; timings: HarTimings } {
  const blocked = knownPhase(timings.blocked);
  const dns = knownPhase(timings.dns);
  const connect = knownPhase(timings.connect);
  const ssl = knownPhase(timings.ssl);
  const send = knownPhase(timings.send);
  let wait = knownPhase(timings.wait);
  const receive = knownPhase(timings.receive);
  const phaseSum = [blocked, dns, connect, send, wait, receive].reduce<number>((sum, value) => sum + (value ?? 0), 0);
  const total = knownPhase(timings.total);
  const time = total ?? roundMs(phaseSum);
  let waitFromTotal = false;
  if (wait === undefined && total !== undefined && total > phaseSum) {
    wait = roundMs(total - phaseSum);
    waitFromTotal = true;
  }
  const unreported = (['send', 'wait', 'receive'] as const).filter((phase) => ({ send, wait, receive })[phase] === undefined);
  const comments: string[] = [];
  if (unreported.length > 0) comments.push(`${unreported.join(', ')}: not reported by the browser (0)`);
  if (waitFromTotal) comments.push('wait: total minus the reported phases');
  const estimates = estimated.filter((phase) => timings[phase] !== undefined);
  if (estimates.length > 0) {
    comments.push(`${estimates.join(', ')}: estimated from when the browser's events arrived (Chromium reports no end of body)`);
  }
  const harTimingValues: HarTimings = {
    blocked: blocked ?? -1,
    dns: dns ?? -1,
    connect: connect ?? -1,
    send: send ?? 0,
    wait: wait ?? 0,
    receive: receive ?? 0,
    ssl: ssl ?? -1,
  };
  if (comments.length > 0) harTimingValues.comment = comments.join('; ');
  return { time, timings: harTimingValues };
}

function shouldWritePostData(entry: NetworkEntry): boolean {
  const body = entry.request.body;
  if (body?.state === 'available' || (entry.request.bodySize ?? 0) > 0) return true;
  return body !== undefined && body.state !== 'not-captured' && !METHODS_WITHOUT_BODY.has(entry.method.toUpperCase());
}

function harPostData(entry: NetworkEntry, includeBodies: boolean): HarPostData {
  const body = entry.request.body;
  const postData: HarPostData = { mimeType: bodyMimeType(entry, 'request') ?? '' };
  const comment = bodyComment(body);
  if (includeBodies && body?.state === 'available' && body.data !== undefined) {
    const text = bodyText(body, postData.mimeType);
    if (text !== undefined) postData.text = text;
    else postData.comment = 'binary request body is not representable in HAR postData.text';
  }
  if (comment !== undefined) postData.comment = postData.comment ? `${postData.comment}; ${comment}` : comment;
  return postData;
}

function harRequest(entry: NetworkEntry, includeBodies: boolean): HarRequest {
  const request = entry.request;
  const cookieHeader = findHeader(request.headers, 'cookie');
  const cookies =
    request.cookies.length > 0
      ? request.cookies.map(harCookieFromCookie)
      : cookieHeader !== undefined
        ? harCookiesFromCookieHeader(cookieHeader)
        : [];
  const knownNoBody = METHODS_WITHOUT_BODY.has(entry.method.toUpperCase()) && request.body?.state !== 'available';
  const harRequestValue: HarRequest = {
    method: entry.method,
    url: entry.url,
    httpVersion: harHttpVersion(entry.response?.protocol),
    cookies,
    headers: request.headers.map((header) => ({ name: header.name, value: header.value })),
    queryString: harQueryString(entry.url),
    headersSize: request.headersSize ?? -1,
    bodySize: request.bodySize ?? request.body?.size ?? bodyDataSize(request.body) ?? (knownNoBody ? 0 : -1),
  };
  if (shouldWritePostData(entry)) harRequestValue.postData = harPostData(entry, includeBodies);
  return harRequestValue;
}

function harContent(entry: NetworkEntry, includeBodies: boolean): HarContent {
  const response = entry.response;
  const body = response?.body;
  const mimeType = bodyMimeType(entry, 'response') ?? 'x-unknown';
  const size = response?.decodedBodySize ?? body?.size ?? bodyDataSize(body);
  const content: HarContent = { size: response ? (size ?? -1) : 0, mimeType };
  const encoded = response?.encodedBodySize;
  if (size !== undefined && encoded !== undefined && size > encoded) content.compression = size - encoded;
  if (includeBodies && body?.state === 'available' && body.data !== undefined) {
    content.text = body.data;
    if (body.encoding === 'base64') content.encoding = 'base64';
  }
  const comment = includeBodies ? bodyComment(body) : undefined;
  if (comment !== undefined) content.comment = comment;
  return content;
}

function harResponse(entry: NetworkEntry, includeBodies: boolean): HarResponse {
  const response = entry.response;
  const content = harContent(entry, includeBodies);
  if (!response) {
    const socketOpened = entry.webSocket?.openedAt !== undefined;
    const noResponse: HarResponse = {
      status: socketOpened ? 101 : 0,
      statusText: socketOpened ? 'Switching Protocols' : '',
      httpVersion: '',
      cookies: [],
      headers: [],
      content,
      redirectURL: '',
      headersSize: -1,
      bodySize: -1,
    };
    if (socketOpened) noResponse.comment = 'handshake not reported by the browser; 101 inferred from the socket opening';
    else if (entry.state === 'pending') noResponse.comment = 'no response yet when exported (pending)';
    return noResponse;
  }
  const harResponseValue: HarResponse = {
    status: response.status,
    statusText: response.statusText,
    httpVersion: harHttpVersion(response.protocol),
    cookies: harCookiesFromSetCookieHeaders(response.headers),
    headers: response.headers.map((header) => ({ name: header.name, value: header.value })),
    content,
    redirectURL: findHeader(response.headers, 'location') ?? '',
    headersSize: response.headersSize ?? -1,
    bodySize: response.fromCache ? 0 : (response.encodedBodySize ?? -1),
  };
  if (response.fromCache) harResponseValue.comment = 'served from the browser cache';
  return harResponseValue;
}

function harEntry(entry: NetworkEntry, includeBodies: boolean, pageref: string | undefined): HarEntry {
  const { time, timings } = harTimings(entry.timings, entry.estimatedTimings);
  const harEntryValue: HarEntry = {
    ...(pageref !== undefined ? { pageref } : {}),
    startedDateTime: new Date(entry.startedAt).toISOString(),
    time,
    request: harRequest(entry, includeBodies),
    response: harResponse(entry, includeBodies),
    cache: {},
    timings,
    _resourceType: entry.resourceType,
  };
  if (entry.state === 'failed') harEntryValue._error = entry.error ?? 'unknown error';
  if (entry.initiator) harEntryValue._initiator = { ...entry.initiator };
  if (entry.shapedBy !== undefined) harEntryValue._bidiscope = { shapedBy: entry.shapedBy };
  if (entry.webSocket) {
    harEntryValue._webSocketMessages = entry.webSocket.frames.map((frame) => ({
      type: frame.direction === 'sent' ? 'send' : 'receive',
      time: frame.time / 1000,
      opcode: frame.opcode,
      data: includeBodies ? (frame.data ?? '') : '',
    }));
  }
  if (entry.stream) {
    harEntryValue._eventSourceMessages = entry.stream.events.map((event) => ({
      time: event.time / 1000,
      eventName: event.event,
      ...(event.id !== undefined ? { eventId: event.id } : {}),
      data: includeBodies ? event.data : '',
    }));
  }
  return harEntryValue;
}

/**
 * Builds a HAR 1.2 log from captured entries (sorted by start time). Does NOT redact: pass entries that went
 * through `redactEntry` unless the session exposes sensitive data.
 *
 * Conventions: unknown sizes and optional timing phases are -1 (HAR's own "unknown"), unknown `send`/`wait`/
 * `receive` are 0 (HAR requires numbers ≥ 0; see `harTimings`), unknown HTTP version is `''`. Failed requests have
 * status 0 and `_error`. Every entry carries `_resourceType`; WebSockets carry `_webSocketMessages` (Chrome DevTools'
 * shape: `{type:'send'|'receive', time: epoch seconds, opcode, data}`) and EventSource streams
 * `_eventSourceMessages` (`{time: epoch seconds, eventName, eventId?, data}`). With `includeBodies: false`, body
 * text, frame payloads and event data are left empty but sizes, counts and times remain.
 */
export function buildHar(entries: readonly NetworkEntry[], options: BuildHarOptions): Har {
  const sorted = [...entries].sort((a, b) => a.startedAt - b.startedAt || a.index - b.index);
  const { pages, pagerefOf } = assignPages(sorted, options.pages);
  const comment = options.includeBodies
    ? 'Recorded over WebDriver BiDi by bidiscope. -1 means unknown.'
    : 'Recorded over WebDriver BiDi by bidiscope. -1 means unknown. Bodies not included (includeBodies: false).';
  return {
    log: {
      version: '1.2',
      creator: { name: 'bidiscope', version: options.creatorVersion },
      browser: { name: options.browser.name, version: options.browser.version },
      pages,
      entries: sorted.map((entry) => harEntry(entry, options.includeBodies, pagerefOf(entry))),
      comment,
    },
  };
}
