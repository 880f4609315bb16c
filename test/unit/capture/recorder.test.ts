/** The recorder against a fake BiDi connection: subscriptions, stop, clear, and body fetching with its bounds. */
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { CaptureRecorder } from '../../../src/capture/recorder.js';
import { CAPTURE_DEFAULTS, type CaptureOptions } from '../../../src/capture/capture-options.js';
import type { BodyRecord } from '../../../src/model/types.js';
import { FakeBidi, bidiError } from '../../helpers/fake-bidi.js';
import { hopParams, type HopOptions } from '../model/bidi-events.js';

const recorders: CaptureRecorder[] = [];
afterEach(() => {
  for (const recorder of recorders.splice(0)) recorder.markBrowserGone('test over');
});

async function recorder(bidi: FakeBidi, options: Partial<CaptureOptions> = {}): Promise<CaptureRecorder> {
  const made = new CaptureRecorder(
    bidi,
    'chrome-1',
    { ...CAPTURE_DEFAULTS, captureWebSockets: false, captureStreaming: false, ...options },
    () => 'ctx-1',
    0,
    'firefox',
  );
  await made.start();
  recorders.push(made);
  return made;
}

/** One finished request/response pair. */
function finish(bidi: FakeBidi, hop: HopOptions): void {
  bidi.emit('network.beforeRequestSent', hopParams(hop));
  bidi.emit('network.responseStarted', hopParams(hop));
  bidi.emit('network.responseCompleted', hopParams(hop));
}

/** Waits (bounded) until the recorder has no body left to fetch. */
async function settled(made: CaptureRecorder): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (made.stats().bodiesPending > 0) {
    if (Date.now() > deadline) throw new Error(`bodies still pending: ${made.stats().bodiesPending}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function responseBody(made: CaptureRecorder, index: number): BodyRecord | undefined {
  return made.entry(index)?.response?.body;
}

test('stop unsubscribes what start subscribed and removes collector and page script', async () => {
  const bidi = new FakeBidi();
  const made = await recorder(bidi, { captureWebSockets: true });
  const subscription = [...bidi.subscriptions.keys()][0];
  assert.equal(made.active, true);
  await made.stop();
  assert.equal(made.active, false);
  assert.deepEqual(
    bidi.sentOf('session.unsubscribe').map((command) => command.params),
    [{ subscriptions: [subscription] }],
  );
  assert.equal(bidi.subscriptions.size, 0);
  assert.equal(bidi.collectors.size, 0);
  assert.equal(bidi.preloadScripts.size, 0);
  assert.equal(bidi.listenerCount('network.beforeRequestSent'), 0);
  assert.equal(bidi.listenerCount('script.message'), 0);
  await made.stop();
  assert.equal(bidi.sentOf('session.unsubscribe').length, 1, 'a second stop sends nothing');
});

test('a browser without subscription ids is unsubscribed by event names', async () => {
  const bidi = new FakeBidi();
  bidi.answer('session.subscribe', {});
  const made = await recorder(bidi);
  await made.stop();
  assert.deepEqual(bidi.sentOf('session.unsubscribe')[0]?.params, {
    events: ['network.beforeRequestSent', 'network.responseStarted', 'network.responseCompleted', 'network.fetchError'],
  });
});

test('a text body is fetched once, disowned, bounded, and stored', async () => {
  const bidi = new FakeBidi();
  const made = await recorder(bidi);
  bidi.bodies.set('response:r1', { type: 'string', value: '{"ok":true}' });
  finish(bidi, { id: 'r1', url: 'http://h/api', status: 200, mimeType: 'application/json' });
  await settled(made);
  assert.deepEqual(responseBody(made, 0), { state: 'available', encoding: 'text', data: '{"ok":true}', size: 11 });
  const fetches = bidi.sentOf('network.getData');
  assert.equal(fetches.length, 1);
  assert.deepEqual(fetches[0]?.params, { dataType: 'response', request: 'r1', collector: [...bidi.collectors][0], disown: true });
  assert.equal(fetches[0]?.timeoutMs, 5_000);
  assert.equal(made.stats().bodiesStoredBytes, 11);
});

test('a request body is fetched when the request carries one', async () => {
  const bidi = new FakeBidi();
  const made = await recorder(bidi);
  bidi.bodies.set('request:r1', { type: 'string', value: 'a=1&b=2' });
  bidi.bodies.set('response:r1', { type: 'string', value: 'ok' });
  finish(bidi, {
    id: 'r1',
    url: 'http://h/form',
    method: 'POST',
    status: 200,
    requestHeaders: [['content-type', 'application/x-www-form-urlencoded']],
    extraRequest: { bodySize: 7 },
  });
  await settled(made);
  assert.equal(made.entry(0)?.request.body?.data, 'a=1&b=2');
  assert.deepEqual(
    bidi
      .sentOf('network.getData')
      .map((command) => command.params.dataType)
      .sort(),
    ['request', 'response'],
  );
});

test('why a body is unavailable: timeout, eviction, no data, other errors', async () => {
  const bidi = new FakeBidi({ timeScale: 0.001 });
  const made = await recorder(bidi);
  const answers: Record<string, () => unknown> = {
    hang: () => new Promise(() => undefined),
    evicted: () => {
      throw bidiError('network.getData', 'unavailable network data', 'evicted');
    },
    none: () => {
      throw bidiError('network.getData', 'no such network data', 'No data found');
    },
    odd: () => {
      throw bidiError('network.getData', 'unknown error', 'boom');
    },
  };
  bidi.answer('network.getData', (params: Record<string, unknown>) => answers[String(params.request)]?.());
  const ids = Object.keys(answers);
  for (const id of ids) finish(bidi, { id, url: `http://h/${id}`, status: 200, mimeType: 'text/plain' });
  await settled(made);
  assert.deepEqual(
    ids.map((_, index) => responseBody(made, index)),
    [
      { state: 'unavailable', reason: 'the browser did not return the response body within 5000 ms' },
      { state: 'unavailable', reason: 'the browser evicted the body from its store (too much data)' },
      { state: 'unavailable', reason: 'the browser kept no body for this response' },
      { state: 'unavailable', reason: 'the browser could not return the response body: network.getData: unknown error — boom' },
    ],
  );
});

