import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NetworkLog } from '../../../src/model/network-log.js';
import { hopParams, shimParams } from './bidi-events.js';

const sse = { id: '7.1', url: 'http://127.0.0.1:1/sse', requestHeaders: [['Accept', 'text/event-stream']] as Array<[string, string]> };

test('an EventSource the page closed is complete, not failed (Chromium sends net::ERR_ABORTED while pending)', () => {
  const log = new NetworkLog();
  log.ingest('network.beforeRequestSent', hopParams(sse));
  log.ingest('network.responseStarted', hopParams({ ...sse, status: 200, mimeType: 'text/event-stream' }));
  log.ingest('script.message', shimParams({ k: 'sse-create', id: 1, url: sse.url, t: 1 }));
  log.ingest('script.message', shimParams({ k: 'sse-msg', id: 1, event: 'message', lastEventId: '1', text: 'a', t: 2 }));
  log.ingest('script.message', shimParams({ k: 'sse-close', id: 1, t: 3 }));
  const result = log.ingest('network.fetchError', hopParams({ ...sse, errorText: 'net::ERR_ABORTED' }));
  const entry = log.get(0);
  assert.equal(result.change, 'completed');
  assert.equal(entry?.state, 'complete');
  assert.equal(entry?.error, undefined);
  assert.equal(entry?.stream?.error, undefined, 'closing by the page is no stream error');
  assert.equal(entry?.stream?.closedByPageAt, 3);
  assert.equal(log.stats().failed, 0);
});

test('an aborted request that is not a stream still fails', () => {
  const log = new NetworkLog();
  const plain = { id: '7.2', url: 'http://127.0.0.1:1/slow' };
  log.ingest('network.beforeRequestSent', hopParams(plain));
  log.ingest('network.responseStarted', hopParams({ ...plain, status: 200 }));
  log.ingest('network.fetchError', hopParams({ ...plain, errorText: 'net::ERR_ABORTED' }));
  assert.equal(log.get(0)?.state, 'failed');
  assert.equal(log.get(0)?.error, 'net::ERR_ABORTED');
});

test('a 204 reported aborted after its response is complete, not failed (Chromium, multipart POST on the test web)', () => {
  const log = new NetworkLog();
  const post = { id: '7.3', url: 'http://127.0.0.1:1/web/sink?via=multipart', method: 'POST' };
  log.ingest('network.beforeRequestSent', hopParams(post));
  log.ingest('network.responseStarted', hopParams({ ...post, status: 204 }));
  const result = log.ingest('network.fetchError', hopParams({ ...post, errorText: 'net::ERR_ABORTED' }));
  assert.equal(result.change, 'completed');
  assert.equal(log.get(0)?.state, 'complete');
  assert.equal(log.get(0)?.error, undefined);
  assert.match(String(log.get(0)?.source.response), /204 has no body/);
  assert.equal(log.stats().failed, 0);
});

test("an EventSource's shim messages arriving after its last network event still reach its entry (Chromium under load)", () => {
  const log = new NetworkLog();
  log.ingest('network.beforeRequestSent', hopParams(sse));
  log.ingest('network.responseStarted', hopParams({ ...sse, status: 200, mimeType: 'text/event-stream' }));
  log.ingest('network.fetchError', hopParams({ ...sse, errorText: 'net::ERR_ABORTED' }));
  assert.equal(log.get(0)?.state, 'complete');
  log.ingest('script.message', shimParams({ k: 'sse-create', id: 2, url: sse.url, t: 1 }));
  for (const [n, t] of [
    ['1', 2],
    ['2', 3],
  ] as const) {
    log.ingest('script.message', shimParams({ k: 'sse-msg', id: 2, event: 'message', lastEventId: n, text: `e${n}`, t }));
  }
  log.ingest('script.message', shimParams({ k: 'sse-close', id: 2, t: 4 }));
  assert.deepEqual(
    log.get(0)?.stream?.events.map((event) => event.data),
    ['e1', 'e2'],
  );
  assert.equal(log.stats().streamingResponses, 1);
});
