import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDetails, prettyPrintJson, previewBody } from '../../../src/format/index.js';
import { redactEntry } from '../../../src/redact/index.js';
import { sampleEntry, sampleResolver } from '../helpers/sample-entries.js';
import { ANSWER_FROM_ANOTHER_HOP_NOTE } from '../../../src/model/bidi/redirect-race.js';

const UA = 'Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0.0.0';

function details(index: number): ReturnType<typeof formatDetails> {
  return formatDetails(redactEntry(sampleEntry(index)), { resolveEntry: sampleResolver });
}

test('login POST, redacted by the caller (snapshot)', () => {
  const result = details(2);
  assert.deepEqual(result.truncatedBodies, []);
  assert.equal(
    result.text,
    `POST http://127.0.0.1:8080/api/login
Status: 200 OK (took 8 ms)
Type: fetch · application/json · http/1.1
Size: response 24 B · request body 60 B
Request Headers:
  Content-Type: application/json
  Authorization: Bearer <redacted>
  Cookie: sid=<redacted>
  User-Agent: ${UA}
  Accept: */*
  Origin: http://127.0.0.1:8080
  (+1 other header)
Request Body:
{
  "user": "ada",
  "password": "<redacted>",
  "nested": {
    "token": "<redacted>"
  }
}
Response Headers:
  Content-Type: application/json
  Set-Cookie: sid=<redacted>; Path=/; HttpOnly
Response Body:
{
  "ok": true,
  "user": "ada"
}
Timing: blocked 1 · dns 0.1 · connect 0.3 · send 0.1 · wait 6.3 · receive 0.2 · total 8 ms`,
  );
});

test('middle redirect hop links both ways (snapshot)', () => {
  assert.equal(
    details(4).text,
    `GET http://127.0.0.1:8080/r2
Status: 302 Found (took 2.5 ms)
Type: fetch · http/1.1
Size: response 0 B
Request Headers:
  User-Agent: ${UA}
  Accept: */*
Response Headers:
  Content-Length: 0
  Location: /final
Response Body:
(empty)
Timing: total 2.5 ms
Redirect: from [3] http://127.0.0.1:8080/r1 → to [5] http://127.0.0.1:8080/final`,
  );
  const unresolved = formatDetails(sampleEntry(4)).text.split('\n').at(-1);
  assert.equal(unresolved, 'Redirect: from req-r:0 → to req-r:2');
});

test('failed request: error, unknown timings and provenance notes (snapshot)', () => {
  assert.equal(
    details(7).text,
    `GET http://127.0.0.1:59999/closed
Status: failed — net::ERR_CONNECTION_REFUSED
Type: fetch
Request Headers:
  User-Agent: ${UA}
  Accept: */*
Timing: (not reported by browser)
Notes:
  timings: no timings for failed requests
  response: the connection failed before any response`,
  );
});

test('long JSON is cut at 500 chars with coverage', () => {
  const result = details(1);
  assert.deepEqual(result.truncatedBodies, ['response']);
  const lines = result.text.split('\n');
  const bodyLine = lines[lines.indexOf('Response Body:') + 1] ?? '';
  assert.equal(bodyLine.length, 500);
  assert.ok(bodyLine.startsWith('{"items":[{"id":1,"name":"item-1"}'));
  assert.equal(lines[lines.indexOf('Response Body:') + 2], '... [1113 more chars] (previewCoverage≈30%)');
  assert.ok(result.text.includes('Initiator: script http://127.0.0.1:8080/app.js:12:4'));
});

test('3 MB body truncated at capture: coverage against the whole body (snapshot of the tail)', () => {
  const result = details(9);
  assert.deepEqual(result.truncatedBodies, ['response']);
  const tail = result.text.split('\n').slice(-4).join('\n');
  assert.equal(
    tail,
    `${'0123456789'.repeat(50)}
... [500 more chars] (previewCoverage≈0.02%)
(capture kept only the start of a 3145728-byte body; raise maxBodyBytes to keep more)
Timing: blocked 1 · dns 0.1 · connect 0.3 · send 0.1 · wait 40.3 · receive 0.2 · total 42 ms`,
  );
  assert.ok(result.text.includes('Size: response 3.0M\n'));
});

test('gzip sizes show decoded and encoded bytes', () => {
  assert.ok(details(8).text.includes('Size: response 1000 B (40 B encoded)\n'));
  assert.ok(details(8).text.includes('  Content-Encoding: gzip\n'));
});

test('binary bodies are described, not dumped', () => {
  const result = details(10);
  assert.ok(result.text.includes('Response Body:\n<binary image/png, 70 bytes>\n'));
  assert.deepEqual(result.truncatedBodies, ['response'], 'a binary body is worth saving to a file');
});

test('WebSocket frames (snapshot) and the maxFrames limit', () => {
  assert.equal(
    details(11).text,
    `GET ws://127.0.0.1:8080/ws
Status: no HTTP response recorded
Type: websocket
Request Headers:
  User-Agent: ${UA}
  Accept: */*
Timing: (not reported by browser)
WebSocket: 3 sent · 3 received · closed 1000 "done" (clean) at 22:13:20.300
  ↑ 22:13:20.210 text 7B hello-1
  ↓ 22:13:20.212 text 7B hello-1
  ↑ 22:13:20.220 text 7B hello-2
  ↓ 22:13:20.222 text 7B hello-2
  ↑ 22:13:20.230 text 7B hello-3
  ↓ 22:13:20.232 text 7B hello-3
Notes:
  response: Chromium sends no network events for WebSocket handshakes`,
  );
  const limited = formatDetails(sampleEntry(11), { maxFrames: 2 }).text.split('\n');
  assert.deepEqual(limited.slice(-4, -2), ['  ↓ 22:13:20.212 text 7B hello-1', '  … 4 more frames not shown (in export_har)']);
});

