/**
 * start/status/stop/clear_network_capture through the MCP client, with a fake browser replaying the recorded
 * Chromium and Firefox streams of the test page (test/fixtures/bidi/).
 */
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadFixtureEvents } from '../../helpers/fixture-events.js';
import { hopParams } from '../model/bidi-events.js';
import { startInMemoryServer, type InMemoryServer } from '../../helpers/in-memory-server.js';

let server: InMemoryServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options: Parameters<typeof startInMemoryServer>[1] = {}): Promise<InMemoryServer> {
  server = await startInMemoryServer([], options);
  return server;
}

const NETWORK_EVENTS = ['network.beforeRequestSent', 'network.responseStarted', 'network.responseCompleted', 'network.fetchError'];

describe('start_network_capture', () => {
  test('sets up collector, page script and subscription, in that order', async () => {
    const s = await start();
    const { bidi } = await s.open();
    const started = await s.call('start_network_capture', {
      urlFilter: '/api/',
      methods: ['post', 'GET'],
      resourceTypes: ['fetch'],
      maxBodyBytes: 100,
    });
    assert.equal(started.isError, false, started.text);
    assert.match(started.text, /^Capture capture-\d+ started on chrome-1\. Load or use the page, then list_network_requests\.$/);
    assert.deepEqual(started.structured?.options, {
      urlFilter: '/api/',
      resourceTypes: ['fetch'],
      methods: ['POST', 'GET'],
      captureBodies: 'text',
      maxBodyBytes: 100,
      maxTotalBodyBytes: 268_435_456,
      captureWebSockets: true,
      captureStreaming: true,
      maxEntries: 50_000,
    });
    assert.deepEqual(
      bidi.sent.slice(2).map((command) => command.method),
      ['network.addDataCollector', 'script.addPreloadScript', 'script.callFunction', 'session.subscribe'],
    );
    assert.deepEqual(bidi.sentOf('network.addDataCollector')[0]?.params, {
      maxEncodedDataSize: 64 * 1024 * 1024,
      collectorType: 'blob',
      dataTypes: ['response', 'request'],
    });
    assert.deepEqual(bidi.sentOf('session.subscribe')[1]?.params, { events: [...NETWORK_EVENTS, 'script.message'] });
    assert.equal(
      bidi.sentOf('script.callFunction')[0]?.params.target && JSON.stringify(bidi.sentOf('script.callFunction')[0]?.params.target),
      '{"context":"ctx-1"}',
    );
    const again = await s.call('start_network_capture');
    assert.equal(again.isError, true);
    assert.match(again.text, /^A capture \(capture-\d+\) is already active on chrome-1\. Call stop_network_capture first\.$/);
  });

  test('without bodies, WebSockets and SSE: no collector; on Chromium the page script stays, for Resource Timing only', async () => {
    const s = await start();
    const { bidi } = await s.open();
    await s.call('start_network_capture', { captureBodies: 'none', captureWebSockets: false, captureStreaming: false });
    assert.equal(bidi.sentOf('network.addDataCollector').length, 0);
    const preload = bidi.sentOf('script.addPreloadScript');
    assert.equal(preload.length, 1);
    assert.match(String(preload[0]?.params.functionDeclaration), /var parts = \{ webSockets: false, eventSources: false \};/);
    assert.match(String(preload[0]?.params.functionDeclaration), /\(channel, true\)$/, 'Resource Timing on');
    assert.deepEqual(bidi.sentOf('session.subscribe')[1]?.params, { events: [...NETWORK_EVENTS, 'script.message'] });
  });

  test('a browser without request-body collection falls back and says so', async () => {
    const s = await start();
    const { bidi } = await s.open();
    bidi.answer('network.addDataCollector', (params: Record<string, unknown>) => {
      if ((params.dataTypes as string[]).includes('request')) throw new Error('invalid argument: request');
      return { collector: 'collector-r' };
    });
    bidi.fail('script.callFunction', 'no such frame');
    const started = await s.call('start_network_capture');
    assert.deepEqual(started.structured?.notes, [
      "This browser cannot collect request bodies; only Chromium's goog:postData is available.",
      'The current document could not be instrumented; WebSocket/SSE capture starts with the next page load.',
    ]);
  });

  test('a failed setup undoes every step and reports the error', async () => {
    const s = await start();
    const { bidi } = await s.open();
    bidi.fail('session.subscribe', 'invalid argument', 'unknown event');
    const failed = await s.call('start_network_capture');
    assert.equal(failed.isError, true);
    assert.equal(failed.text, 'start_network_capture failed: session.subscribe: invalid argument — unknown event');
    assert.equal(bidi.collectors.size, 0, 'collector removed');
    assert.equal(bidi.preloadScripts.size, 0, 'page script removed');
    for (const event of NETWORK_EVENTS) assert.equal(bidi.listenerCount(event), 0, `listener on ${event} removed`);
    const status = await s.call('get_network_capture_status');
    assert.equal(status.text, 'No capture on chrome-1. Call start_network_capture.');
  });

  const badInputs: Array<[string, Record<string, unknown>, string]> = [
    ['urlFilter regex', { urlFilter: '/(unclosed/' }, 'Invalid "urlFilter": '],
    ['empty urlFilter', { urlFilter: '' }, 'Invalid "urlFilter" for start_network_capture: a non-empty filter, got "".'],
    ['resourceTypes', { resourceTypes: ['video'] }, 'Invalid "resourceTypes.0" for start_network_capture: one of '],
    ['empty resourceTypes', { resourceTypes: [] }, 'Invalid "resourceTypes" for start_network_capture: at least one type, got an array.'],
    [
      'methods',
      { methods: ['GET POST'] },
      'Invalid "methods.0" for start_network_capture: an HTTP method like GET or POST, got "GET POST".',
    ],
    ['captureBodies', { captureBodies: 'some' }, 'Invalid "captureBodies" for start_network_capture: "none", "text" or "all", got "some".'],
    ['maxBodyBytes', { maxBodyBytes: 0 }, 'Invalid "maxBodyBytes" for start_network_capture: at least 1, got number 0.'],
    [
      'maxTotalBodyBytes',
      { maxTotalBodyBytes: 2 ** 31 + 1 },
      'Invalid "maxTotalBodyBytes" for start_network_capture: at most 2147483648 (2 GiB), got number 2147483649.',
    ],
    ['maxEntries', { maxEntries: 2.5 }, 'Invalid "maxEntries" for start_network_capture: a whole number, got number 2.5.'],
    ['captureWebSockets', { captureWebSockets: 1 }, 'Invalid "captureWebSockets" for start_network_capture: true or false, got number 1.'],
  ];
  for (const [what, args, expected] of badInputs) {
    test(`refuses a bad ${what} without touching the browser`, async () => {
      const s = await start();
      const { bidi } = await s.open();
      const before = bidi.sent.length;
      const result = await s.call('start_network_capture', args);
      assert.equal(result.isError, true);
      assert.ok(result.text.startsWith(expected), result.text);
      assert.equal(bidi.sent.length, before);
    });
  }

  test('on a dead session it refuses', async () => {
    const s = await start();
    const { browser } = await s.open();
    browser.crash('killed');
    const result = await s.call('start_network_capture');
    assert.match(result.text, /^start_network_capture failed: The browser of session chrome-1 is gone/);
  });
});

