/**
 * The capture model over the recorded Chromium 156 and Firefox 153 event streams of the same page
 * (test/fixtures/bidi/README.md): the entries each browser yields, and where the two agree.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { NetworkLog } from '../../../src/model/network-log.js';
import type { IngestResult } from '../../../src/model/network-log.js';
import { normalizeEvents } from '../../helpers/normalize-events.js';
import type { NetworkEntry } from '../../../src/model/types.js';
import { loadFixtureEvents, pathOf } from '../../helpers/fixture-events.js';
import type { FixtureName } from '../../helpers/fixture-events.js';
import { SITE_SECRETS } from '../../site/server.js';

const CHROMIUM: FixtureName = 'chromium-156-index-page';
const FIREFOX: FixtureName = 'firefox-153-index-page';
/** The test site's origin when the fixtures were recorded (both browsers loaded the same site). */
const ORIGIN = 'http://127.0.0.1:36067';
const XHR_PATH = `/api/xhr?q=1&api_key=${SITE_SECRETS.apiKey}`;

function entriesOf(name: FixtureName): NetworkEntry[] {
  return normalizeEvents(loadFixtureEvents(name));
}

/** (method, path, status or error or state, resourceType) — the compact shape of a capture. */
function summary(entries: readonly NetworkEntry[]): Array<[string, string, number | string, string]> {
  return entries.map((entry) => [
    entry.method,
    pathOf(entry.url),
    entry.response?.status ?? entry.error ?? entry.state,
    entry.resourceType,
  ]);
}

function byPath(entries: readonly NetworkEntry[], path: string): NetworkEntry {
  const found = entries.filter((entry) => pathOf(entry.url) === path);
  assert.equal(found.length, 1, `exactly one entry for ${path}`);
  return found[0] as NetworkEntry;
}

const SHARED_PAGE: Array<[string, string, number | string, string]> = [
  ['GET', '/', 200, 'document'],
  ['GET', '/img.png', 200, 'image'],
  ['GET', '/api/json', 200, 'fetch'],
  ['POST', '/api/login', 200, 'fetch'],
  ['GET', XHR_PATH, 200, 'xhr'],
  ['GET', '/r1', 302, 'fetch'],
  ['GET', '/r2', 302, 'fetch'],
  ['GET', '/final', 200, 'fetch'],
  ['GET', '/missing', 404, 'fetch'],
  ['GET', '/gzip', 200, 'fetch'],
  ['GET', '/large', 200, 'fetch'],
];

