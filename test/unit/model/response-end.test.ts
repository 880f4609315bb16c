/**
 * Chromium's end of response: its `responseEnd` marks the headers, so the model estimates the end from when the
 * hop's events arrived. Hand-made streams with known arrival times, and the recorded `/timed` streams of both
 * browsers (server delays in the URL: `ttfb`, `body`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { NetworkLog } from '../../../src/model/network-log.js';
import { normalizeEvents, type RecordedBidiEvent } from '../../helpers/normalize-events.js';
import { estimateResponseEnd, timingsFromBidi } from '../../../src/model/bidi/timings.js';
import { formatDetails, formatListLine } from '../../../src/format/index.js';
import { buildHar } from '../../../src/har/index.js';
import { hopParams, shimParams } from './bidi-events.js';

const ORIGIN = 1_800_000_000_000;
const URL_ = 'http://127.0.0.1:1/timed?ttfb=10&body=300';

/** Chromium-shaped timings: relative to timeOrigin, requestTime 0, responseEnd ≈ responseStart. */
function chromiumTimings(responseStart: number): Record<string, number> {
  return {
    timeOrigin: ORIGIN,
    requestTime: 0,
    requestStart: responseStart === 0 ? 0 : 0.5,
    responseStart,
    responseEnd: responseStart === 0 ? 0 : responseStart + 0.1,
  };
}

function chromiumHop(responseStart: number, status?: number): Record<string, unknown> {
  return hopParams({
    id: '9.1',
    url: URL_,
    timestamp: ORIGIN,
    timings: chromiumTimings(responseStart),
    extraRequest: { 'goog:resourceType': 'Fetch' },
    ...(status === undefined ? {} : { status }),
  });
}

test('Chromium: receive and total come from the arrival gap between responseStarted and responseCompleted', () => {
  const log = new NetworkLog();
  log.ingest('network.beforeRequestSent', chromiumHop(0), ORIGIN + 6);
  log.ingest('network.responseStarted', chromiumHop(10.5, 200), ORIGIN + 18);
  const pending = log.get(0);
  assert.equal(pending?.timings.wait, 10);
  assert.equal(pending?.timings.receive, undefined, 'the body has not ended yet: unknown, not 0.1');
  assert.equal(pending?.timings.total, undefined);
  assert.match(pending?.source.timings ?? '', /not known before network\.responseCompleted/);

  log.ingest('network.responseCompleted', chromiumHop(10.5, 200), ORIGIN + 318);
  const entry = log.get(0);
  assert.equal(entry?.timings.wait, 10, 'wait is measured by the browser and untouched');
  assert.equal(entry?.timings.receive, 300);
  assert.equal(entry?.timings.total, 310.5);
  assert.deepEqual(entry?.estimatedTimings, ['receive', 'total']);
  assert.match(entry?.source.timings ?? '', /receive\/total: estimated from event arrival/);
});

test('Chromium: without responseStarted the gap is taken from beforeRequestSent', () => {
  const log = new NetworkLog();
  log.ingest('network.beforeRequestSent', chromiumHop(0), ORIGIN + 6);
  log.ingest('network.responseCompleted', chromiumHop(10.5, 200), ORIGIN + 406);
  assert.equal(log.get(0)?.timings.total, 400);
  assert.equal(log.get(0)?.timings.receive, 389.5);
  assert.deepEqual(log.get(0)?.estimatedTimings, ['receive', 'total']);
});

test('Chromium: a capture that saw only responseCompleted leaves receive and total unknown', () => {
  const log = new NetworkLog();
  log.ingest('network.responseCompleted', chromiumHop(10.5, 200), ORIGIN + 406);
  const entry = log.get(0);
  assert.equal(entry?.timings.wait, 10);
  assert.equal(entry?.timings.receive, undefined);
  assert.equal(entry?.timings.total, undefined);
  assert.equal(entry?.estimatedTimings, undefined);
  assert.match(entry?.source.timings ?? '', /receive\/total: unknown/);
});

test('Chromium: an arrival gap no longer than the reported end keeps the reported, measured end', () => {
  const raw = chromiumTimings(10.5);
  const same = timingsFromBidi(raw, 'chromium', { arrivals: { responseStarted: ORIGIN + 20, responseCompleted: ORIGIN + 20.5 } });
  assert.equal(same.timings.receive, 0.1);
  assert.deepEqual(same.estimated, []);
  assert.equal(estimateResponseEnd(raw, { responseCompleted: ORIGIN + 30 }), undefined, 'nothing to map the arrival onto');
});

