import { test } from 'node:test';
import assert from 'node:assert/strict';
import validator from 'har-validator';
import { buildHar, harTimings } from '../../../src/har/index.js';
import type { Har, HarEntry } from '../../../src/har/index.js';
import { redactEntry } from '../../../src/redact/index.js';
import { PNG_BASE64, SECRETS, T0, sampleEntries, sampleEntry } from '../helpers/sample-entries.js';
import type { NetworkEntry } from '../../../src/model/types.js';

const OPTIONS = { creatorVersion: '0.1.0', browser: { name: 'chrome', version: '156.0' }, includeBodies: true };

function sampleHar(includeBodies = true): Har {
  return buildHar(sampleEntries().map(redactEntry), { ...OPTIONS, includeBodies });
}

function entryAt(har: Har, position: number): HarEntry {
  const entry = har.log.entries[position];
  assert.ok(entry, `HAR entry ${position}`);
  return entry;
}

test('the sample HAR passes har-validator (with and without bodies)', async () => {
  await validator.har(sampleHar(true));
  await validator.har(sampleHar(false));
});

test('har-validator really rejects a broken HAR (so the check above means something)', async () => {
  const broken = structuredClone(sampleHar()) as unknown as { log: { entries: Array<{ response: Record<string, unknown> }> } };
  const first = broken.log.entries[0];
  assert.ok(first);
  delete first.response.status;
  await assert.rejects(validator.har(broken));
});

test('log header: version, creator, browser, one page for one navigation, every pageref resolves', () => {
  const har = sampleHar();
  assert.equal(har.log.version, '1.2');
  assert.deepEqual(har.log.creator, { name: 'bidiscope', version: '0.1.0' });
  assert.deepEqual(har.log.browser, { name: 'chrome', version: '156.0' });
  assert.deepEqual(har.log.pages, [
    { startedDateTime: '2023-11-14T22:13:20.000Z', id: 'page_1', title: 'http://127.0.0.1:8080/', pageTimings: {} },
  ]);
  const pageIds = new Set(har.log.pages.map((page) => page.id));
  for (const entry of har.log.entries) assert.ok(entry.pageref !== undefined && pageIds.has(entry.pageref));
});

test('HAR numbers: send/wait/receive ≥ 0, optional phases ≥ -1, integer sizes, sorted start times', () => {
  const har = sampleHar();
  let previousStart = '';
  for (const entry of har.log.entries) {
    for (const phase of ['send', 'wait', 'receive'] as const) assert.ok(entry.timings[phase] >= 0, phase);
    for (const phase of ['blocked', 'dns', 'connect', 'ssl'] as const) assert.ok(entry.timings[phase] >= -1, phase);
    assert.ok(entry.time >= 0);
    for (const size of [entry.request.headersSize, entry.request.bodySize, entry.response.bodySize, entry.response.content.size]) {
      assert.ok(Number.isInteger(size) && size >= -1);
    }
    assert.ok(entry.startedDateTime >= previousStart);
    previousStart = entry.startedDateTime;
  }
});

test('login entry: cookies parsed, postData with redacted text, nothing secret anywhere', () => {
  const har = sampleHar();
  const login = entryAt(har, 2);
  assert.equal(login.startedDateTime, '2023-11-14T22:13:20.040Z');
  assert.deepEqual(login.request.postData, {
    mimeType: 'application/json',
    text: '{"user":"ada","password":"<redacted>","nested":{"token":"<redacted>"}}',
  });
  assert.equal(login.request.bodySize, 60);
  assert.equal(login.request.headersSize, -1);
  assert.equal(login.request.httpVersion, 'HTTP/1.1');
  assert.deepEqual(login.request.cookies, [
    { name: 'sid', value: '<redacted>', path: '/', domain: '127.0.0.1', httpOnly: true, secure: false },
  ]);
  assert.deepEqual(login.response.cookies, [{ name: 'sid', value: '<redacted>', path: '/', httpOnly: true }]);
  assert.deepEqual(login.timings, { blocked: 1, dns: 0.1, connect: 0.3, send: 0.1, wait: 6.3, receive: 0.2, ssl: -1 });
  const text = JSON.stringify(har);
  for (const secret of SECRETS) assert.ok(!text.includes(secret), `${secret} leaked into the HAR`);
});