describe('Chromium 156 fixture', () => {
  const entries = entriesOf(CHROMIUM);

  test('yields exactly the page requests, in order, with normalized types', () => {
    assert.deepEqual(summary(entries), [
      ...SHARED_PAGE,
      ['GET', '/dead', 'net::ERR_CONNECTION_REFUSED', 'fetch'],
      ['GET', '/sse', 200, 'eventsource'],
      ['GET', '/ws', 'complete', 'websocket'],
    ]);
    assert.deepEqual(
      entries.map((entry) => entry.index),
      entries.map((_entry, position) => position),
    );
  });

  test('the EventSource net::ERR_ABORTED after its responseCompleted is ignored and does not fail the /sse entry', () => {
    const log = new NetworkLog();
    const results: Array<{ name: string; params: unknown; result: IngestResult }> = [];
    for (const event of loadFixtureEvents(CHROMIUM)) {
      results.push({ name: event.name, params: event.p, result: log.ingest(event.name, event.p, event.t) });
    }
    const names = results.map((item) => item.name);
    const stray = results.filter((item) => item.name === 'network.fetchError' && JSON.stringify(item.params).includes('/sse'));
    assert.equal(stray.length, 1);
    assert.match(JSON.stringify(stray[0]?.params), /net::ERR_ABORTED/);
    assert.ok(
      names.lastIndexOf('network.responseCompleted') < results.indexOf(stray[0] as (typeof results)[number]),
      'recorded after /sse completed',
    );
    assert.equal(stray[0]?.result.change, 'ignored');
    const sse = byPath(log.entries(), '/sse');
    assert.equal(sse.state, 'complete');
    assert.equal(sse.error, undefined);
    assert.equal(log.stats().failed, 1);
    // Chromium-only goog:cdp.* events (a capture never subscribes to them) are not part of the model.
    const vendor = log.ingest('goog:cdp.Network.webSocketCreated', { requestId: '1', url: `ws://127.0.0.1/ws` }, Date.now());
    assert.equal(vendor.change, 'ignored');
  });

  test('POST body comes from goog:postData', () => {
    const login = byPath(entries, '/api/login');
    assert.deepEqual(login.request.body, {
      state: 'available',
      encoding: 'text',
      data: JSON.stringify({ user: 'ada', password: SITE_SECRETS.password, nested: { refresh_token: SITE_SECRETS.refreshToken } }),
      size: 95,
    });
    assert.equal(login.source.requestBody, 'BiDi event (goog:postData)');
    assert.equal(login.request.bodySize, 95);
  });

  test('request headers are deduplicated (Chromium lists several twice)', () => {
    for (const entry of entries) {
      const keys = entry.request.headers.map((header) => `${header.name.toLowerCase()}\n${header.value}`);
      assert.equal(new Set(keys).size, keys.length, `duplicate request header in ${entry.url}`);
    }
    const document = byPath(entries, '/');
    assert.equal(document.request.headers.filter((header) => header.name === 'User-Agent').length, 1);
    assert.equal(document.request.headers.length, 14);
    assert.match(document.source.request ?? '', /5 exact duplicate headers removed/);
  });

  test('initiator from the parser position and the script stack', () => {
    assert.deepEqual(byPath(entries, '/img.png').initiator, {
      type: 'parser',
      url: `${ORIGIN}/`,
      lineNumber: 9,
      columnNumber: 74,
    });
    assert.deepEqual(byPath(entries, '/api/json').initiator, {
      type: 'script',
      url: `${ORIGIN}/`,
      lineNumber: 25,
      columnNumber: 22,
    });
  });

  test('the WebSocket gets a synthetic entry built from the page shim, with the 3 frames each way', () => {
    const ws = byPath(entries, '/ws');
    assert.equal(ws.url, `${ORIGIN.replace('http:', 'ws:')}/ws`);
    assert.equal(ws.response, undefined);
    assert.equal(ws.source.request, 'Chromium sends no network events for WebSocket handshakes; entry built from the page shim');
    assert.equal(ws.startedAt, 1796045131109, 'the ws-create time');
    assert.deepEqual(ws.timings, {});
    assertEchoFrames(ws);
  });

  test('dns/connect are left undefined where Chromium reports 0', () => {
    for (const entry of entries) {
      assert.equal(entry.timings.dns, undefined);
      assert.equal(entry.timings.connect, undefined);
      assert.equal(entry.timings.ssl, undefined);
      assert.equal(entry.timings.send, undefined);
    }
    assert.match(byPath(entries, '/').source.timings ?? '', /Chromium reports dns\/connect as 0/);
    // BiDi reports only zeros for the refused connection; the page's Resource Timing gives its duration (1.3 ms).
    const dead = byPath(entries, '/dead');
    assert.deepEqual(dead.timings, { total: 1.3 });
    assert.match(dead.source.timings ?? '', /total: from the page's Resource Timing \(.*when the request ended, with no response\)/);
    assert.doesNotMatch(dead.source.timings ?? '', /marks the headers/);
  });

  test('sizes: decoded from content.size, encoded derived (bodySize counts headers)', () => {
    const gzip = byPath(entries, '/gzip');
    assert.equal(gzip.response?.decodedBodySize, 7605);
    assert.equal(gzip.response?.encodedBodySize, 800);
    const json = byPath(entries, '/api/json');
    assert.equal(json.response?.decodedBodySize, 2161);
    assert.equal(json.response?.encodedBodySize, 2161);
    assert.match(json.source.sizes ?? '', /bodySize = bytesReceived/);
    // The redirects declare a body (Content-Length 19 and 22) that Chromium never read (bytesReceived 0).
    for (const path of ['/r1', '/r2']) {
      const hop = byPath(entries, path);
      assert.deepEqual([hop.response?.encodedBodySize, hop.response?.decodedBodySize], [0, 0], path);
      assert.match(hop.source.sizes ?? '', /read no body/);
    }
  });

  test('stats', () => {
    const log = new NetworkLog();
    for (const event of loadFixtureEvents(CHROMIUM)) log.ingest(event.name, event.p, event.t);
    assert.deepEqual(log.stats(), {
      requests: 14,
      responses: 12,
      failed: 1,
      wsFrames: 6,
      streamingResponses: 1,
      streamEvents: 3,
      dropped: 0,
      filtered: 0,
      failedEvents: 0,
      retained: 14,
    });
  });
});

describe('Firefox 153 fixture', () => {
  const entries = entriesOf(FIREFOX);

  test('yields exactly the page requests (plus the favicon), in order, with normalized types', () => {
    const expected = [...SHARED_PAGE];
    expected.splice(3, 0, ['GET', '/favicon.ico', 204, 'image']);
    assert.deepEqual(summary(entries), [
      ...expected,
      ['GET', '/dead', 'NS_ERROR_CONNECTION_REFUSED', 'fetch'],
      ['GET', '/sse', 200, 'eventsource'],
      ['GET', '/ws', 101, 'websocket'],
    ]);
  });

  test('the 101 handshake entry carries the WebSocket frames', () => {
    const ws = byPath(entries, '/ws');
    assert.equal(ws.url, `${ORIGIN}/ws`);
    assert.equal(ws.response?.statusText, 'Switching Protocols');
    assert.equal(ws.webSocket?.url, `${ORIGIN.replace('http:', 'ws:')}/ws`);
    assertEchoFrames(ws);
  });

  test('initiator: Firefox sends only {type: other}', () => {
    for (const entry of entries) {
      assert.deepEqual(entry.initiator, { type: 'other' });
      assert.match(entry.source.initiator ?? '', /Firefox sends no initiator/);
    }
  });

  test('POST body is not in the events; the note says where to get it', () => {
    const login = byPath(entries, '/api/login');
    assert.equal(login.request.body, undefined);
    assert.match(login.source.requestBody ?? '', /data collector/);
  });

  test('timings use absolute epoch fields; phases Firefox did not measure stay undefined', () => {
    const document = byPath(entries, '/');
    assert.equal(document.startedAt, 1796045136877.783, 'requestTime');
    assert.equal(document.timings.dns, 0.065);
    assert.equal(document.timings.connect, 0.117);
    assert.equal(document.timings.total, 38.561, 'responseEnd - requestTime');
    const image = byPath(entries, '/img.png');
    assert.equal(image.timings.dns, undefined, 'reused connection: no dns');
    assert.equal(image.timings.connect, undefined);
    const sse = byPath(entries, '/sse');
    assert.equal(sse.timings.total, undefined, 'responseEnd 0 for the event stream');
    assert.equal(sse.timings.receive, undefined);
    const dead = byPath(entries, '/dead');
    assert.equal(dead.timings.connect, undefined, 'connectEnd 0: the connection was refused');
    assert.equal(dead.timings.dns, 0.038);
  });

  test('sizes: encoded from bodySize, decoded unknown (content.size is always 0)', () => {
    const gzip = byPath(entries, '/gzip');
    assert.equal(gzip.response?.encodedBodySize, 800);
    assert.equal(gzip.response?.decodedBodySize, undefined);
    assert.match(gzip.source.sizes ?? '', /Firefox reports response.content.size as 0/);
  });

  test('the redirect MIME placeholder is not kept', () => {
    const completed = loadFixtureEvents(FIREFOX)
      .filter((event) => event.name === 'network.responseCompleted')
      .map((event) => event.p as { request: { url: string }; response: { mimeType: string } });
    const raw = completed.filter((params) => ['/r1', '/r2'].includes(pathOf(params.request.url)));
    assert.deepEqual(
      raw.map((params) => params.response.mimeType),
      [';charset=utf-8', ';charset=utf-8'],
      'what Firefox sends for a redirect',
    );
    // The Content-Type header is used instead of Firefox's placeholder.
    for (const path of ['/r1', '/r2']) assert.equal(byPath(entries, path).response?.mimeType, 'text/plain; charset=utf-8');
  });

  test('stats', () => {
    const log = new NetworkLog();
    for (const event of loadFixtureEvents(FIREFOX)) log.ingest(event.name, event.p, event.t);
    assert.deepEqual(log.stats(), {
      requests: 15,
      responses: 14,
      failed: 1,
      wsFrames: 6,
      streamingResponses: 1,
      streamEvents: 3,
      dropped: 0,
      filtered: 0,
      failedEvents: 0,
      retained: 15,
    });
  });
});

describe('both browsers', () => {
  const chromium = entriesOf(CHROMIUM);
  const firefox = entriesOf(FIREFOX);

  test('agree on method, URL path, status, type, MIME type and encoded size for every request both can see', () => {
    const key = (entry: NetworkEntry): string => `${entry.method} ${pathOf(entry.url)}`;
    const chromiumKeys = new Set(chromium.map(key));
    const firefoxKeys = new Set(firefox.map(key));
    assert.deepEqual(
      [...firefoxKeys].filter((k) => !chromiumKeys.has(k)),
      ['GET /favicon.ico'],
    );
    assert.deepEqual(
      [...chromiumKeys].filter((k) => !firefoxKeys.has(k)),
      [],
    );
    for (const entry of chromium) {
      const other = firefox.find((candidate) => key(candidate) === key(entry));
      assert.ok(other, key(entry));
      assert.equal(other.resourceType, entry.resourceType, key(entry));
      assert.equal(other.state, entry.state, key(entry));
      assert.equal(other.redirectCount, entry.redirectCount, key(entry));
      if (entry.resourceType === 'websocket') continue; // Chromium cannot see the handshake.
      assert.equal(other.response?.status, entry.response?.status, key(entry));
      assert.equal(other.response?.mimeType, entry.response?.mimeType, key(entry));
      assert.equal(other.response?.encodedBodySize, entry.response?.encodedBodySize, key(entry));
      assert.equal(other.error === undefined, entry.error === undefined, key(entry));
    }
  });

  for (const [name, entries] of [
    ['Chromium', chromium],
    ['Firefox', firefox],
  ] as const) {
    test(`${name}: the 3-hop redirect chain is linked both ways`, () => {
      const [r1, r2, final] = ['/r1', '/r2', '/final'].map((path) => byPath(entries, path));
      assert.ok(r1 && r2 && final);
      assert.equal(r1.requestId, r2.requestId);
      assert.equal(r2.requestId, final.requestId);
      assert.deepEqual([r1.redirectCount, r2.redirectCount, final.redirectCount], [0, 1, 2]);
      assert.deepEqual(r1.redirect, { to: r2.id });
      assert.deepEqual(r2.redirect, { from: r1.id, to: final.id });
      assert.deepEqual(final.redirect, { from: r2.id });
      assert.equal(r1.id, `${r1.requestId}:0`);
      const location = r1.response?.headers.find((header) => header.name.toLowerCase() === 'location');
      assert.equal(location?.value, '/r2');
    });

    test(`${name}: the 404 is a complete response, the refused connection a failure`, () => {
      const missing = byPath(entries, '/missing');
      assert.equal(missing.state, 'complete');
      assert.equal(missing.response?.status, 404);
      assert.equal(missing.response?.statusText, 'Not Found');
      const dead = byPath(entries, '/dead');
      assert.equal(dead.state, 'failed');
      assert.match(dead.error ?? '', /CONNECTION_REFUSED/);
      assert.equal(dead.response, undefined);
    });

    test(`${name}: the 3 SSE events are linked to the /sse entry`, () => {
      const sse = byPath(entries, '/sse');
      assert.equal(sse.resourceType, 'eventsource');
      assert.deepEqual(
        sse.stream?.events.map((event) => [event.event, event.id, event.data]),
        [
          ['message', '1', 'sse-event-1'],
          ['message', '2', 'sse-event-2'],
          ['message', '3', 'sse-event-3'],
        ],
      );
      assert.ok((sse.stream?.openedAt ?? 0) > 0);
      assert.equal(entries.filter((entry) => entry.stream !== undefined).length, 1);
      assert.equal(entries.filter((entry) => entry.webSocket !== undefined).length, 1);
    });

    test(`${name}: timings are non-negative and totals plausible`, () => {
      for (const entry of entries) {
        for (const [phase, value] of Object.entries(entry.timings)) {
          assert.ok(value !== undefined && value >= 0 && value < 10_000, `${entry.url} ${phase}=${String(value)}`);
        }
        const { total, wait, receive, blocked } = entry.timings;
        if (total !== undefined) {
          assert.ok(total >= (wait ?? 0) + (receive ?? 0) - 0.01, `${entry.url} total covers wait+receive`);
          assert.ok(total >= (blocked ?? 0), `${entry.url} total covers blocked`);
        }
        if (entry.state === 'complete' && entry.resourceType !== 'websocket' && entry.resourceType !== 'eventsource') {
          assert.ok(total !== undefined && total > 0, `${entry.url} has a total`);
        }
        assert.ok(entry.startedAt > 1.7e12 && entry.startedAt < 1.9e12, `${entry.url} startedAt is epoch ms`);
      }
    });

    test(`${name}: every entry says where its request facts came from`, () => {
      for (const entry of entries) {
        assert.ok(entry.source.request, entry.url);
        assert.ok(entry.source.timings, entry.url);
        if (entry.response !== undefined) assert.equal(entry.source.response, 'BiDi network.responseCompleted');
      }
    });
  }
});

function assertEchoFrames(entry: NetworkEntry): void {
  const frames = entry.webSocket?.frames ?? [];
  assert.deepEqual(
    frames.map((frame) => [frame.direction, frame.opcode, frame.data, frame.size]),
    [
      ['sent', 1, 'hello-1', 7],
      ['sent', 1, 'hello-2', 7],
      ['sent', 1, '{"m":3}', 7],
      ['received', 1, 'echo:hello-1', 12],
      ['received', 1, 'echo:hello-2', 12],
      ['received', 1, 'echo:{"m":3}', 12],
    ],
  );
  assert.ok(frames.every((frame) => frame.time > 1.7e12));
  assert.equal(entry.state, 'complete');
  assert.ok((entry.webSocket?.openedAt ?? 0) > 0);
  assert.deepEqual({ ...entry.webSocket?.closed, time: undefined }, { time: undefined, code: 1005, reason: '', wasClean: true });
}
