import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NetworkLog } from '../../../src/model/network-log.js';
import { hopParams } from './bidi-events.js';

const base = 'http://127.0.0.1:1';

test("a redirect response sent with the next hop's redirectCount lands on its own hop (Chromium under load)", () => {
  const log = new NetworkLog();
  const id = '9.8';
  log.ingest('network.beforeRequestSent', hopParams({ id, url: `${base}/r1` }));
  log.ingest('network.responseCompleted', hopParams({ id, url: `${base}/r1`, status: 302, responseHeaders: [['Location', '/r2']] }));
  log.ingest('network.beforeRequestSent', hopParams({ id, url: `${base}/r2`, redirectCount: 1 }));
  // The /r2 hop's 302 arrives labelled as hop 2, with the request URL already moved on to /final.
  const misattributed = hopParams({ id, url: `${base}/final`, redirectCount: 2, status: 302, responseHeaders: [['Location', '/final']] });
  (misattributed['response'] as Record<string, unknown>)['url'] = `${base}/r2`;
  log.ingest('network.responseCompleted', misattributed);
  log.ingest('network.beforeRequestSent', hopParams({ id, url: `${base}/final`, redirectCount: 2 }));
  log.ingest('network.responseCompleted', hopParams({ id, url: `${base}/final`, redirectCount: 2, status: 200 }));
  const summary = log.entries().map((entry) => `${new URL(entry.url).pathname} ${entry.response?.status ?? '-'} ${entry.state}`);
  assert.deepEqual(summary, ['/r1 302 complete', '/r2 302 complete', '/final 200 complete']);
});