test('redirects, 404, gzip, truncated and binary bodies', () => {
  const har = sampleHar();
  assert.equal(entryAt(har, 3).response.redirectURL, '/r2');
  assert.equal(entryAt(har, 3).response.status, 302);
  assert.equal(entryAt(har, 5).response.redirectURL, '');
  assert.equal(entryAt(har, 6).response.status, 404);
  assert.deepEqual(entryAt(har, 8).response.content.compression, 960);
  assert.equal(entryAt(har, 8).response.bodySize, 40);
  const large = entryAt(har, 9).response.content;
  assert.equal(large.size, 3 * 1024 * 1024);
  assert.equal(large.text?.length, 1000);
  assert.match(large.comment ?? '', /truncated at capture/);
  assert.deepEqual(entryAt(har, 10).response.content, { size: 70, mimeType: 'image/png', text: PNG_BASE64, encoding: 'base64' });
});

test('failed request: status 0 and _error; pending request: status 0 with a comment', () => {
  const har = sampleHar();
  const failed = entryAt(har, 7);
  assert.equal(failed.response.status, 0);
  assert.equal(failed._error, 'net::ERR_CONNECTION_REFUSED');
  assert.equal(failed.time, 0);
  assert.deepEqual(failed.response.content, { size: 0, mimeType: 'x-unknown' });
  const pending = entryAt(har, 13);
  assert.equal(pending.response.status, 0);
  assert.equal(pending._error, undefined);
  assert.match(pending.response.comment ?? '', /pending/);
});

test('WebSocket entry: Chrome DevTools _webSocketMessages with epoch-second times', () => {
  const socket = entryAt(sampleHar(), 11);
  assert.equal(socket._resourceType, 'websocket');
  assert.equal(socket.response.status, 101, 'inferred from the socket opening');
  assert.deepEqual(socket._webSocketMessages?.slice(0, 2), [
    { type: 'send', time: (T0 + 210) / 1000, opcode: 1, data: 'hello-1' },
    { type: 'receive', time: (T0 + 212) / 1000, opcode: 1, data: 'hello-1' },
  ]);
  assert.equal(socket._webSocketMessages?.length, 6);
});

test('SSE entry: _eventSourceMessages', () => {
  const sse = entryAt(sampleHar(), 12);
  assert.equal(sse._resourceType, 'eventsource');
  assert.deepEqual(sse._eventSourceMessages?.[0], { time: (T0 + 250) / 1000, eventName: 'message', eventId: '1', data: '{"n":1}' });
  assert.equal(sse.time, 420);
  assert.equal(sse.timings.wait, 420);
});

test('includeBodies: false keeps sizes, counts and times but no body text or payloads', () => {
  const har = sampleHar(false);
  for (const entry of har.log.entries) {
    assert.equal(entry.response.content.text, undefined);
    assert.equal(entry.request.postData?.text, undefined);
    for (const message of entry._webSocketMessages ?? []) assert.equal(message.data, '');
    for (const message of entry._eventSourceMessages ?? []) assert.equal(message.data, '');
  }
  assert.equal(entryAt(har, 9).response.content.size, 3 * 1024 * 1024);
  assert.equal(entryAt(har, 11)._webSocketMessages?.length, 6);
  assert.match(har.log.comment ?? '', /Bodies not included/);
});

