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

test("the same race with the response URL moved on too: a 302 whose Location is the hop itself is the previous hop's", () => {
  for (const order of ['before', 'after'] as const) {
    const log = new NetworkLog();
    const id = `9.${order}`;
    log.ingest('network.beforeRequestSent', hopParams({ id, url: `${base}/r1` }));
    log.ingest('network.responseCompleted', hopParams({ id, url: `${base}/r1`, status: 302, responseHeaders: [['Location', '/r2']] }));
    log.ingest('network.beforeRequestSent', hopParams({ id, url: `${base}/r2`, redirectCount: 1 }));
    const misattributed = hopParams({ id, url: `${base}/final`, redirectCount: 2, status: 302, responseHeaders: [['Location', '/final']] });
    const own = hopParams({ id, url: `${base}/final`, redirectCount: 2, status: 200 });
    log.ingest('network.beforeRequestSent', hopParams({ id, url: `${base}/final`, redirectCount: 2 }));
    if (order === 'before') log.ingest('network.responseCompleted', misattributed);
    log.ingest('network.responseCompleted', own);
    if (order === 'after') log.ingest('network.responseCompleted', misattributed);
    const summary = log.entries().map((entry) => `${new URL(entry.url).pathname} ${entry.response?.status ?? '-'} ${entry.state}`);
    assert.deepEqual(summary, ['/r1 302 complete', '/r2 302 complete', '/final 200 complete'], order);
  }
});

test("the final answer sent with an earlier hop's redirectCount lands on the last hop (Chromium under load)", () => {
  for (const label of [0, 1]) {
    const log = new NetworkLog();
    const id = `final.${label}`;
    log.ingest('network.beforeRequestSent', hopParams({ id, url: `${base}/r1` }));
    log.ingest('network.responseCompleted', hopParams({ id, url: `${base}/r1`, status: 302, responseHeaders: [['Location', '/r2']] }));
    log.ingest('network.beforeRequestSent', hopParams({ id, url: `${base}/r2`, redirectCount: 1 }));
    log.ingest(
      'network.responseCompleted',
      hopParams({ id, url: `${base}/r2`, redirectCount: 1, status: 302, responseHeaders: [['Location', '/final']] }),
    );
    log.ingest('network.beforeRequestSent', hopParams({ id, url: `${base}/final`, redirectCount: 2 }));
    log.ingest('network.responseStarted', hopParams({ id, url: `${base}/final`, redirectCount: 2, status: 200 }));
    // /final's completion arrives labelled as an earlier hop.
    log.ingest('network.responseCompleted', hopParams({ id, url: `${base}/final`, redirectCount: label, status: 200 }));
    const summary = log.entries().map((entry) => `${new URL(entry.url).pathname} ${entry.response?.status ?? '-'} ${entry.state}`);
    assert.deepEqual(summary, ['/r1 302 complete', '/r2 302 complete', '/final 200 complete'], `labelled ${label}`);
  }
});

test("a redirect loop (/a → /a) keeps each hop's own answer", () => {
  const log = new NetworkLog();
  const id = 'loop';
  for (let hop = 0; hop < 3; hop += 1) {
    log.ingest('network.beforeRequestSent', hopParams({ id, url: `${base}/a`, redirectCount: hop }));
    log.ingest(
      'network.responseCompleted',
      hopParams({ id, url: `${base}/a`, redirectCount: hop, status: 302, responseHeaders: [['Location', '/a']] }),
    );
  }
  assert.deepEqual(
    log.entries().map((entry) => `${entry.id.split(':')[1]} ${entry.response?.status}`),
    ['0 302', '1 302', '2 302'],
  );
});
