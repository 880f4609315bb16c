import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NetworkLog } from '../../../src/model/network-log.js';
import { hopParams } from './bidi-events.js';
import { ANSWER_FROM_ANOTHER_HOP_NOTE, isAnswerFromAnotherHop } from '../../../src/model/bidi/redirect-race.js';

const base = 'http://127.0.0.1:1';

/** /r1 → 302 → /r2 → 302 → /final: the first two hops with their own answers, as a browser sends them. */
function answeredHops(log: NetworkLog, id: string): void {
  log.ingest('network.beforeRequestSent', hopParams({ id, url: `${base}/r1` }));
  log.ingest('network.responseCompleted', hopParams({ id, url: `${base}/r1`, status: 302, responseHeaders: [['Location', '/r2']] }));
  log.ingest('network.beforeRequestSent', hopParams({ id, url: `${base}/r2`, redirectCount: 1 }));
  log.ingest(
    'network.responseCompleted',
    hopParams({ id, url: `${base}/r2`, redirectCount: 1, status: 302, responseHeaders: [['Location', '/final']] }),
  );
}

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
    answeredHops(log, id);
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

test("a hop given another hop's answer (Chromium's mapper, recorded under load) is kept as sent and says so", () => {
  const notes = (log: NetworkLog) =>
    log
      .entries()
      .map(
        (entry) =>
          `${new URL(entry.url).pathname} ${entry.response?.status ?? '-'} ${entry.source.response === ANSWER_FROM_ANOTHER_HOP_NOTE ? 'flagged' : 'ok'}`,
      );
  // Recorded: hop 0's events carry status 200 with the 302's Location; hop 1 is right; /final gets only responseStarted.
  const first = new NetworkLog();
  const a = 'race.a';
  first.ingest('network.beforeRequestSent', hopParams({ id: a, url: `${base}/r1` }));
  for (const event of ['network.responseStarted', 'network.responseCompleted'])
    first.ingest(event, hopParams({ id: a, url: `${base}/r1`, status: 200, responseHeaders: [['Location', '/r2']] }));
  first.ingest('network.beforeRequestSent', hopParams({ id: a, url: `${base}/r2`, redirectCount: 1 }));
  for (const event of ['network.responseStarted', 'network.responseCompleted'])
    first.ingest(event, hopParams({ id: a, url: `${base}/r2`, redirectCount: 1, status: 302, responseHeaders: [['Location', '/final']] }));
  first.ingest('network.responseStarted', hopParams({ id: a, url: `${base}/final`, redirectCount: 2, status: 200 }));
  assert.deepEqual(notes(first), ['/r1 200 flagged', '/r2 302 ok', '/final 200 ok']);

  // Recorded: each later hop's answer is the previous hop's (a 302 pointing at the hop's own URL).
  const second = new NetworkLog();
  const b = 'race.b';
  second.ingest('network.beforeRequestSent', hopParams({ id: b, url: `${base}/r1` }));
  second.ingest('network.responseCompleted', hopParams({ id: b, url: `${base}/r1`, status: 302, responseHeaders: [['Location', '/r2']] }));
  second.ingest('network.beforeRequestSent', hopParams({ id: b, url: `${base}/r2`, redirectCount: 1 }));
  second.ingest(
    'network.responseCompleted',
    hopParams({ id: b, url: `${base}/r2`, redirectCount: 1, status: 302, responseHeaders: [['Location', '/r2']] }),
  );
  second.ingest('network.beforeRequestSent', hopParams({ id: b, url: `${base}/final`, redirectCount: 2 }));
  second.ingest(
    'network.responseCompleted',
    hopParams({ id: b, url: `${base}/final`, redirectCount: 2, status: 302, responseHeaders: [['Location', '/final']] }),
  );
  assert.deepEqual(notes(second), ['/r1 302 ok', '/r2 302 flagged', '/final 302 flagged']);
});

test("the last hop given the first hop's redirect (recorded) says so; a loop's hops and a fragment do not", () => {
  const log = new NetworkLog();
  const id = 'race.c';
  answeredHops(log, id);
  log.ingest('network.responseStarted', hopParams({ id, url: `${base}/final`, redirectCount: 2, status: 200 }));
  log.ingest('network.beforeRequestSent', hopParams({ id, url: `${base}/final`, redirectCount: 2 }));
  log.ingest(
    'network.responseCompleted',
    hopParams({ id, url: `${base}/final`, redirectCount: 2, status: 302, responseHeaders: [['Location', '/r2']] }),
  );
  assert.deepEqual(
    log.entries().map((entry) => entry.source.response === ANSWER_FROM_ANOTHER_HOP_NOTE),
    [false, false, true],
  );
  const loop = { url: `${base}/a`, status: 302, location: '/a', nextUrl: undefined };
  assert.equal(isAnswerFromAnotherHop({ ...loop, earlierUrls: [`${base}/a`, `${base}/a`] }), false, 'the last hop of a loop');
  assert.equal(isAnswerFromAnotherHop({ ...loop, earlierUrls: [], nextUrl: `${base}/a` }), false, 'a loop hop with its next');
  assert.equal(
    isAnswerFromAnotherHop({ url: `${base}/r1`, status: 302, location: '/r2#top', earlierUrls: [], nextUrl: `${base}/r2` }),
    false,
    'a Location with a fragment leads to the URL without it',
  );
  assert.equal(
    isAnswerFromAnotherHop({ url: `${base}/r1`, status: 302, location: '/elsewhere', earlierUrls: [], nextUrl: `${base}/r2` }),
    true,
  );
});