test('what is not fetched: binary in text mode, redirects, event streams', async () => {
  const bidi = new FakeBidi();
  const made = await recorder(bidi);
  finish(bidi, { id: 'img', url: 'http://h/a.png', status: 200, mimeType: 'image/png' });
  finish(bidi, { id: 'moved', url: 'http://h/r1', status: 302, mimeType: 'text/html' });
  finish(bidi, {
    id: 'sse',
    url: 'http://h/sse',
    status: 200,
    mimeType: 'text/event-stream',
    extraRequest: { initiatorType: 'other', destination: '' },
    requestHeaders: [['accept', 'text/event-stream']],
  });
  await settled(made);
  assert.deepEqual(responseBody(made, 0), {
    state: 'not-captured',
    reason: 'binary body (image/png) not captured with captureBodies "text"',
  });
  assert.deepEqual(responseBody(made, 1), { state: 'not-captured', reason: 'redirect response: the body is on the final hop' });
  assert.equal(
    bidi.sentOf('network.getData').some((command) => command.params.request === 'img' || command.params.request === 'moved'),
    false,
  );
});

test('in "all" mode binary bodies are kept as base64, cut at maxBodyBytes', async () => {
  const bidi = new FakeBidi();
  const made = await recorder(bidi, { captureBodies: 'all', maxBodyBytes: 4 });
  bidi.bodies.set('response:img', { type: 'base64', value: Buffer.from([1, 2, 3, 4, 5, 6]).toString('base64') });
  finish(bidi, { id: 'img', url: 'http://h/a.bin', status: 200, mimeType: 'application/octet-stream' });
  await settled(made);
  assert.deepEqual(responseBody(made, 0), {
    state: 'available',
    encoding: 'base64',
    data: Buffer.from([1, 2, 3, 4]).toString('base64'),
    size: 6,
    truncated: true,
  });
});

test('the total body budget: once used, later bodies are not fetched and are counted', async () => {
  const bidi = new FakeBidi();
  const made = await recorder(bidi, { maxTotalBodyBytes: 10 });
  bidi.bodies.set('response:a', { type: 'string', value: 'x'.repeat(12) });
  finish(bidi, { id: 'a', url: 'http://h/a', status: 200, mimeType: 'text/plain' });
  await settled(made);
  bidi.bodies.set('response:b', { type: 'string', value: 'y' });
  finish(bidi, { id: 'b', url: 'http://h/b', status: 200, mimeType: 'text/plain' });
  await settled(made);
  assert.equal(responseBody(made, 0)?.data, 'x'.repeat(12), 'the body that crosses the budget is kept');
  assert.deepEqual(responseBody(made, 1), {
    state: 'unavailable',
    reason: "the capture's total body budget is used up; the body was not kept",
  });
  assert.deepEqual(
    bidi.sentOf('network.getData').map((command) => command.params.request),
    ['a'],
  );
  const stats = made.stats();
  assert.deepEqual([stats.bodiesStoredBytes, stats.bodiesSkippedForBudget], [12, 1]);
});