test('harTimings: unknown phases are -1 (optional) or 0 (required), a bare total goes to wait', () => {
  assert.deepEqual(harTimings({}), {
    time: 0,
    timings: {
      blocked: -1,
      dns: -1,
      connect: -1,
      send: 0,
      wait: 0,
      receive: 0,
      ssl: -1,
      comment: 'send, wait, receive: not reported by the browser (0)',
    },
  });
  assert.deepEqual(harTimings({ total: 12.3456, dns: 2 }), {
    time: 12.346,
    timings: {
      blocked: -1,
      dns: 2,
      connect: -1,
      send: 0,
      wait: 10.346,
      receive: 0,
      ssl: -1,
      comment: 'send, receive: not reported by the browser (0); wait: total minus the reported phases',
    },
  });
  const full = harTimings({ blocked: 1, dns: 0, connect: 2, ssl: 1, send: 0.5, wait: 5, receive: 1 });
  assert.equal(full.time, 9.5, 'without a total, time is the sum of phases (ssl is inside connect)');
  assert.equal(full.timings.comment, undefined);
});

test('pages: one per navigation; sub-resources follow the latest page in their context; given pages win', () => {
  const entries = sampleEntries();
  const secondDocument: NetworkEntry = {
    ...sampleEntry(0),
    index: 14,
    id: 'doc-2:0',
    requestId: 'doc-2',
    navigation: 'nav-2',
    url: 'http://127.0.0.1:8080/next',
    startedAt: T0 + 1000,
  };
  const lateFetch: NetworkEntry = { ...sampleEntry(1), index: 15, requestId: 'req-15', id: 'req-15:0', startedAt: T0 + 1100 };
  const har = buildHar([...entries, secondDocument, lateFetch], OPTIONS);
  assert.deepEqual(
    har.log.pages.map((page) => [page.id, page.title, page.startedDateTime]),
    [
      ['page_1', 'http://127.0.0.1:8080/', '2023-11-14T22:13:20.000Z'],
      ['page_2', 'http://127.0.0.1:8080/next', '2023-11-14T22:13:21.000Z'],
    ],
  );
  assert.deepEqual(
    har.log.entries.slice(-3).map((entry) => entry.pageref),
    ['page_1', 'page_2', 'page_2'],
  );

  const given = buildHar(entries, { ...OPTIONS, pages: [{ id: 'nav-1', title: 'Demo', startedAt: T0 }] });
  assert.deepEqual(
    given.log.pages.map((page) => page.id),
    ['nav-1'],
  );
  assert.ok(given.log.entries.every((entry) => entry.pageref === 'nav-1'));

  const noDocuments = buildHar(entries.slice(1, 3), OPTIONS);
  assert.deepEqual(
    noDocuments.log.pages.map((page) => page.title),
    ['http://127.0.0.1:8080/api/json'],
  );
  assert.deepEqual(buildHar([], OPTIONS).log.pages, []);
});

test('query strings are decoded; a Cookie header is parsed when BiDi gave no cookie list', () => {
  const entry: NetworkEntry = {
    ...sampleEntry(1),
    url: 'http://127.0.0.1:8080/search?q=a+b&tag=%C3%A9&flag&bad=%E0%A4',
    request: { headers: [{ name: 'Cookie', value: 'a=1; b=2' }], cookies: [] },
  };
  const [harEntry] = buildHar([entry], OPTIONS).log.entries;
  assert.deepEqual(harEntry?.request.queryString, [
    { name: 'q', value: 'a b' },
    { name: 'tag', value: 'é' },
    { name: 'flag', value: '' },
    { name: 'bad', value: '%E0%A4' },
  ]);
  assert.deepEqual(harEntry?.request.cookies, [
    { name: 'a', value: '1' },
    { name: 'b', value: '2' },
  ]);
});

test('redacted URLs (literal <redacted> in userinfo, query and fragment) still validate', async () => {
  const entry: NetworkEntry = { ...sampleEntry(1), url: 'https://ada:pw@127.0.0.1:8080/x?token=t&q=1#access_token=z' };
  const har = buildHar([redactEntry(entry)], OPTIONS);
  assert.equal(entryAt(har, 0).request.url, 'https://ada:<redacted>@127.0.0.1:8080/x?token=<redacted>&q=1#access_token=<redacted>');
  assert.deepEqual(entryAt(har, 0).request.queryString, [
    { name: 'token', value: '<redacted>' },
    { name: 'q', value: '1' },
  ]);
  await validator.har(har);
});
