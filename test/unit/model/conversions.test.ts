/** The small pure conversions: headers, cookies, timings, resource types, sizes, shim messages. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectBidiDialect, readNetworkEventParams } from '../../../src/model/bidi/types.js';
import type { BidiResponseData } from '../../../src/model/bidi/types.js';
import { cookiesFromBidi, cookiesFromSetCookieHeaders, parseSetCookie } from '../../../src/model/cookies.js';
import { bytesValueToText, dedupeHeaders, headersFromBidi } from '../../../src/model/headers.js';
import { refineResourceTypeFromResponse, resourceTypeFromRequest } from '../../../src/model/bidi/resource-type.js';
import { parseShimMessage } from '../../../src/model/shim/messages.js';
import { webSocketHandshakeUrl } from '../../../src/model/shim/streams.js';
import { responseBodySizes } from '../../../src/model/bidi/sizes.js';
import { startedAtFromBidi, timingsFromBidi } from '../../../src/model/bidi/timings.js';
import type { Header } from '../../../src/model/types.js';

const h = (name: string, value: string): Header => ({ name, value });

test('header values: string as is, base64 as UTF-8, or Latin-1 when not UTF-8', () => {
  assert.equal(bytesValueToText({ type: 'string', value: 'a b' }), 'a b');
  assert.equal(bytesValueToText({ type: 'base64', value: btoa('caf\u00c3\u00a9') }), 'café');
  assert.equal(bytesValueToText({ type: 'base64', value: btoa('caf\u00e9') }), 'café');
});

test('headers: exact duplicates dropped ignoring name case; different values kept', () => {
  const { headers, duplicatesRemoved } = dedupeHeaders([
    h('User-Agent', 'UA'),
    h('user-agent', 'UA'),
    h('Set-Cookie', 'a=1'),
    h('Set-Cookie', 'b=2'),
    h('set-cookie', 'a=1'),
    h('Accept', 'x'),
    h('Accept', 'X'),
  ]);
  assert.deepEqual(headers, [h('User-Agent', 'UA'), h('Set-Cookie', 'a=1'), h('Set-Cookie', 'b=2'), h('Accept', 'x'), h('Accept', 'X')]);
  assert.equal(duplicatesRemoved, 2);
  assert.deepEqual(headersFromBidi([{ name: 'X', value: { type: 'base64', value: btoa('v') } }]), {
    headers: [h('X', 'v')],
    duplicatesRemoved: 0,
  });
});

test('cookies from BiDi and from Set-Cookie', () => {
  assert.deepEqual(
    cookiesFromBidi([
      {
        name: 'sid',
        value: { type: 'string', value: 'abc' },
        domain: 'h',
        path: '/',
        httpOnly: true,
        secure: false,
        sameSite: 'none',
        expiry: 2_000_000_000,
      },
    ]),
    [
      {
        name: 'sid',
        value: 'abc',
        domain: 'h',
        path: '/',
        httpOnly: true,
        secure: false,
        sameSite: 'none',
        expires: 2_000_000_000,
      },
    ],
  );
  assert.deepEqual(parseSetCookie('sid=abc123; Path=/; HttpOnly; SameSite=Lax; Max-Age=60', 1_000_000), {
    name: 'sid',
    value: 'abc123',
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    expires: 1060,
  });
  assert.equal(parseSetCookie('no-equals-sign'), undefined);
  assert.deepEqual(cookiesFromSetCookieHeaders([h('set-cookie', 'a=1'), h('Content-Type', 'x'), h('Set-Cookie', 'b=2; Secure')]), [
    { name: 'a', value: '1' },
    { name: 'b', value: '2', secure: true },
  ]);
});

test('timings, Chromium convention: epoch timeOrigin, relative fields, 0 = not measured', () => {
  const raw = {
    timeOrigin: 1000,
    requestTime: 0,
    fetchStart: 0,
    dnsStart: 0,
    dnsEnd: 0,
    connectStart: 0,
    connectEnd: 0,
    tlsStart: 0,
    requestStart: 0.5,
    responseStart: 10.5,
    responseEnd: 12,
  };
  const { timings, notes } = timingsFromBidi(raw, 'chromium');
  assert.deepEqual(timings, { blocked: 0.5, wait: 10, receive: 1.5, total: 12 });
  assert.ok(notes.some((note) => note.includes('Chromium reports dns/connect as 0')));
  assert.equal(startedAtFromBidi(raw, 999, 5), 999, 'requestTime 0: the event timestamp');
  assert.equal(startedAtFromBidi(raw, undefined, 5), 1000, 'then the time origin');
});

test('timings, Firefox convention: timeOrigin 0, absolute fields incl. dns/connect/tlsEnd', () => {
  const raw = {
    timeOrigin: 0,
    requestTime: 1000,
    fetchStart: 1010,
    dnsStart: 1010,
    dnsEnd: 1012,
    connectStart: 1012,
    connectEnd: 1020,
    tlsStart: 1014,
    tlsEnd: 1020,
    requestStart: 1021,
    responseStart: 1031,
    responseEnd: 1040,
  };
  assert.deepEqual(timingsFromBidi(raw, 'firefox').timings, {
    blocked: 10,
    dns: 2,
    connect: 8,
    ssl: 6,
    wait: 10,
    receive: 9,
    total: 40,
  });
  assert.equal(startedAtFromBidi(raw, 2000, 5), 1000);
});

test('timings: nothing measured gives no phases (never a made-up 0); inverted spans are dropped', () => {
  assert.deepEqual(timingsFromBidi({ timeOrigin: 0, requestTime: 0, responseEnd: 0 }).timings, {});
  assert.deepEqual(timingsFromBidi(undefined).timings, {});
  const inverted = timingsFromBidi({
    timeOrigin: 0,
    requestTime: 100,
    requestStart: 120,
    responseStart: 110,
    responseEnd: 130,
  });
  assert.equal(inverted.timings.wait, undefined);
  assert.equal(inverted.timings.receive, 20);
  assert.equal(startedAtFromBidi({ timeOrigin: 0, requestTime: 0 }, 777, 5), 777, 'event timestamp next');
  assert.equal(startedAtFromBidi(undefined, undefined, 5), 5, 'then the arrival time');
});

test('resource types from request facts', () => {
  const type = (facts: Partial<Parameters<typeof resourceTypeFromRequest>[0]>) => resourceTypeFromRequest({ headers: [], ...facts });
  assert.equal(type({ googResourceType: 'XHR' }), 'xhr', 'Chromium XHR: initiatorType null, goog:resourceType XHR');
  assert.equal(type({ initiatorType: 'xmlhttprequest' }), 'xhr', 'Firefox XHR');
  assert.equal(type({ initiatorType: 'fetch' }), 'fetch');
  assert.equal(type({ headers: [h('Accept', 'text/event-stream')] }), 'eventsource', 'Firefox EventSource');
  assert.equal(type({ headers: [h('Sec-Fetch-Mode', 'websocket')] }), 'websocket', 'Firefox handshake request');
  assert.equal(type({ headers: [h('Connection', 'Upgrade'), h('Upgrade', 'websocket')] }), 'websocket');
  for (const [destination, expected] of [
    ['document', 'document'],
    ['iframe', 'document'],
    ['script', 'script'],
    ['style', 'stylesheet'],
    ['image', 'image'],
    ['font', 'font'],
    ['audio', 'media'],
    ['video', 'media'],
    ['track', 'media'],
    ['', 'other'],
    ['manifest', 'other'],
  ] as const) {
    assert.equal(type({ destination }), expected, destination);
  }
  assert.equal(type({ googResourceType: 'Other', destination: 'image' }), 'image');
});

test('resource types refined from the response only when still other', () => {
  const upgrade = [h('Upgrade', 'websocket')];
  assert.equal(refineResourceTypeFromResponse('other', { status: 101, headers: upgrade }), 'websocket');
  const eventStreamHeader = { status: 200, headers: [h('content-type', 'text/event-stream')] };
  const eventStreamMime = { status: 200, mimeType: 'text/event-stream', headers: [] };
  assert.equal(refineResourceTypeFromResponse('other', eventStreamHeader), 'eventsource');
  assert.equal(refineResourceTypeFromResponse('other', eventStreamMime), 'eventsource');
  const streamingFetch = refineResourceTypeFromResponse('fetch', eventStreamMime);
  assert.equal(streamingFetch, 'fetch', 'a fetch() reading a stream stays fetch');
  assert.equal(refineResourceTypeFromResponse('other', { status: 200, mimeType: 'text/html', headers: [] }), 'other');
});

test('response sizes per browser convention', () => {
  const response = (fields: Partial<BidiResponseData>): BidiResponseData => ({ headers: [], ...fields });
  const chunked = [h('Transfer-Encoding', 'chunked')];
  const identity = responseBodySizes(
    response({ bodySize: 300, bytesReceived: 300, headersSize: 150, contentSize: 120 }),
    chunked,
    'chromium',
  );
  assert.deepEqual([identity.encodedBodySize, identity.decodedBodySize], [120, 120]);
  assert.match(identity.note, /no Content-Encoding/);
  const declared = responseBodySizes(
    response({ bodySize: 3000, bytesReceived: 3000, contentSize: 9000 }),
    [h('Content-Length', '2850'), h('Content-Encoding', 'br')],
    'chromium',
  );
  assert.deepEqual([declared.encodedBodySize, declared.decodedBodySize], [2850, 9000]);
  const gzipChunked = responseBodySizes(
    response({ bodySize: 300, bytesReceived: 300, contentSize: 1000 }),
    [...chunked, h('Content-Encoding', 'gzip')],
    'chromium',
  );
  assert.equal(gzipChunked.encodedBodySize, undefined, 'chunked + gzip: encoded size unknown, not guessed');
  assert.equal(gzipChunked.decodedBodySize, 1000);
  const unread = responseBodySizes(
    response({ bodySize: 0, bytesReceived: 0, headersSize: 185, contentSize: 0 }),
    [h('Content-Length', '19')],
    'chromium',
  );
  assert.deepEqual(
    [unread.encodedBodySize, unread.decodedBodySize],
    [0, 0],
    'a redirect body the browser never read: 0, not Content-Length',
  );
  assert.match(unread.note, /read no body/);
  const firefox = responseBodySizes(response({ bodySize: 71, bytesReceived: 244, contentSize: 0 }), [], 'firefox');
  assert.equal(firefox.encodedBodySize, 71);
  assert.equal(firefox.decodedBodySize, undefined);
  const spec = responseBodySizes(response({ bodySize: 71, bytesReceived: 244, contentSize: 16000 }), [], 'unknown');
  assert.deepEqual([spec.encodedBodySize, spec.decodedBodySize], [71, 16000]);
});

test('dialect detection', () => {
  const params = (request: Record<string, unknown>) => readNetworkEventParams({ request: { request: 'r', url: 'http://h/', ...request } });
  const chromium = params({ timings: { timeOrigin: 1_800_000_000_000, requestTime: 0 } });
  const firefox = params({ timings: { timeOrigin: 0, requestTime: 1_800_000_000_000 } });
  const bare = params({});
  assert.ok(chromium && firefox && bare);
  assert.equal(detectBidiDialect(chromium), 'chromium');
  assert.equal(detectBidiDialect(firefox), 'firefox');
  assert.equal(detectBidiDialect(bare), 'unknown');
});

test('shim messages: well-formed ones parse, junk does not', () => {
  assert.deepEqual(parseShimMessage('{"k":"ws-create","id":1,"url":"ws://h/ws","t":5}'), {
    kind: 'ws-create',
    id: 1,
    url: 'ws://h/ws',
    time: 5,
  });
  assert.deepEqual(parseShimMessage('{"k":"ws-recv","id":2,"binary":true,"size":3,"b64":"AAEC"}'), {
    kind: 'ws-recv',
    id: 2,
    payload: { type: 'binary', size: 3, base64: 'AAEC' },
  });
  assert.deepEqual(parseShimMessage('{"k":"sse-msg","id":1,"event":"","lastEventId":"","text":"x"}'), {
    kind: 'sse-msg',
    id: 1,
    event: 'message',
    lastEventId: undefined,
    text: 'x',
    truncated: false,
  });
  const junkMessages = ['', 'null', '[]', '{"k":"ws-create","id":1}', '{"k":"nope","id":1}', '{"k":"ws-open"}', '{"k":"ws-send","id":1}'];
  for (const junk of junkMessages) {
    assert.equal(parseShimMessage(junk), undefined, junk);
  }
  assert.equal(webSocketHandshakeUrl('wss://h/x?y'), 'https://h/x?y');
  assert.equal(webSocketHandshakeUrl('WS://h/'), 'http://h/');
});