describe('status, stop and clear over the recorded streams', () => {
  // Chromium: 13 page requests and the WebSocket built from the page script; Firefox adds /favicon.ico.
  for (const [fixture, browser, entries, expected] of [
    ['chromium-156-index-page', 'chrome', 14, '14 requests, 12 responses, 1 failed, 6 WS frames, 1 streams.'],
    ['firefox-153-index-page', 'firefox', 15, '15 requests, 14 responses, 1 failed, 6 WS frames, 1 streams.'],
  ] as const) {
    test(`${browser}: status counts the page, stop returns it and unsubscribes`, async () => {
      const s = await start();
      const { bidi } = await s.open({ browser });
      await s.call('start_network_capture', { captureBodies: 'none' });
      const delivered = bidi.replay(loadFixtureEvents(fixture));
      assert.ok(delivered > 40, `events delivered: ${delivered}`);
      const status = await s.call('get_network_capture_status');
      assert.match(
        status.text,
        new RegExp(`^Capture capture-\\d+ on ${browser}-1: active for \\d+\\.\\d s\\. ${expected.replace(/\./g, '\\.')}$`),
      );
      assert.equal(status.structured?.status, 'active');

      const stopped = await s.call('stop_network_capture');
      assert.equal(stopped.isError, false, stopped.text);
      assert.match(stopped.text, new RegExp(`^Capture capture-\\d+ on ${browser}-1: inactive for`));
      const data = stopped.structured?.data as Record<string, unknown[]>;
      assert.equal(data.requests?.length, entries);
      assert.equal(data.wsFrames?.length, 6);
      assert.equal(data.streamingResponses?.length, 1);
      assert.deepEqual(bidi.subscribedEvents(), new Set(['browsingContext.contextDestroyed']), 'capture subscriptions removed');
      assert.equal(bidi.preloadScripts.size, 0);
      assert.equal(bidi.replay(loadFixtureEvents(fixture)), 0, 'nothing is delivered after stop');
      const again = await s.call('stop_network_capture');
      assert.match(again.text, /^Capture capture-\d+ on [a-z]+-1 is already stopped\. Its data is still available/);
      const listed = await s.call('list_network_requests', { limit: 1 });
      assert.match(listed.text, /\(capture capture-\d+ is stopped\)$/);
    });
  }

  test('stop writes large data to a file inside the output directory', async () => {
    const s = await start();
    const { bidi } = await s.open();
    await s.call('start_network_capture', { captureBodies: 'none' });
    for (let i = 0; i < 200; i += 1) {
      const hop = {
        id: `r${i}`,
        url: `http://127.0.0.1:9/api/item/${i}?padding=${'p'.repeat(100)}`,
        status: 200,
        mimeType: 'application/json',
      };
      bidi.emit('network.beforeRequestSent', hopParams(hop));
      bidi.emit('network.responseCompleted', hopParams(hop));
    }
    const stopped = await s.call('stop_network_capture');
    const data = stopped.structured?.data as { file: string; bytes: number; preview: string[] };
    assert.ok(data.file.startsWith(`${s.outputDir}/captures/chrome-1-capture-`), data.file);
    assert.equal(data.preview.length, 20);
    const written = JSON.parse(readFileSync(data.file, 'utf8')) as { data: { requests: unknown[] } };
    assert.equal(written.data.requests.length, 200);
    assert.match(stopped.text, /\nData \(\d+ bytes\) written to .*\. First 20 of 200:\n\[0\] GET /);
  });

  test('clear drops entries, frees browser-side bodies and keeps recording with new indexes', async () => {
    const s = await start();
    const { bidi } = await s.open();
    await s.call('start_network_capture');
    bidi.replay(loadFixtureEvents('chromium-156-index-page'));
    const oldCollector = [...bidi.collectors][0];
    const cleared = await s.call('clear_network_capture');
    assert.match(cleared.text, /^Cleared 14 entries from capture-\d+ on chrome-1\.$/);
    assert.equal(cleared.structured?.status, 'active');
    assert.deepEqual(
      bidi.sentOf('network.removeDataCollector').map((command) => command.params),
      [{ collector: oldCollector }],
    );
    assert.equal(bidi.collectors.size, 1, 'a new collector replaces the old one');
    assert.notEqual([...bidi.collectors][0], oldCollector);
    bidi.replay(loadFixtureEvents('chromium-156-index-page'));
    const listed = await s.call('list_network_requests', { limit: 1 });
    assert.deepEqual(listed.structured?.indexes, [14], 'indexes continue after clear');
  });

  test('a new capture is kept beside a stopped one and continues its indexes', async () => {
    const s = await start();
    const { bidi } = await s.open();
    const first = await s.call('start_network_capture', { captureBodies: 'none' });
    const firstId = String(first.structured?.captureId);
    bidi.replay(loadFixtureEvents('firefox-153-index-page'));
    await s.call('stop_network_capture');
    const restarted = await s.call('start_network_capture', { captureBodies: 'none' });
    assert.match(restarted.text, new RegExp(`${firstId} stays queryable`));
    bidi.replay(loadFixtureEvents('firefox-153-index-page'));
    const listed = await s.call('list_network_requests', { limit: 1 });
    assert.deepEqual(listed.structured?.indexes, [15]);
    const earlier = await s.call('list_network_requests', { captureId: firstId, limit: 100 });
    assert.equal(earlier.structured?.total, 15);
    const details = await s.call('get_request_details', { index: 3 });
    assert.equal(details.isError, false, 'an index of an earlier capture is found without its captureId');
    assert.equal(details.structured?.captureId, firstId);
    const captures = await s.call('list_captures');
    assert.deepEqual(
      (captures.structured?.captures as Array<{ captureId: string }>).map((capture) => capture.captureId),
      [firstId, String(restarted.structured?.captureId)],
    );
  });

  test('past the retention bound the oldest capture is dropped, and tools say so', async () => {
    const s = await start();
    await s.open();
    const ids: string[] = [];
    for (let round = 0; round < 11; round += 1) {
      const started = await s.call('start_network_capture', { captureBodies: 'none' });
      ids.push(String(started.structured?.captureId));
      await s.call('stop_network_capture');
      if (round === 10) assert.match(started.text, new RegExp(`Dropped by the retention bound: ${ids[0]}\\.`));
    }
    const dropped = await s.call('list_network_requests', { captureId: ids[0] });
    assert.equal(dropped.isError, true);
    assert.match(dropped.text, new RegExp(`Capture ${ids[0]} was dropped from chrome-1 \\(a session keeps at most 10 captures\\)`));
    const unknown = await s.call('list_network_requests', { captureId: 'capture-999999' });
    assert.match(unknown.text, /Invalid "captureId": chrome-1 has no capture capture-999999/);
    assert.equal(((await s.call('list_captures')).structured?.captures as unknown[]).length, 10);
  });

  test('without a capture, stop, clear and the readers say how to start one', async () => {
    const s = await start();
    await s.open();
    for (const tool of ['stop_network_capture', 'clear_network_capture', 'list_network_requests', 'export_har']) {
      const result = await s.call(tool);
      assert.equal(result.isError, true);
      assert.equal(result.text, 'Session chrome-1 has no network capture. Call start_network_capture first, then load the page.', tool);
    }
  });

  test('a browser that dies stops the capture, which stays readable', async () => {
    const s = await start();
    const { bidi, browser } = await s.open();
    await s.call('start_network_capture', { captureBodies: 'none' });
    bidi.replay(loadFixtureEvents('chromium-156-index-page'));
    browser.crash('browser exited with code 139');
    const status = await s.call('get_network_capture_status');
    assert.equal(status.structured?.status, 'inactive');
    assert.equal(status.structured?.browser, 'gone: BiDi connection closed (browser exited with code 139)');
    const listed = await s.call('list_network_requests', { limit: 1 });
    assert.equal(listed.structured?.total, 14);
    const cleared = await s.call('clear_network_capture');
    assert.match(cleared.text, /^Cleared 14 entries/);
  });
});
