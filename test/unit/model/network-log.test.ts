/** NetworkLog behaviour beyond the fixtures: retention, filters, clearing, odd input and event orders. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NetworkLog } from '../../../src/model/network-log.js';
import type { EntryDraft } from '../../../src/model/network-log.js';
import { normalizeEvents } from '../../helpers/normalize-events.js';
import { MAX_STREAM_ITEMS_PER_ENTRY } from '../../../src/model/shim/streams.js';
import { hopParams, shimParams } from './bidi-events.js';
import { loadFixtureEvents, pathOf } from '../../helpers/fixture-events.js';

const T0 = 1_800_000_000_000;

test('maxEntries evicts the oldest entries and keeps the indexes of the rest', () => {
  const log = new NetworkLog({ maxEntries: 2 });
  assert.equal(log.ingest('network.beforeRequestSent', hopParams({ id: 'a', url: 'http://h/a' })).change, 'created');
  log.ingest('network.beforeRequestSent', hopParams({ id: 'b', url: 'http://h/b' }));
  const third = log.ingest('network.beforeRequestSent', hopParams({ id: 'c', url: 'http://h/c' }));
  assert.deepEqual(
    third.evicted?.map((entry) => entry.url),
    ['http://h/a'],
  );
  assert.deepEqual(
    log.entries().map((entry) => [entry.index, entry.url]),
    [
      [1, 'http://h/b'],
      [2, 'http://h/c'],
    ],
  );
  assert.equal(log.get(0), undefined);
  assert.equal(log.get(1)?.url, 'http://h/b');
  assert.equal(log.get(2)?.url, 'http://h/c');
  assert.equal(log.get(3), undefined);
  assert.equal(log.findById('a:0'), undefined);
  // A late event for the evicted request does not bring it back.
  const late = log.ingest('network.responseCompleted', hopParams({ id: 'a', url: 'http://h/a', status: 200 }));
  assert.equal(late.change, 'ignored');
  assert.equal(log.entries().length, 2);
  assert.deepEqual(log.stats(), {
    requests: 3,
    responses: 0,
    failed: 0,
    wsFrames: 0,
    streamingResponses: 0,
    streamEvents: 0,
    dropped: 1,
    filtered: 0,
    failedEvents: 0,
    retained: 2,
  });
});

test('maxEntries over a whole fixture keeps the newest entries exactly as an unbounded log has them', () => {
  const events = loadFixtureEvents('chromium-156-index-page');
  const unbounded = normalizeEvents(events);
  const bounded = normalizeEvents(events, { maxEntries: 5 });
  assert.deepEqual(bounded, unbounded.slice(-5));
  assert.deepEqual(
    bounded.map((entry) => entry.index),
    [9, 10, 11, 12, 13],
  );
});

test('accept is called once per hop; rejected requests and their later events are filtered', () => {
  const drafts: EntryDraft[] = [];
  const log = new NetworkLog({
    accept: (draft) => {
      drafts.push(draft);
      return draft.resourceType !== 'image' && !draft.url.includes('/api/');
    },
  });
  const changes: string[] = [];
  for (const event of loadFixtureEvents('chromium-156-index-page')) {
    changes.push(log.ingest(event.name, event.p, event.t).change);
  }
  assert.equal(drafts.length, 14, 'one call per hop, including the synthetic WebSocket entry');
  assert.deepEqual(drafts[1], { url: 'http://127.0.0.1:36067/img.png', method: 'GET', resourceType: 'image' });
  assert.deepEqual(
    log.entries().map((entry) => pathOf(entry.url)),
    ['/', '/r1', '/r2', '/final', '/missing', '/gzip', '/large', '/dead', '/sse', '/ws'],
  );
  assert.deepEqual(
    log.entries().map((entry) => entry.index),
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  );
  assert.equal(log.stats().filtered, 4);
  assert.equal(changes.filter((change) => change === 'filtered').length, 4 * 3, 'every event of the 4 rejected hops');
});

test('a rejected EventSource or WebSocket filters its shim messages too', () => {
  const log = new NetworkLog({
    accept: (draft) => draft.resourceType !== 'eventsource' && draft.resourceType !== 'websocket',
  });
  const changes = new Map<string, string[]>();
  for (const event of loadFixtureEvents('chromium-156-index-page')) {
    const change = log.ingest(event.name, event.p, event.t).change;
    const value = (event.p as { data?: { value?: string } }).data?.value;
    const kind = value === undefined ? event.name : (JSON.parse(value) as { k: string }).k;
    changes.set(kind, [...(changes.get(kind) ?? []), change]);
  }
  assert.deepEqual(changes.get('sse-msg'), ['filtered', 'filtered', 'filtered']);
  assert.deepEqual(changes.get('ws-send'), ['filtered', 'filtered', 'filtered']);
  const stats = log.stats();
  assert.equal(stats.streamEvents, 0);
  assert.equal(stats.wsFrames, 0);
  assert.equal(stats.streamingResponses, 0);
  assert.equal(stats.filtered, 2);
  assert.ok(log.entries().every((entry) => entry.resourceType !== 'eventsource' && entry.resourceType !== 'websocket'));
});

test('clear() forgets everything but never reuses an index', () => {
  const log = new NetworkLog();
  for (const event of loadFixtureEvents('firefox-153-index-page')) log.ingest(event.name, event.p, event.t);
  assert.equal(log.entries().length, 15);
  log.clear();
  assert.deepEqual(log.entries(), []);
  assert.equal(log.get(0), undefined);
  assert.deepEqual(log.stats(), {
    requests: 0,
    responses: 0,
    failed: 0,
    wsFrames: 0,
    streamingResponses: 0,
    streamEvents: 0,
    dropped: 0,
    filtered: 0,
    failedEvents: 0,
    retained: 0,
  });
  const result = log.ingest('network.beforeRequestSent', hopParams({ id: 'n', url: 'http://h/new' }));
  assert.equal(result.entry?.index, 15, 'the first entry after a clear continues past the old ones');
  assert.equal(log.get(15)?.url, 'http://h/new');
  assert.equal(log.get(0), undefined);
  assert.equal(log.findById('n:0')?.url, 'http://h/new');
});

test('a later log continues where an earlier one ended (firstIndex)', () => {
  const first = new NetworkLog();
  for (const event of loadFixtureEvents('chromium-156-index-page')) first.ingest(event.name, event.p, event.t);
  const second = new NetworkLog({ firstIndex: first.nextEntryIndex });
  const result = second.ingest('network.beforeRequestSent', hopParams({ id: 'n', url: 'http://h/next' }));
  assert.equal(result.entry?.index, first.nextEntryIndex);
  assert.equal(second.get(first.nextEntryIndex)?.url, 'http://h/next');
  assert.equal(second.get(0), undefined);
});

test('capture started mid-request: the entry is built from whatever event comes first', () => {
  const events = loadFixtureEvents('firefox-153-index-page').filter((event) => event.name !== 'network.beforeRequestSent');
  const log = new NetworkLog();
  const first = log.ingest(events[0]?.name ?? '', events[0]?.p, events[0]?.t);
  assert.equal(first.change, 'created', 'responseStarted creates the entry');
  for (const event of events.slice(1)) log.ingest(event.name, event.p, event.t);
  const entries = log.entries();
  assert.equal(entries.length, 15);
  const document = entries[0];
  assert.equal(document?.response?.status, 200);
  assert.equal(document?.state, 'complete');
  assert.match(document?.source.request ?? '', /capture began after the request started/);
  const dead = entries.find((entry) => pathOf(entry.url) === '/dead');
  assert.equal(dead?.state, 'failed', 'fetchError alone creates a failed entry');
});

test('an entry created and completed by one event reports completed', () => {
  const log = new NetworkLog();
  const result = log.ingest('network.responseCompleted', hopParams({ id: 'x', url: 'http://h/x', status: 200 }));
  assert.equal(result.change, 'completed');
  assert.equal(result.entry?.state, 'complete');
  const again = log.ingest('network.responseCompleted', hopParams({ id: 'x', url: 'http://h/x', status: 200 }));
  assert.equal(again.change, 'updated', 'a duplicate completion is not a second completion');
});

test('a fetchError after completion never turns a completed entry into a failure', () => {
  const log = new NetworkLog();
  log.ingest('network.beforeRequestSent', hopParams({ id: 's', url: 'http://h/sse' }));
  log.ingest('network.responseCompleted', hopParams({ id: 's', url: 'http://h/sse', status: 200 }));
  const abortedAfterCompletion = hopParams({ id: 's', url: 'http://h/sse', errorText: 'net::ERR_ABORTED' });
  const stray = log.ingest('network.fetchError', abortedAfterCompletion);
  assert.equal(stray.change, 'ignored');
  assert.equal(log.findById('s:0')?.state, 'complete');
  const unknownRequest = hopParams({ id: 'u', url: 'UNKNOWN', method: 'UNKNOWN', errorText: 'net::ERR_ABORTED' });
  const unknown = log.ingest('network.fetchError', unknownRequest);
  assert.equal(unknown.change, 'ignored');
  assert.equal(log.entries().length, 1);
  // A pending request that is aborted is a real failure.
  log.ingest('network.beforeRequestSent', hopParams({ id: 'p', url: 'http://h/slow' }));
  const abortedWhilePending = hopParams({ id: 'p', url: 'http://h/slow', errorText: 'net::ERR_ABORTED' });
  const aborted = log.ingest('network.fetchError', abortedWhilePending);
  assert.equal(aborted.change, 'failed');
  assert.equal(aborted.entry?.error, 'net::ERR_ABORTED');
});

test('odd input never throws and is ignored', () => {
  const log = new NetworkLog();
  const junk: unknown[] = [
    undefined,
    null,
    42,
    'text',
    [],
    {},
    { request: null },
    { request: { request: 7 } },
    { request: { request: '' } },
    { request: { request: 'r', headers: 'nope', cookies: [1, null, {}], timings: 'x' }, redirectCount: -3 },
    { channel: 'bidiscope', data: { type: 'string', value: '{not json' } },
    { channel: 'bidiscope', data: { type: 'string', value: '{"k":"ws-send","id":1}' } },
    { channel: 'bidiscope', data: { type: 'number', value: 3 } },
    { channel: 'other', data: { type: 'string', value: '{"k":"ws-create","id":1,"url":"ws://h/"}' } },
  ];
  for (const method of [
    'network.beforeRequestSent',
    'network.responseStarted',
    'network.responseCompleted',
    'network.fetchError',
    'script.message',
    'log.entryAdded',
  ]) {
    for (const params of junk) {
      const result = log.ingest(method, params, T0);
      assert.ok(['ignored', 'created', 'completed', 'failed', 'updated'].includes(result.change));
    }
  }
  // Only the one well-formed-enough request id ("r", URL unknown → unusable) could have made an entry; none did.
  assert.deepEqual(log.entries(), []);
  assert.equal(log.ingest('network.beforeRequestSent', hopParams({ id: 'ok', url: 'http://h/ok' })).entry?.index, 0);
});

test('WebSocket: Firefox handshake arriving after ws-open merges into the synthetic entry', () => {
  const log = new NetworkLog();
  log.ingest('script.message', shimParams({ k: 'ws-create', id: 1, url: 'ws://h/ws', t: T0 }));
  const open = log.ingest('script.message', shimParams({ k: 'ws-open', id: 1, url: 'ws://h/ws', protocol: 'chat', t: T0 + 5 }));
  assert.equal(open.entry?.requestId, 'shim-ws-1');
  assert.equal(open.entry?.state, 'complete');
  const handshakeHeaders: Array<[string, string]> = [
    ['Sec-Fetch-Mode', 'websocket'],
    ['Sec-WebSocket-Key', 'abc'],
  ];
  const handshake = hopParams({ id: '20-x', url: 'http://h/ws', requestHeaders: handshakeHeaders });
  const merged = log.ingest('network.beforeRequestSent', handshake);
  assert.equal(merged.change, 'updated');
  assert.equal(merged.entry, open.entry);
  log.ingest(
    'network.responseCompleted',
    hopParams({
      id: '20-x',
      url: 'http://h/ws',
      requestHeaders: handshakeHeaders,
      status: 101,
      responseHeaders: [['Upgrade', 'websocket']],
    }),
  );
  log.ingest('script.message', shimParams({ k: 'ws-send', id: 1, text: 'hé', t: T0 + 6 }));
  const entries = log.entries();
  assert.equal(entries.length, 1);
  const entry = entries[0];
  assert.equal(entry?.response?.status, 101);
  assert.equal(entry?.webSocket?.protocol, 'chat');
  assert.deepEqual(entry?.webSocket?.frames, [{ direction: 'sent', time: T0 + 6, opcode: 1, size: 3, data: 'hé' }]);
  assert.equal(log.findById('20-x:0'), entry);
  assert.match(entry?.source.request ?? '', /merged into the entry built from the page shim/);
  assert.equal(log.stats().requests, 1);
});

test('WebSocket that never opens: the synthetic entry fails', () => {
  const log = new NetworkLog();
  log.ingest('script.message', shimParams({ k: 'ws-create', id: 1, url: 'ws://h:9/ws', t: T0 }));
  const error = log.ingest('script.message', shimParams({ k: 'ws-error', id: 1, t: T0 + 1 }));
  assert.equal(error.change, 'failed');
  assert.equal(error.entry?.state, 'failed');
  assert.match(error.entry?.error ?? '', /failed/);
  const close = { k: 'ws-close', id: 1, code: 1006, reason: '', wasClean: false, t: T0 + 2 };
  log.ingest('script.message', shimParams(close));
  assert.equal(log.stats().failed, 1);
  assert.deepEqual(log.entries()[0]?.webSocket?.closed, { time: T0 + 2, code: 1006, reason: '', wasClean: false });
  assert.equal(log.entries().length, 1);
});

test('WebSocket binary frames and the per-entry frame cap', () => {
  const log = new NetworkLog();
  log.ingest('script.message', shimParams({ k: 'ws-create', id: 1, url: 'ws://h/ws', t: T0 }));
  log.ingest('script.message', shimParams({ k: 'ws-open', id: 1, t: T0 }));
  log.ingest('script.message', shimParams({ k: 'ws-recv', id: 1, binary: true, size: 4, b64: 'AAECAw==', t: T0 + 1 }));
  log.ingest('script.message', shimParams({ k: 'ws-send', id: 1, binary: true, size: 70000, t: T0 + 2 }));
  const entry = log.entries()[0];
  assert.deepEqual(entry?.webSocket?.frames, [
    { direction: 'received', time: T0 + 1, opcode: 2, size: 4, data: 'AAECAw==' },
    { direction: 'sent', time: T0 + 2, opcode: 2, size: 70000 },
  ]);
  for (let i = 0; i < MAX_STREAM_ITEMS_PER_ENTRY + 3; i++) {
    log.ingest('script.message', shimParams({ k: 'ws-send', id: 1, text: 'x', t: T0 + 3 }));
  }
  assert.equal(entry?.webSocket?.frames.length, MAX_STREAM_ITEMS_PER_ENTRY);
  assert.match(entry?.source.webSocket ?? '', /5 frames dropped beyond the 10000-frame cap/);
  assert.equal(log.stats().wsFrames, MAX_STREAM_ITEMS_PER_ENTRY + 5);
});

test('EventSource messages that arrive before the request are buffered and attached', () => {
  const log = new NetworkLog();
  log.ingest('script.message', shimParams({ k: 'sse-create', id: 1, url: 'http://h/events', t: T0 }));
  log.ingest('script.message', shimParams({ k: 'sse-open', id: 1, t: T0 + 1 }));
  const message = { k: 'sse-msg', id: 1, event: 'tick', lastEventId: '', text: 'a', t: T0 + 2 };
  const early = log.ingest('script.message', shimParams(message));
  assert.deepEqual(early, { change: 'stream-event' });
  const created = log.ingest(
    'network.beforeRequestSent',
    hopParams({
      id: 'e',
      url: 'http://h/events',
      requestHeaders: [['Accept', 'text/event-stream']],
      extraRequest: { initiatorType: null },
    }),
  );
  assert.equal(created.entry?.resourceType, 'eventsource');
  assert.deepEqual(created.entry?.stream?.events, [{ time: T0 + 2, event: 'tick', data: 'a' }]);
  assert.equal(created.entry?.stream?.openedAt, T0 + 1);
  const later = log.ingest('script.message', shimParams({ k: 'sse-error', id: 1, readyState: 0, t: T0 + 3 }));
  assert.match(later.entry?.stream?.error ?? '', /reconnecting/);
  assert.equal(log.stats().streamingResponses, 1);
  assert.equal(log.stats().streamEvents, 1);
});

test('EventSource links to the most recent pending entry with the same URL in the same context', () => {
  const log = new NetworkLog();
  const stream = (id: string, context: string, status?: number) =>
    hopParams({ id, url: 'http://h/events', context, status, requestHeaders: [['Accept', 'text/event-stream']] });
  log.ingest('network.beforeRequestSent', stream('old', 'ctx-1'));
  log.ingest('network.responseCompleted', stream('old', 'ctx-1', 200));
  log.ingest('network.beforeRequestSent', stream('other-tab', 'ctx-2'));
  log.ingest('network.beforeRequestSent', stream('new', 'ctx-1'));
  const created = log.ingest('script.message', shimParams({ k: 'sse-create', id: 4, url: 'http://h/events', t: T0 }));
  assert.equal(created.entry?.id, 'new:0');
  assert.equal(log.findById('old:0')?.stream, undefined);
  assert.equal(log.findById('other-tab:0')?.stream, undefined);
});

test('sockets are keyed by realm: the same shim id in two documents stays apart', () => {
  const log = new NetworkLog();
  for (const realm of ['realm-a', 'realm-b']) {
    log.ingest('script.message', shimParams({ k: 'ws-create', id: 1, url: `ws://h/${realm}`, t: T0 }, { realm }));
    log.ingest('script.message', shimParams({ k: 'ws-open', id: 1, t: T0 }, { realm }));
    log.ingest('script.message', shimParams({ k: 'ws-send', id: 1, text: realm, t: T0 }, { realm }));
  }
  assert.deepEqual(
    log.entries().map((entry) => [entry.url, entry.webSocket?.frames.map((frame) => frame.data)]),
    [
      ['ws://h/realm-a', ['realm-a']],
      ['ws://h/realm-b', ['realm-b']],
    ],
  );
});

test('request bodies inside events honour captureBodies and maxBodyBytes', () => {
  const post = hopParams({
    id: 'p',
    url: 'http://h/login',
    method: 'POST',
    requestHeaders: [['Content-Type', 'text/plain;charset=UTF-8']],
    extraRequest: { 'goog:postData': 'x'.repeat(10), 'goog:hasPostData': true },
  });
  const truncated = new NetworkLog({ maxBodyBytes: 4 }).ingest('network.beforeRequestSent', post).entry?.request.body;
  assert.deepEqual(truncated, { state: 'available', encoding: 'text', data: 'xxxx', size: 10, truncated: true });
  const none = new NetworkLog({ captureBodies: 'none' }).ingest('network.beforeRequestSent', post).entry?.request.body;
  assert.equal(none?.state, 'not-captured');
  const flagged = hopParams({
    id: 'q',
    url: 'http://h/upload',
    method: 'POST',
    extraRequest: { 'goog:hasPostData': true },
  });
  const entry = new NetworkLog().ingest('network.beforeRequestSent', flagged).entry;
  assert.equal(entry?.request.body, undefined);
  assert.match(entry?.source.requestBody ?? '', /goog:hasPostData/);
  // goog:postData is a string, not bytes: for a body that is not text by its type, the data collector's copy is used.
  for (const type of [undefined, 'application/octet-stream', 'image/png']) {
    const binary = hopParams({
      id: `b-${type ?? 'none'}`,
      url: 'http://h/upload',
      method: 'POST',
      ...(type ? { requestHeaders: [['Content-Type', type]] as Array<[string, string]> } : {}),
      extraRequest: { 'goog:postData': '\u0000\u00ff', 'goog:hasPostData': true },
    });
    const set = new NetworkLog().ingest('network.beforeRequestSent', binary).entry;
    assert.equal(set?.request.body, undefined, String(type));
    assert.match(set?.source.requestBody ?? '', /goog:postData ignored/);
    assert.equal(set?.request.postDataNotByteExact, true);
  }
});

test('an event that throws while applied is counted, the first of its kind handed back, never thrown at the caller', () => {
  const log = new NetworkLog();
  const hostile = {
    get request(): never {
      throw new Error('boom');
    },
  };
  assert.deepEqual(log.ingest('network.beforeRequestSent', hostile), { change: 'ignored', firstFailure: 'boom' });
  assert.deepEqual(log.ingest('network.beforeRequestSent', hostile), { change: 'ignored' });
  assert.deepEqual(log.ingest('network.responseStarted', hostile), { change: 'ignored', firstFailure: 'boom' });
  assert.equal(log.stats().failedEvents, 3);
});