test('SSE events (snapshot)', () => {
  assert.equal(
    details(12).text,
    `GET http://127.0.0.1:8080/sse
Status: 200 OK (took 420 ms)
Type: eventsource · text/event-stream · http/1.1
Size: response 63 B
Request Headers:
  User-Agent: ${UA}
  Accept: */*
Response Headers:
  Content-Type: text/event-stream
  Cache-Control: no-cache
Timing: total 420 ms
EventSource: 3 events
  22:13:20.250 event=message id=1 data={"n":1}
  22:13:20.350 event=message id=2 data={"n":2}
  22:13:20.450 event=message id=3 data={"n":3}
Notes:
  sizes: streamed response: no size reported`,
  );
});

test('pending request (snapshot)', () => {
  assert.equal(
    details(13).text,
    `GET http://127.0.0.1:8080/api/slow
Status: pending
Type: fetch
Request Headers:
  User-Agent: ${UA}
  Accept: */*
Timing: (not reported by browser)`,
  );
});

test('body states: pending, unavailable, not captured, empty; textual base64 is shown as text', () => {
  assert.equal(previewBody({ state: 'pending' }, undefined, 500).text, '(pending: not fetched from the browser yet)');
  assert.equal(
    previewBody({ state: 'unavailable', reason: 'no such network data' }, undefined, 500).text,
    '(unavailable: no such network data)',
  );
  assert.equal(
    previewBody({ state: 'not-captured', reason: 'captureBodies is none' }, undefined, 500).text,
    '(not captured: captureBodies is none)',
  );
  assert.equal(previewBody({ state: 'available', encoding: 'text', data: '' }, 'text/plain', 500).text, '(empty)');
  assert.equal(
    previewBody({ state: 'available', encoding: 'base64', data: btoa('{"a":1}') }, 'application/json', 500).text,
    '{\n  "a": 1\n}',
  );
  assert.equal(
    previewBody({ state: 'available', encoding: 'base64', data: btoa('\u00ff\u00fe') }, 'text/plain', 500).text,
    '<binary text/plain, 2 bytes>',
  );
});

test('a POST whose body is unavailable still shows the Request Body section with the reason', () => {
  const entry = sampleEntry(2);
  entry.request.body = { state: 'unavailable', reason: 'Firefox needs network.beforeRequestSent subscribed' };
  entry.request.bodySize = undefined;
  assert.ok(formatDetails(entry).text.includes('Request Body:\n(unavailable: Firefox needs network.beforeRequestSent subscribed)\n'));
});

test('a failed request with a response but no body says why the body is missing (a CORS failure after 200)', () => {
  const entry = sampleEntry(0);
  entry.state = 'failed';
  entry.error = 'NS_ERROR_DOM_BAD_URI';
  if (entry.response) {
    entry.response.body = undefined;
    entry.response.decodedBodySize = undefined;
    entry.response.encodedBodySize = undefined;
  }
  assert.ok(
    formatDetails(entry).text.includes(
      'Response Body:\n(not recorded: the request failed before the browser gave its body — NS_ERROR_DOM_BAD_URI)\n',
    ),
    formatDetails(entry).text,
  );
});

test('a POST with a Content-Type but no body record says the browser reported no body (Chromium, multipart over h2)', () => {
  const entry = sampleEntry(2);
  entry.request.body = undefined;
  entry.request.bodySize = undefined;
  assert.ok(
    formatDetails(entry).text.includes("Request Body:\n(not recorded: the browser reported neither this request's body nor its size)\n"),
    formatDetails(entry).text,
  );
});

test('prettyPrintJson keeps literals verbatim and handles empty containers', () => {
  assert.equal(
    prettyPrintJson('{"big":12345678901234567890,"f":1.50,"s":"a\\u00e9 \\"q\\"","e":[],"o":{ },"n":[1,[2]]}'),
    '{\n  "big": 12345678901234567890,\n  "f": 1.50,\n  "s": "a\\u00e9 \\"q\\"",\n  "e": [],\n  "o": {},\n  "n": [\n    1,\n    [\n      2\n    ]\n  ]\n}',
  );
  assert.equal(prettyPrintJson('{"a":'), undefined);
});

test('maxBodyChars is honoured and never splits a surrogate pair', () => {
  const preview = previewBody({ state: 'available', encoding: 'text', data: `ab😀${'c'.repeat(20)}` }, 'text/plain', 3);
  assert.equal(preview.text, 'ab\n... [22 more chars] (previewCoverage≈8%)');
  assert.equal(preview.partial, true);
});

test("a response the browser mixed up with another redirect hop's shows the note that says so", () => {
  const entry = sampleEntry(1);
  assert.doesNotMatch(formatDetails(entry).text, /another hop's response/);
  entry.source.response = ANSWER_FROM_ANOTHER_HOP_NOTE;
  assert.ok(formatDetails(entry).text.includes(`  response: ${ANSWER_FROM_ANOTHER_HOP_NOTE}`));
});
