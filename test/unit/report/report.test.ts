/** The waterfall report: bar geometry, report data, the HTML page's safety, HAR reading and HAR redaction. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildHar, HarReadError, readHar, type Har, type HarTimings } from '../../../src/har/index.js';
import { redactHar } from '../../../src/redact/index.js';
import { barSegments, PHASE_CODES, renderReport, reportData, scriptSafeJson } from '../../../src/report/index.js';
import { sampleEntries } from '../helpers/sample-entries.js';

const timings = (values: Partial<HarTimings>): HarTimings => ({
  blocked: -1,
  dns: -1,
  connect: -1,
  ssl: -1,
  send: 0,
  wait: 0,
  receive: 0,
  ...values,
});

test('bar geometry: phases end to end, connect without its TLS part, zero-length phases left out', () => {
  assert.deepEqual(barSegments(timings({ blocked: 2, dns: 3, connect: 10, ssl: 6, send: 1, wait: 20, receive: 5 }), 41), [
    { phase: 'blocked', start: 0, duration: 2 },
    { phase: 'dns', start: 2, duration: 3 },
    { phase: 'connect', start: 5, duration: 4 },
    { phase: 'ssl', start: 9, duration: 6 },
    { phase: 'send', start: 15, duration: 1 },
    { phase: 'wait', start: 16, duration: 20 },
    { phase: 'receive', start: 36, duration: 5 },
  ]);
});

test('bar geometry: missing phases are drawn as unknown, never as zero', () => {
  // Nothing known but the total: all of it is unknown.
  assert.deepEqual(barSegments(timings({ send: -1, wait: -1, receive: -1 }), 80), [{ phase: 'unknown', start: 0, duration: 80 }]);
  // bidiscope's HAR writes unreported send/wait/receive as 0 and says so in the comment.
  const unreported = {
    ...timings({ blocked: 1, send: 0, wait: 0, receive: 0 }),
    comment: 'send, wait, receive: not reported by the browser (0)',
  };
  assert.deepEqual(barSegments(unreported, 30), [
    { phase: 'blocked', start: 0, duration: 1 },
    { phase: 'unknown', start: 1, duration: 29 },
  ]);
  // A total that the phases do not explain leaves an unknown tail; an unknown total adds nothing.
  assert.deepEqual(barSegments(timings({ wait: 10, receive: 2 }), 20).at(-1), { phase: 'unknown', start: 12, duration: 8 });
  assert.deepEqual(barSegments(timings({ wait: 10 }), -1), [{ phase: 'wait', start: 0, duration: 10 }]);
});

function sampleHar(): Har {
  return buildHar(sampleEntries(), { creatorVersion: '0.1.0', browser: { name: 'chromium', version: '156' }, includeBodies: true });
}

test('report data: one row per entry on a common clock, redirects linked, ticks, summary', () => {
  const har = sampleHar();
  const data = reportData(har, 'sample');
  assert.equal(data.rows.length, har.log.entries.length);
  assert.ok(
    data.rows.every((row, index) => index === 0 || row.t >= (data.rows[index - 1]?.t ?? 0)),
    'rows in start order',
  );
  const r1 = data.rows.findIndex((row) => row.u.endsWith('/r1'));
  const r2 = data.rows.findIndex((row) => row.u.endsWith('/r2'));
  assert.equal(data.rows[r1]?.r, r2, '/r1 links to /r2');
  const ws = data.rows.find((row) => row.k === 'websocket');
  assert.ok((ws?.w?.length ?? 0) > 0 && (ws?.o?.length ?? 0) > 0, 'WebSocket frames as ticks, sent ones marked');
  assert.ok((data.rows.find((row) => row.k === 'eventsource')?.v?.length ?? 0) > 0, 'SSE events as ticks');
  assert.equal(data.summary.requests, data.rows.length);
  assert.equal(
    Object.values(data.summary.byType).reduce((a, b) => a + b, 0),
    data.rows.length,
  );
  assert.ok(data.summary.failed >= 2);
  assert.equal(data.rows[data.summary.slowest[0] ?? -1]?.d, Math.max(...data.rows.map((row) => row.d)));
  for (const row of data.rows) for (const [code] of row.b) assert.ok(PHASE_CODES[code] !== undefined);
  assert.ok(data.navs.length >= 1, 'the document is a navigation marker');
});

test('report data: details stay within their budget and say what was left out', () => {
  const data = reportData(sampleHar(), 'sample', { bodyChars: 50, frames: 2, detailsBudget: 600 });
  const kept = Object.keys(data.details).length;
  assert.ok(kept >= 1 && kept < data.rows.length);
  assert.equal(data.detailsOmitted, data.rows.length - kept);
  for (const details of Object.values(data.details)) {
    assert.ok((details.sb?.length ?? 0) <= 50 + 30);
    assert.ok((details.fr?.length ?? 0) <= 2);
  }
});

test('the page is self-contained and captured text cannot break out of its data', () => {
  const har = sampleHar();
  const first = har.log.entries[0];
  assert.ok(first);
  first.request.url = 'http://127.0.0.1:8080/</script><script>alert(1)</script>';
  first.response.content.text = '<!-- </script> \u2028';
  const html = renderReport(har, 'a <b>title</b>');
  assert.equal(html.match(/<\/script>/g)?.length, 2, 'only the two real script elements close');
  assert.match(html, /<title>a &#60;b&#62;title&#60;\/b&#62;<\/title>/);
  assert.match(html, /Content-Security-Policy" content="default-src 'none';/);
  assert.doesNotMatch(html, /\b(src|href)=["']?(https?:)?\/\//i, 'no external script, style, font or image');
  assert.doesNotMatch(html, /innerHTML/);
  assert.equal(JSON.parse(scriptSafeJson({ a: '</script>\u2028' })).a, '</script>\u2028');
});

test("readHar: other producers' shapes are read; bad files are named errors", () => {
  const chrome = {
    log: {
      version: '1.2',
      creator: { name: 'WebInspector', version: '537.36' },
      pages: [{ startedDateTime: '2026-11-30T10:00:00.000Z', id: 'page_1', title: 'http://x/', pageTimings: { onLoad: 100 } }],
      entries: [
        {
          _resourceType: 'websocket',
          startedDateTime: '2026-11-30T10:00:00.100Z',
          time: 5,
          request: {
            method: 'GET',
            url: 'ws://x/ws',
            httpVersion: 'HTTP/1.1',
            headers: [],
            queryString: [],
            cookies: [],
            headersSize: -1,
            bodySize: 0,
          },
          response: {
            status: 101,
            statusText: 'Switching Protocols',
            httpVersion: 'HTTP/1.1',
            headers: [],
            cookies: [],
            content: { size: 0, mimeType: 'x-unknown' },
            redirectURL: '',
            headersSize: -1,
            bodySize: -1,
          },
          cache: {},
          timings: { blocked: 1, dns: -1, ssl: -1, connect: -1, send: 0, wait: 4, receive: 0 },
          _webSocketMessages: [{ type: 'receive', time: 1_795_000_000.5, opcode: 1, data: 'hi' }],
        },
      ],
    },
  };
  const har = readHar(JSON.stringify(chrome));
  assert.equal(har.log.entries[0]?._webSocketMessages?.[0]?.time, 1_795_000_000.5);
  assert.equal(har.log.pages[0]?.id, 'page_1');
  assert.throws(
    () => readHar('not json'),
    (error) => error instanceof HarReadError && /not JSON/.test(error.message),
  );
  assert.throws(
    () => readHar('{"a":1}'),
    (error) => error instanceof HarReadError && /log: missing/.test(error.message),
  );
  assert.throws(
    () =>
      readHar(
        JSON.stringify({
          log: { entries: [{ startedDateTime: 'yesterday', request: { method: 'GET', url: 'x' }, response: { status: 200 } }] },
        }),
      ),
    (error) => error instanceof HarReadError && /log\.entries\.0\.startedDateTime/.test(error.message),
  );
});

test('redactHar hides secrets in every HAR field, bodies in base64 included', () => {
  const har = readHar(
    JSON.stringify({
      log: {
        entries: [
          {
            startedDateTime: '2026-11-30T10:00:00.000Z',
            time: 3,
            request: {
              method: 'POST',
              url: 'http://x/login?api_key=K-123&q=1',
              headers: [
                { name: 'Authorization', value: 'Bearer T-456' },
                { name: 'Cookie', value: 'sid=S-789' },
              ],
              cookies: [{ name: 'sid', value: 'S-789' }],
              queryString: [{ name: 'api_key', value: 'K-123' }],
              postData: { mimeType: 'application/x-amz-json-1.1', text: '{"PASSWORD":"P-000"}' },
            },
            response: {
              status: 200,
              headers: [{ name: 'Set-Cookie', value: 'sid=S-789; HttpOnly' }],
              content: { size: 20, mimeType: 'application/json', encoding: 'base64', text: btoa('{"AccessToken":"A-111"}') },
            },
            _webSocketMessages: [{ type: 'send', time: 1, opcode: 1, data: '{"token":"W-222"}' }],
          },
        ],
      },
    }),
  );
  const text = JSON.stringify(redactHar(har));
  for (const secret of ['K-123', 'T-456', 'S-789', 'P-000', 'W-222']) assert.ok(!text.includes(secret), secret);
  const body = redactHar(har).log.entries[0]?.response.content.text ?? '';
  assert.equal(atob(body), '{"AccessToken":"<redacted>"}');
  assert.ok(JSON.stringify(har).includes('T-456'), 'the input is not changed');
});

test('report data: the class of each status, once, as the summary counts them (failed: the rows with an error)', () => {
  const data = reportData(sampleHar(), 'sample');
  const counted: Record<string, number> = {};
  for (const row of data.rows) {
    const klass = row.e !== undefined ? 'failed' : data.statusClasses[row.s];
    assert.ok(klass !== undefined, `a class for ${row.s}`);
    if (row.e === undefined) assert.equal(klass, row.s === 0 ? 'no response' : `${String(row.s)[0]}xx`, row.u);
    counted[klass] = (counted[klass] ?? 0) + 1;
  }
  assert.deepEqual(data.summary.byStatus, counted);
  assert.ok(counted.failed !== undefined && counted['2xx'] !== undefined);
});