test('the total body budget holds when several bodies are fetched at once', async () => {
  const bidi = new FakeBidi();
  const made = await recorder(bidi, { maxTotalBodyBytes: 10 });
  for (const id of ['a', 'b', 'c', 'd']) {
    bidi.bodies.set(`response:${id}`, { type: 'string', value: id.repeat(100) });
    finish(bidi, { id, url: `http://h/${id}`, status: 200, mimeType: 'text/plain' });
  }
  await settled(made);
  const stats = made.stats();
  assert.equal(stats.bodiesStoredBytes, 100, 'one body crosses the budget, the others are not kept');
  assert.equal(stats.bodiesSkippedForBudget, 3);
});

test('at most four bodies are fetched at a time', async () => {
  const bidi = new FakeBidi();
  let running = 0;
  let most = 0;
  bidi.answer('network.getData', async () => {
    running += 1;
    most = Math.max(most, running);
    await new Promise((resolve) => setTimeout(resolve, 5));
    running -= 1;
    return { bytes: { type: 'string', value: 'ok' } };
  });
  const made = await recorder(bidi);
  for (let i = 0; i < 12; i += 1) finish(bidi, { id: `r${i}`, url: `http://h/${i}`, status: 200, mimeType: 'text/plain' });
  assert.equal(made.stats().bodiesPending, 12);
  await settled(made);
  assert.equal(most, 4);
  assert.equal(bidi.sentOf('network.getData').length, 12);
});

test('a 204 has no body to fetch and is not counted against the budget', async () => {
  const bidi = new FakeBidi();
  const made = await recorder(bidi, { maxTotalBodyBytes: 1 });
  bidi.bodies.set('response:a', { type: 'string', value: 'xx' });
  finish(bidi, { id: 'a', url: 'http://h/a', status: 200, mimeType: 'text/plain' });
  await settled(made);
  finish(bidi, { id: 'none', url: 'http://h/favicon.ico', status: 204, mimeType: 'text/plain' });
  await settled(made);
  assert.equal(made.stats().bodiesSkippedForBudget, 0);
  assert.deepEqual(
    bidi.sentOf('network.getData').map((command) => command.params.request),
    ['a'],
  );
});

test('a 101 or 205 is not fetched; a 304 is (the browser answers it with the cached copy the page got)', async () => {
  const bidi = new FakeBidi();
  const made = await recorder(bidi);
  bidi.bodies.set('response:cached', { type: 'string', value: 'cached copy' });
  finish(bidi, { id: 'upgrade', url: 'http://h/socket', status: 101, mimeType: 'text/plain' });
  finish(bidi, { id: 'reset', url: 'http://h/form', status: 205, mimeType: 'text/plain' });
  finish(bidi, { id: 'cached', url: 'http://h/etag', status: 304, mimeType: 'text/plain' });
  await settled(made);
  assert.deepEqual(
    bidi.sentOf('network.getData').map((command) => command.params.request),
    ['cached'],
  );
  assert.equal(responseBody(made, 2)?.data, 'cached copy');
});

test('stopping with responses still loading: a 200 and a 304 say their body never arrived; a 204 has none to miss', async () => {
  const bidi = new FakeBidi();
  const made = await recorder(bidi);
  for (const [id, status] of [
    ['loading', 200],
    ['revalidated', 304],
    ['empty', 204],
  ] as const) {
    const hop = { id, url: `http://h/${id}`, status, mimeType: 'text/plain' };
    bidi.emit('network.beforeRequestSent', hopParams(hop));
    bidi.emit('network.responseStarted', hopParams(hop));
  }
  await made.stop();
  assert.equal(responseBody(made, 0)?.state, 'unavailable');
  assert.equal(responseBody(made, 1)?.state, 'unavailable');
  assert.equal(responseBody(made, 2), undefined);
});

test("a request whose goog:postData was set aside reads the collector's base64-looking string as base64; others as text", async () => {
  const bidi = new FakeBidi();
  const made = await recorder(bidi, { captureBodies: 'all' });
  // Chromium 156 answers a binary request body with {type: 'string'} holding the base64 of the bytes.
  const bytes = { type: 'string', value: 'AAEC/wonJA==' } as const;
  bidi.bodies.set('request:binary', bytes);
  bidi.bodies.set('request:plain', bytes);
  const upload = { url: 'http://h/upload', method: 'POST', status: 200 };
  finish(bidi, {
    ...upload,
    id: 'binary',
    requestHeaders: [['Content-Type', 'application/octet-stream']],
    extraRequest: { bodySize: 7, 'goog:postData': "\u0000\u0001\u0002\u00ff\n'$", 'goog:hasPostData': true },
  });
  finish(bidi, { ...upload, id: 'plain', requestHeaders: [['Content-Type', 'text/plain']], extraRequest: { bodySize: 12 } });
  await settled(made);
  assert.equal(made.entry(0)?.request.postDataNotByteExact, true);
  assert.deepEqual(made.entry(0)?.request.body, { state: 'available', encoding: 'base64', data: 'AAEC/wonJA==', size: 7 });
  assert.equal(made.entry(1)?.request.postDataNotByteExact, undefined);
  assert.deepEqual(made.entry(1)?.request.body, { state: 'available', encoding: 'text', data: 'AAEC/wonJA==', size: 12 });
});

