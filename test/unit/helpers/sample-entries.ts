/**
 * Hand-built capture entries covering every shape the formatters, redaction and HAR export must handle.
 * Fixed times and sizes, so rendered text is stable. Secrets in the login request: `hunter2` (password),
 * `abc` (nested token), `s3cr3t` (bearer token), `xyz` (session cookie), `csrf-9f8e` (CSRF header).
 */
import type { BodyRecord, Header, NetworkEntry } from '../../../src/model/types.js';

export const BASE_ORIGIN = 'http://127.0.0.1:8080';
/** 2023-11-14T22:13:20.000Z */
export const T0 = 1_700_000_000_000;
export const SECRETS = ['hunter2', 'abc', 's3cr3t', 'xyz', 'csrf-9f8e'] as const;

/** A 1×1 PNG, 70 bytes. */
export const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

export const LOGIN_REQUEST_BODY = '{"user":"ada","password":"hunter2","nested":{"token":"abc"}}';
export const HTML_BODY =
  '<!doctype html><html><head><title>bidiscope demo</title></head><body><h1>Demo</h1><script src="/app.js"></script></body></html>';
export const JSON_LIST_BODY = JSON.stringify({
  items: Array.from({ length: 60 }, (_, position) => ({ id: position + 1, name: `item-${position + 1}` })),
});
export const LARGE_BODY_PREFIX = '0123456789'.repeat(100);
export const LARGE_BODY_SIZE = 3 * 1024 * 1024;

const USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0.0.0';

function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}

function textBody(data: string): BodyRecord {
  return { state: 'available', encoding: 'text', data, size: utf8Length(data) };
}

function requestHeaders(extra: Header[] = []): Header[] {
  return [{ name: 'User-Agent', value: USER_AGENT }, { name: 'Accept', value: '*/*' }, ...extra];
}

function base(index: number, requestId: string, url: string, startOffsetMs: number): NetworkEntry {
  return {
    index,
    id: `${requestId}:0`,
    requestId,
    redirectCount: 0,
    context: 'ctx-1',
    method: 'GET',
    url,
    resourceType: 'fetch',
    startedAt: T0 + startOffsetMs,
    state: 'complete',
    request: { headers: requestHeaders(), cookies: [] },
    timings: {},
    source: {},
  };
}

function fullTimings(total: number): NetworkEntry['timings'] {
  return { blocked: 1, dns: 0.1, connect: 0.3, send: 0.1, wait: total - 1.7, receive: 0.2, total };
}

