import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatListLine, formatListPage } from '../../../src/format/index.js';
import { BASE_ORIGIN, sampleEntries, sampleEntry } from '../helpers/sample-entries.js';
import type { NetworkEntry } from '../../../src/model/types.js';

const byteLength = (text: string): number => new TextEncoder().encode(text).length;

test('list page of the sample set (snapshot)', () => {
  const entries = sampleEntries();
  const text = formatListPage(entries, { offset: 0, limit: 50, total: entries.length, baseOrigin: BASE_ORIGIN });
  assert.equal(
    text,
    [
      'Requests (URLs relative to http://127.0.0.1:8080):',
      '[0] GET / 200 html 127B 7ms',
      '[1] GET /api/json 200 json 1.6k 4.2ms',
      '[2] POST /api/login 200 json 24B 8ms',
      '[3] GET /r1 302 0B 2.5ms',
      '[4] GET /r2 302 0B 2.5ms',
      '[5] GET /final 200 text 5B 3ms',
      '[6] GET /missing 404 html 9B 2ms',
      '[7] GET 127.0.0.1:59999/closed ERR CONNECTION_REFUSED',
      '[8] GET /gzip 200 text 1000B 3ms',
      '[9] GET /large 200 bin 3.0M 42ms',
      '[10] GET /pixel.png 200 70B 2ms',
      '[11] GET /ws ws:3↑3↓',
      '[12] GET /sse 200 420ms sse:3',
      '[13] GET /api/slow pending',
      'Showing 1–14 of 14.',
    ].join('\n'),
  );
});

test('list lines are cheaper than chrome-devtools-mcp lines while saying more', () => {
  const entries = sampleEntries();
  const ours = entries.map((entry) => byteLength(formatListLine(entry, { baseOrigin: BASE_ORIGIN })));
  const theirs = entries.map((entry) =>
    byteLength(`reqid=${entry.index} ${entry.method} ${entry.url} [${entry.response?.status ?? 'pending'}]`),
  );
  const average = (values: number[]): number => values.reduce((sum, value) => sum + value, 0) / values.length;
  assert.ok(average(ours) <= 35, `average ${average(ours)} bytes per line`);
  assert.ok(average(ours) < average(theirs) * 0.75, `ours ${average(ours)} vs theirs ${average(theirs)}`);
  assert.ok(Math.max(...ours) <= 60, `longest line ${Math.max(...ours)} bytes`);
  const withoutBase = entries.map((entry) => byteLength(formatListLine(entry)));
  assert.ok(average(withoutBase) <= 50, `average without base origin ${average(withoutBase)}`);
});

test('failed, cached, Firefox-style errors and stream errors', () => {
  const failed = { ...sampleEntry(7), error: 'NS_ERROR_CONNECTION_REFUSED' };
  assert.equal(formatListLine(failed), '[7] GET 127.0.0.1:59999/closed ERR CONNECTION_REFUSED');
  const aborted = { ...sampleEntry(5), state: 'failed' as const, error: 'net::ERR_ABORTED' };
  assert.equal(formatListLine(aborted, { baseOrigin: BASE_ORIGIN }), '[5] GET /final 200 ERR ABORTED text 5B 3ms');
  const cachedEntry = sampleEntry(1);
  assert.ok(cachedEntry.response);
  cachedEntry.response.fromCache = true;
  assert.equal(formatListLine(cachedEntry, { baseOrigin: BASE_ORIGIN }), '[1] GET /api/json 200 cached json 1.6k 4.2ms');
  const socket = sampleEntry(11);
  assert.ok(socket.webSocket);
  socket.webSocket.error = 'connection reset';
  assert.equal(formatListLine(socket, { baseOrigin: BASE_ORIGIN }), '[11] GET /ws ws:3↑3↓ ws-ERR connection reset');
});

test('kind falls back to the resource type and is dropped when the URL says it', () => {
  const script: NetworkEntry = { ...sampleEntry(13), resourceType: 'script', url: `${BASE_ORIGIN}/app.js`, state: 'complete' };
  assert.equal(formatListLine(script, { baseOrigin: BASE_ORIGIN }), '[13] GET /app.js ?');
  const xhr: NetworkEntry = { ...sampleEntry(13), resourceType: 'xhr' };
  assert.equal(formatListLine(xhr, { baseOrigin: BASE_ORIGIN }), '[13] GET /api/slow pending xhr');
});

test('paging: header with filters, filtered-from count, next offset, dropped entries', () => {
  const entries = sampleEntries().slice(2, 4);
  const text = formatListPage(entries, {
    offset: 2,
    limit: 2,
    total: 9,
    capturedTotal: 14,
    filtersText: 'method=GET',
    baseOrigin: BASE_ORIGIN,
    dropped: 3,
  });
  assert.equal(
    text,
    [
      'Requests where method=GET (URLs relative to http://127.0.0.1:8080):',
      '[2] POST /api/login 200 json 24B 8ms',
      '[3] GET /r1 302 0B 2.5ms',
      'Showing 3–4 of 9 (filtered from 14). Next: offset=4',
      '3 older entries were dropped (maxEntries); restart capture with a higher maxEntries to keep more.',
    ].join('\n'),
  );
});

test('empty results say why', () => {
  assert.equal(
    formatListPage([], { offset: 0, limit: 20, total: 0 }),
    'No requests captured yet. Only requests made after start_network_capture are recorded.',
  );
  assert.equal(
    formatListPage([], { offset: 0, limit: 20, total: 0, capturedTotal: 14, filtersText: 'status=5xx' }),
    'No requests match status=5xx (14 captured). Loosen or remove filters to see more.',
  );
  assert.equal(
    formatListPage([], { offset: 40, limit: 20, total: 14, dropped: 1 }),
    'No requests at offset=40: 14 match. Use offset 0–13.\n1 older entry was dropped (maxEntries); restart capture with a higher maxEntries to keep more.',
  );
});