test('a shaped hop is marked through the capture, by request id and redirect count', async () => {
  const bidi = new FakeBidi();
  const made = await recorder(bidi);
  finish(bidi, { id: 'r1', url: 'http://h/a', status: 200 });
  const before = made.entry(0)?.revision ?? 0;
  assert.equal(made.markShaped('r1', 0, 'rule r1: respond 200'), true);
  assert.equal(made.entry(0)?.shapedBy, 'rule r1: respond 200');
  assert.ok((made.entry(0)?.revision ?? 0) > before);
  assert.equal(made.markShaped('r1', 1, 'rule r1: respond 200'), false);
});

test('an event that cannot be applied is counted; the first of each kind is written to stderr once', async () => {
  const bidi = new FakeBidi();
  // A filter that throws: applying any event that would create an entry throws inside the log.
  const urlFilter = {
    kind: 'substring',
    source: 'boom',
    matches(): boolean {
      throw new Error('boom');
    },
  } as const;
  const made = await recorder(bidi, { urlFilter });
  const hostile = hopParams({ id: 'r1', url: 'http://h/a', status: 200 });
  const written: string[] = [];
  const write = process.stderr.write;
  process.stderr.write = ((chunk: string | Uint8Array): boolean => {
    written.push(String(chunk));
    return true;
  }) as typeof process.stderr.write;
  try {
    bidi.emit('network.beforeRequestSent', hostile);
    bidi.emit('network.beforeRequestSent', hostile);
    bidi.emit('network.responseCompleted', hostile);
  } finally {
    process.stderr.write = write;
  }
  assert.equal(made.stats().failedEvents, 3);
  assert.deepEqual(
    written.map((line) => line.replace(/^bidiscope: capture-\d+ /, '')),
    [
      'could not apply a network.beforeRequestSent event (boom); such events are counted in failedEvents and not reported again\n',
      'could not apply a network.responseCompleted event (boom); such events are counted in failedEvents and not reported again\n',
    ],
  );
});

test('stop waits briefly for bodies in flight, then gives up on queued ones with a reason', async () => {
  const bidi = new FakeBidi();
  bidi.hang('network.getData');
  const made = await recorder(bidi);
  for (let i = 0; i < 6; i += 1) finish(bidi, { id: `r${i}`, url: `http://h/${i}`, status: 200, mimeType: 'text/plain' });
  const started = Date.now();
  await made.stop();
  const waited = Date.now() - started;
  assert.ok(waited >= 2_900 && waited < 4_900, `stop waited ${waited} ms`);
  assert.deepEqual(responseBody(made, 4), { state: 'unavailable', reason: 'capture stopped before the body was fetched' });
  assert.deepEqual(responseBody(made, 5), { state: 'unavailable', reason: 'capture stopped before the body was fetched' });
  bidi.drop();
  await settled(made);
  assert.deepEqual(responseBody(made, 0), { state: 'unavailable', reason: 'the browser went away before the response body was fetched' });
});

test('a browser that goes away settles every pending body and unfinished response', async () => {
  const bidi = new FakeBidi();
  bidi.hang('network.getData');
  const made = await recorder(bidi);
  finish(bidi, { id: 'done', url: 'http://h/done', status: 200, mimeType: 'text/plain' });
  bidi.emit('network.beforeRequestSent', hopParams({ id: 'loading', url: 'http://h/loading' }));
  bidi.emit('network.responseStarted', hopParams({ id: 'loading', url: 'http://h/loading', status: 200 }));
  made.markBrowserGone('killed');
  assert.equal(made.active, false);
  assert.deepEqual(responseBody(made, 0), { state: 'unavailable', reason: 'the browser went away (killed)' });
  assert.deepEqual(responseBody(made, 1), {
    state: 'unavailable',
    reason: 'the browser went away while the response was still loading (killed)',
  });
  assert.equal(bidi.listenerCount('network.responseCompleted'), 0);
});

test('clear frees browser-side bodies with a fresh collector; on a closed connection it sends nothing', async () => {
  const bidi = new FakeBidi();
  const made = await recorder(bidi);
  finish(bidi, { id: 'a', url: 'http://h/a', status: 200, mimeType: 'image/png' });
  assert.equal(await made.clear(), 1);
  assert.equal(bidi.sentOf('network.removeDataCollector').length, 1);
  assert.equal(bidi.sentOf('network.addDataCollector').length, 2);
  finish(bidi, { id: 'b', url: 'http://h/b', status: 200, mimeType: 'image/png' });
  bidi.drop();
  const sentBefore = bidi.sent.length;
  assert.equal(await made.clear(), 1);
  assert.equal(bidi.sent.length, sentBefore);
});
