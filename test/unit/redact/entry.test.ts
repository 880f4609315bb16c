import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactEntry } from '../../../src/redact/index.js';
import { SECRETS, sampleEntries, sampleEntry } from '../helpers/sample-entries.js';
import type { NetworkEntry } from '../../../src/model/types.js';

test('no secret survives redactEntry anywhere in the sample set', () => {
  const raw = JSON.stringify(sampleEntries());
  for (const secret of SECRETS) assert.ok(raw.includes(secret), `sample data really contains ${secret}`);
  const redacted = JSON.stringify(sampleEntries().map(redactEntry));
  for (const secret of SECRETS) assert.ok(!redacted.includes(secret), `${secret} leaked`);
});

test('login entry: headers, cookies and body redacted; useful facts kept', () => {
  const redacted = redactEntry(sampleEntry(2));
  assert.deepEqual(
    redacted.request.headers.map((header) => `${header.name}: ${header.value}`),
    [
      'User-Agent: Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0.0.0',
      'Accept: */*',
      'Content-Type: application/json',
      'Authorization: Bearer <redacted>',
      'Cookie: sid=<redacted>',
      'X-CSRF-Token: <redacted>',
      'Origin: http://127.0.0.1:8080',
    ],
  );
  assert.deepEqual(redacted.request.cookies, [
    { name: 'sid', value: '<redacted>', domain: '127.0.0.1', path: '/', httpOnly: true, secure: false },
  ]);
  assert.equal(redacted.request.body?.data, '{"user":"ada","password":"<redacted>","nested":{"token":"<redacted>"}}');
  assert.equal(redacted.request.body?.size, 60, 'size stays the size of the original body');
  assert.equal(redacted.response?.headers[1]?.value, 'sid=<redacted>; Path=/; HttpOnly');
});

test('the input entry is not modified (byte-identical path when the session exposes data)', () => {
  const entry = sampleEntry(2);
  const before = JSON.stringify(entry);
  redactEntry(entry);
  assert.equal(JSON.stringify(entry), before);
});

test('entries without secrets come back deep-equal but not shared', () => {
  for (const entry of sampleEntries()) {
    if (entry.index === 2) continue;
    const redacted = redactEntry(entry);
    assert.deepEqual(redacted, entry, `entry ${entry.index}`);
    assert.notEqual(redacted, entry);
    assert.notEqual(redacted.request, entry.request);
  }
});

test('URLs, frames, stream events and textual base64 bodies are redacted; binary bodies untouched', () => {
  const entry: NetworkEntry = {
    ...sampleEntry(11),
    url: 'ws://h/ws?token=t1',
    initiator: { type: 'script', url: 'http://h/app.js?key=k1' },
    redirect: { from: 'http://h/a?session=s1' },
  };
  const socket = entry.webSocket;
  assert.ok(socket);
  socket.url = 'ws://h/ws?token=t1';
  socket.frames.push({ direction: 'sent', time: 1, opcode: 1, size: 20, data: '{"password":"p1"}' });
  socket.frames.push({ direction: 'sent', time: 2, opcode: 2, size: 3, data: 'cGFzc3dvcmQ9cDE=' });
  const redacted = redactEntry(entry);
  assert.equal(redacted.url, 'ws://h/ws?token=<redacted>');
  assert.equal(redacted.webSocket?.url, 'ws://h/ws?token=<redacted>');
  assert.equal(redacted.initiator?.url, 'http://h/app.js?key=<redacted>');
  assert.equal(redacted.redirect?.from, 'http://h/a?session=<redacted>');
  assert.equal(redacted.webSocket?.frames.at(-2)?.data, '{"password":"<redacted>"}');
  assert.equal(redacted.webSocket?.frames.at(-1)?.data, 'cGFzc3dvcmQ9cDE=', 'binary frames are not decoded');

  const sse = sampleEntry(12);
  sse.stream?.events.push({ time: 1, event: 'login', data: '{"access_token":"t2"}' });
  assert.equal(redactEntry(sse).stream?.events.at(-1)?.data, '{"access_token":"<redacted>"}');

  const base64Json = sampleEntry(1);
  const response = base64Json.response;
  assert.ok(response?.body);
  response.body = { state: 'available', encoding: 'base64', data: btoa('{"token":"t3"}') };
  assert.equal(atob(redactEntry(base64Json).response?.body?.data ?? ''), '{"token":"<redacted>"}');

  const image = sampleEntry(10);
  assert.equal(redactEntry(image).response?.body?.data, image.response?.body?.data);
});