/** Fresh copies of all sample entries, index order = list order. */
export function sampleEntries(): NetworkEntry[] {
  const documentEntry: NetworkEntry = {
    ...base(0, 'doc-1', `${BASE_ORIGIN}/`, 0),
    navigation: 'nav-1',
    resourceType: 'document',
    request: {
      headers: [
        { name: 'User-Agent', value: USER_AGENT },
        { name: 'Accept', value: 'text/html' },
      ],
      cookies: [],
      headersSize: 310,
      bodySize: 0,
    },
    response: {
      status: 200,
      statusText: 'OK',
      protocol: 'http/1.1',
      mimeType: 'text/html',
      headers: [
        { name: 'Content-Type', value: 'text/html; charset=utf-8' },
        { name: 'Content-Length', value: String(utf8Length(HTML_BODY)) },
      ],
      encodedBodySize: utf8Length(HTML_BODY),
      decodedBodySize: utf8Length(HTML_BODY),
      headersSize: 120,
      body: textBody(HTML_BODY),
    },
    timings: fullTimings(7),
    initiator: { type: 'other' },
  };

  const jsonEntry: NetworkEntry = {
    ...base(1, 'req-2', `${BASE_ORIGIN}/api/json`, 20),
    initiator: { type: 'script', url: `${BASE_ORIGIN}/app.js`, lineNumber: 12, columnNumber: 4 },
    response: {
      status: 200,
      statusText: 'OK',
      protocol: 'http/1.1',
      mimeType: 'application/json',
      headers: [
        { name: 'Content-Type', value: 'application/json' },
        { name: 'Cache-Control', value: 'no-store' },
      ],
      encodedBodySize: utf8Length(JSON_LIST_BODY),
      decodedBodySize: utf8Length(JSON_LIST_BODY),
      body: textBody(JSON_LIST_BODY),
    },
    timings: fullTimings(4.2),
  };

  const loginEntry: NetworkEntry = {
    ...base(2, 'req-3', `${BASE_ORIGIN}/api/login`, 40),
    method: 'POST',
    request: {
      headers: requestHeaders([
        { name: 'Content-Type', value: 'application/json' },
        { name: 'Authorization', value: 'Bearer s3cr3t' },
        { name: 'Cookie', value: 'sid=xyz' },
        { name: 'X-CSRF-Token', value: 'csrf-9f8e' },
        { name: 'Origin', value: BASE_ORIGIN },
      ]),
      cookies: [{ name: 'sid', value: 'xyz', domain: '127.0.0.1', path: '/', httpOnly: true, secure: false }],
      bodySize: utf8Length(LOGIN_REQUEST_BODY),
      body: textBody(LOGIN_REQUEST_BODY),
    },
    response: {
      status: 200,
      statusText: 'OK',
      protocol: 'http/1.1',
      mimeType: 'application/json',
      headers: [
        { name: 'Content-Type', value: 'application/json' },
        { name: 'Set-Cookie', value: 'sid=xyz; Path=/; HttpOnly' },
      ],
      encodedBodySize: 24,
      decodedBodySize: 24,
      body: textBody('{"ok":true,"user":"ada"}'),
    },
    timings: fullTimings(8),
  };

  const redirectHop = (index: number, redirectCount: number, path: string, location: string): NetworkEntry => ({
    ...base(index, 'req-r', `${BASE_ORIGIN}${path}`, 60 + redirectCount * 3),
    id: `req-r:${redirectCount}`,
    redirectCount,
    response: {
      status: 302,
      statusText: 'Found',
      protocol: 'http/1.1',
      headers: [
        { name: 'Location', value: location },
        { name: 'Content-Length', value: '0' },
      ],
      encodedBodySize: 0,
      decodedBodySize: 0,
    },
    timings: { total: 2.5 },
    source: { timings: 'only the total for redirect hops' },
  });
  const firstHop: NetworkEntry = { ...redirectHop(3, 0, '/r1', '/r2'), redirect: { to: 'req-r:1' } };
  const secondHop: NetworkEntry = { ...redirectHop(4, 1, '/r2', '/final'), redirect: { from: 'req-r:0', to: 'req-r:2' } };
  const finalHop: NetworkEntry = {
    ...base(5, 'req-r', `${BASE_ORIGIN}/final`, 66),
    id: 'req-r:2',
    redirectCount: 2,
    redirect: { from: 'req-r:1' },
    response: {
      status: 200,
      statusText: 'OK',
      protocol: 'http/1.1',
      mimeType: 'text/plain',
      headers: [{ name: 'Content-Type', value: 'text/plain' }],
      encodedBodySize: 5,
      decodedBodySize: 5,
      body: textBody('final'),
    },
    timings: fullTimings(3),
  };

  const notFoundEntry: NetworkEntry = {
    ...base(6, 'req-6', `${BASE_ORIGIN}/missing`, 80),
    response: {
      status: 404,
      statusText: 'Not Found',
      protocol: 'http/1.1',
      mimeType: 'text/html',
      headers: [{ name: 'Content-Type', value: 'text/html' }],
      encodedBodySize: 9,
      decodedBodySize: 9,
      body: textBody('Not found'),
    },
    timings: fullTimings(2),
  };

  const failedEntry: NetworkEntry = {
    ...base(7, 'req-7', 'http://127.0.0.1:59999/closed', 90),
    state: 'failed',
    error: 'net::ERR_CONNECTION_REFUSED',
    source: { timings: 'no timings for failed requests', response: 'the connection failed before any response' },
  };

  const gzipText = 'gzip me '.repeat(125);
  const gzipEntry: NetworkEntry = {
    ...base(8, 'req-8', `${BASE_ORIGIN}/gzip`, 100),
    response: {
      status: 200,
      statusText: 'OK',
      protocol: 'http/1.1',
      mimeType: 'text/plain',
      headers: [
        { name: 'Content-Type', value: 'text/plain' },
        { name: 'Content-Encoding', value: 'gzip' },
        { name: 'Content-Length', value: '40' },
      ],
      encodedBodySize: 40,
      decodedBodySize: 1000,
      body: textBody(gzipText),
    },
    timings: fullTimings(3),
  };

  const largeEntry: NetworkEntry = {
    ...base(9, 'req-9', `${BASE_ORIGIN}/large`, 110),
    response: {
      status: 200,
      statusText: 'OK',
      protocol: 'http/1.1',
      mimeType: 'application/octet-stream',
      headers: [{ name: 'Content-Type', value: 'application/octet-stream' }],
      encodedBodySize: LARGE_BODY_SIZE,
      decodedBodySize: LARGE_BODY_SIZE,
      body: { state: 'available', encoding: 'text', data: LARGE_BODY_PREFIX, size: LARGE_BODY_SIZE, truncated: true },
    },
    timings: fullTimings(42),
  };

  const imageEntry: NetworkEntry = {
    ...base(10, 'req-10', `${BASE_ORIGIN}/pixel.png`, 120),
    resourceType: 'image',
    response: {
      status: 200,
      statusText: 'OK',
      protocol: 'http/1.1',
      mimeType: 'image/png',
      headers: [{ name: 'Content-Type', value: 'image/png' }],
      encodedBodySize: 70,
      decodedBodySize: 70,
      body: { state: 'available', encoding: 'base64', data: PNG_BASE64, size: 70 },
    },
    timings: fullTimings(2),
  };

  const frameTime = T0 + 200;
  const webSocketEntry: NetworkEntry = {
    ...base(11, 'ws-1', 'ws://127.0.0.1:8080/ws', 130),
    resourceType: 'websocket',
    webSocket: {
      url: 'ws://127.0.0.1:8080/ws',
      openedAt: T0 + 150,
      frames: [1, 2, 3].flatMap((n) => [
        { direction: 'sent' as const, time: frameTime + n * 10, opcode: 1 as const, size: 7, data: `hello-${n}` },
        { direction: 'received' as const, time: frameTime + n * 10 + 2, opcode: 1 as const, size: 7, data: `hello-${n}` },
      ]),
      closed: { time: T0 + 300, code: 1000, reason: 'done', wasClean: true },
    },
    source: { response: 'Chromium sends no network events for WebSocket handshakes', webSocket: 'page shim' },
  };

  const sseText = [1, 2, 3].map((n) => `id: ${n}\ndata: {"n":${n}}\n\n`).join('');
  const sseEntry: NetworkEntry = {
    ...base(12, 'req-12', `${BASE_ORIGIN}/sse`, 140),
    resourceType: 'eventsource',
    response: {
      status: 200,
      statusText: 'OK',
      protocol: 'http/1.1',
      mimeType: 'text/event-stream',
      headers: [
        { name: 'Content-Type', value: 'text/event-stream' },
        { name: 'Cache-Control', value: 'no-cache' },
      ],
      body: textBody(sseText),
    },
    stream: {
      url: `${BASE_ORIGIN}/sse`,
      openedAt: T0 + 145,
      events: [1, 2, 3].map((n) => ({ time: T0 + 150 + n * 100, event: 'message', id: String(n), data: `{"n":${n}}` })),
    },
    timings: { total: 420 },
    source: { sizes: 'streamed response: no size reported' },
  };

  const pendingEntry: NetworkEntry = {
    ...base(13, 'req-13', `${BASE_ORIGIN}/api/slow`, 160),
    state: 'pending',
  };

  return [
    documentEntry,
    jsonEntry,
    loginEntry,
    firstHop,
    secondHop,
    finalHop,
    notFoundEntry,
    failedEntry,
    gzipEntry,
    largeEntry,
    imageEntry,
    webSocketEntry,
    sseEntry,
    pendingEntry,
  ];
}

/** One sample entry by index (throws when missing, so tests fail loudly). */
export function sampleEntry(index: number): NetworkEntry {
  const entry = sampleEntries()[index];
  if (!entry) throw new Error(`no sample entry ${index}`);
  return entry;
}

/** Resolver for `formatDetails`' redirect links over the sample set. */
export function sampleResolver(id: string): { index: number; url: string } | undefined {
  const entry = sampleEntries().find((candidate) => candidate.id === id);
  return entry === undefined ? undefined : { index: entry.index, url: entry.url };
}