test('Firefox: the reported responseEnd is used; arrivals and page timing change nothing', () => {
  const raw = { timeOrigin: 0, requestTime: 1000, requestStart: 1002, responseStart: 1012, responseEnd: 1312 };
  const converted = timingsFromBidi(raw, 'firefox', {
    arrivals: { responseStarted: 5000, responseCompleted: 9000 },
    page: { startTime: 1000, responseStart: 1010, responseEnd: 9000 },
  });
  assert.deepEqual(converted.timings, { blocked: 2, wait: 10, receive: 300, total: 312 });
  assert.deepEqual(converted.estimated, []);
});

test('details, list and HAR show the estimate from the one model, marked as estimated', () => {
  const log = new NetworkLog();
  log.ingest('network.beforeRequestSent', chromiumHop(0), ORIGIN + 6);
  log.ingest('network.responseStarted', chromiumHop(10.5, 200), ORIGIN + 18);
  log.ingest('network.responseCompleted', chromiumHop(10.5, 200), ORIGIN + 318);
  const entry = log.get(0);
  assert.ok(entry);
  const details = formatDetails(entry).text;
  assert.match(details, /\(took ~310\.5 ms\)/);
  assert.match(details, /Timing: blocked 0\.5 · wait 10 · receive ~300 · total ~310\.5 ms \(~ estimated/);
  assert.match(formatListLine(entry), / ~311ms$/);
  const har = buildHar([entry], { creatorVersion: 'test', browser: { name: 'chrome', version: '156.0' }, includeBodies: false });
  const harEntry = har.log.entries[0];
  assert.equal(harEntry?.time, 310.5);
  assert.equal(harEntry?.timings.receive, 300);
  assert.match(harEntry?.timings.comment ?? '', /receive, total: estimated/);
});

/** A page-shim Resource Timing message: epoch ms on the page clock. */
function pageTiming(url: string, st: number, rs: number, re: number, context = 'ctx-1'): Record<string, unknown> {
  return shimParams({ k: 'rt', id: 1, e: [[url, st, rs, re]], t: re + 5 }, { context });
}

test("Chromium: the page's Resource Timing gives the end, measured, and wins over the arrival estimate", () => {
  const log = new NetworkLog();
  log.ingest('network.beforeRequestSent', chromiumHop(0), ORIGIN + 6);
  log.ingest('network.responseStarted', chromiumHop(10.5, 200), ORIGIN + 18);
  // Delivery of responseCompleted was held up: the arrival gap (450 ms) overstates the body.
  log.ingest('network.responseCompleted', chromiumHop(10.5, 200), ORIGIN + 468);
  assert.equal(log.get(0)?.timings.receive, 450);
  const result = log.ingest('script.message', pageTiming(URL_, ORIGIN + 0.2, ORIGIN + 10.9, ORIGIN + 311.2), ORIGIN + 470);
  assert.equal(result.change, 'updated');
  const entry = log.get(0);
  assert.equal(entry?.timings.receive, 300.3);
  assert.equal(entry?.timings.total, 310.8);
  assert.equal(entry?.estimatedTimings, undefined, 'measured by the browser, not estimated');
  assert.match(entry?.source.timings ?? '', /receive\/total: from the page's Resource Timing/);
});

test('Chromium: a page timing that arrives before the response events is kept and claimed', () => {
  const log = new NetworkLog();
  log.ingest('network.beforeRequestSent', chromiumHop(0), ORIGIN + 6);
  log.ingest('script.message', pageTiming('http://127.0.0.1:1/other', ORIGIN, ORIGIN + 1, ORIGIN + 99), ORIGIN + 100);
  log.ingest('script.message', pageTiming(URL_, ORIGIN + 0.2, ORIGIN + 10.9, ORIGIN + 211.2), ORIGIN + 215);
  log.ingest('network.responseStarted', chromiumHop(10.5, 200), ORIGIN + 216);
  log.ingest('network.responseCompleted', chromiumHop(10.5, 200), ORIGIN + 217);
  assert.equal(log.get(0)?.timings.receive, 200.3);
  assert.equal(log.get(0)?.estimatedTimings, undefined);
});

test('Chromium: a cross-origin page timing without responseStart is mapped from the start', () => {
  const log = new NetworkLog();
  log.ingest('network.beforeRequestSent', chromiumHop(0), ORIGIN + 6);
  log.ingest('network.responseCompleted', chromiumHop(10.5, 200), ORIGIN + 20);
  log.ingest('script.message', pageTiming(URL_, ORIGIN + 0.5, 0, ORIGIN + 400.5), ORIGIN + 410);
  assert.equal(log.get(0)?.timings.total, 400);
  assert.equal(log.get(0)?.timings.receive, 389.5);
});

test('page timing goes to the same-URL hop whose start is nearest, in the same context; never to Firefox', () => {
  const log = new NetworkLog();
  const first = hopParams({
    id: '9.1',
    url: URL_,
    timings: chromiumTimings(10.5),
    status: 200,
    extraRequest: { 'goog:resourceType': 'Fetch' },
  });
  const second = hopParams({
    id: '9.2',
    url: URL_,
    timings: { ...chromiumTimings(10.5), timeOrigin: ORIGIN + 500 },
    status: 200,
    extraRequest: { 'goog:resourceType': 'Fetch' },
  });
  log.ingest('network.responseCompleted', first, ORIGIN + 20);
  log.ingest('network.responseCompleted', second, ORIGIN + 520);
  log.ingest('script.message', pageTiming(URL_, ORIGIN + 500.3, ORIGIN + 511, ORIGIN + 611, 'other-ctx'), ORIGIN + 620);
  assert.equal(log.get(1)?.timings.receive, undefined, 'another context: no match');
  log.ingest('script.message', pageTiming(URL_, ORIGIN + 500.3, ORIGIN + 511, ORIGIN + 611), ORIGIN + 620);
  assert.equal(log.get(1)?.timings.receive, 100);
  assert.equal(log.get(0)?.timings.receive, undefined, 'the other hop keeps its own (unknown) end');

  const firefox = new NetworkLog();
  const raw = { timeOrigin: 0, requestTime: 1000, requestStart: 1002, responseStart: 1012, responseEnd: 1312 };
  firefox.ingest('network.responseCompleted', hopParams({ id: '11-a', url: URL_, timings: raw, status: 200 }), 2000);
  firefox.ingest('script.message', pageTiming(URL_, 1000, 1012, 1900), 2001);
  assert.equal(firefox.get(0)?.timings.receive, 300, "Firefox's own end stands");
});

/** The recorded `/timed` streams: `ttfb` and `body` (ms) in each URL are the server's delays. */
function loadTimed(name: string): RecordedBidiEvent[] {
  const path = fileURLToPath(new URL(`../../fixtures/bidi/${name}.events.json`, import.meta.url));
  return JSON.parse(readFileSync(path, 'utf8')) as RecordedBidiEvent[];
}

/** Within 15 % or 30 ms of the truth, whichever is larger. */
function near(actual: number | undefined, truth: number): boolean {
  return actual !== undefined && Math.abs(actual - truth) <= Math.max(30, truth * 0.15);
}

for (const [name, dialect] of [
  ['chromium-156-timed', 'chromium'],
  ['firefox-153-timed', 'firefox'],
] as const) {
  test(`recorded ${name}: wait, receive and total match the server's delays on h1 and h2`, () => {
    const entries = normalizeEvents(loadTimed(name)).filter((entry) => !entry.url.includes('warmup'));
    assert.equal(entries.length, 8, 'four cases on each of two origins');
    assert.deepEqual(new Set(entries.map((entry) => entry.response?.protocol)), new Set(['http/1.1', 'h2']));
    for (const entry of entries) {
      const params = new URL(entry.url).searchParams;
      const ttfb = Number(params.get('ttfb'));
      const body = Number(params.get('body'));
      const what = `${entry.url} ${JSON.stringify(entry.timings)}`;
      assert.ok(near(entry.timings.wait, ttfb), `wait: ${what}`);
      assert.ok(near(entry.timings.receive, body), `receive: ${what}`);
      assert.ok(near(entry.timings.total, ttfb + body), `total: ${what}`);
      if (dialect === 'firefox') assert.equal(entry.estimatedTimings, undefined, 'Firefox reports the end itself');
      else if (body > 0) assert.deepEqual(entry.estimatedTimings, ['receive', 'total'], what);
    }
  });
}

test('a long capture keeps end evidence only for the last completed Chromium hops', () => {
  const log = new NetworkLog();
  for (let i = 0; i < 600; i++) {
    const hop = hopParams({
      id: `9.${i}`,
      url: `${URL_}&i=${i}`,
      timings: chromiumTimings(10.5),
      status: 200,
      extraRequest: { 'goog:resourceType': 'Fetch' },
    });
    log.ingest('network.responseStarted', hop, ORIGIN + 18);
    log.ingest('network.responseCompleted', hop, ORIGIN + 118);
  }
  // A late page timing still corrects a recent hop…
  log.ingest('script.message', pageTiming(`${URL_}&i=599`, ORIGIN, ORIGIN + 10.9, ORIGIN + 60.9), ORIGIN + 200);
  assert.equal(log.get(599)?.timings.receive, 50);
  assert.equal(log.get(599)?.estimatedTimings, undefined);
  // …but not one that completed 600 hops ago: its arrival estimate stands.
  log.ingest('script.message', pageTiming(`${URL_}&i=0`, ORIGIN, ORIGIN + 10.9, ORIGIN + 60.9), ORIGIN + 200);
  assert.equal(log.get(0)?.timings.receive, 100);
  assert.deepEqual(log.get(0)?.estimatedTimings, ['receive', 'total']);
});
