/** bodyFromBidiBytes: text vs base64, truncation, capture modes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bodyFromBidiBytes, bodyFromText } from '../../../src/model/bodies.js';
import { base64ToBytes, bytesToBase64, decodeUtf8Strict, utf8ByteLength } from '../../../src/lib/bytes.js';

const PNG_1X1 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

function base64OfText(text: string): string {
  return bytesToBase64(new TextEncoder().encode(text));
}

test('a string body with a textual MIME type is text', () => {
  assert.deepEqual(bodyFromBidiBytes({ type: 'string', value: '{"ok":true}' }, 'application/json', 1000, 'text'), {
    state: 'available',
    encoding: 'text',
    data: '{"ok":true}',
    size: 11,
  });
});

test('a base64 body with a textual MIME type that is valid UTF-8 becomes text', () => {
  const text = 'grüße, 世界';
  const bytes = { type: 'base64' as const, value: base64OfText(text) };
  const record = bodyFromBidiBytes(bytes, 'text/plain; charset=utf-8', 1000, 'all');
  assert.deepEqual(record, { state: 'available', encoding: 'text', data: text, size: utf8ByteLength(text) });
  assert.equal(record.size, 15);
});

test('a base64 body with a textual MIME type that is not UTF-8 stays base64', () => {
  const latin1 = bytesToBase64(new Uint8Array([0x66, 0xfc, 0x72])); // "für" in Latin-1
  assert.deepEqual(bodyFromBidiBytes({ type: 'base64', value: latin1 }, 'text/plain', 1000, 'all'), {
    state: 'available',
    encoding: 'base64',
    data: latin1,
    size: 3,
  });
});

test('PNG bytes: base64 in mode all, not captured (with size and a reason) in mode text', () => {
  const all = bodyFromBidiBytes({ type: 'base64', value: PNG_1X1 }, 'image/png', 1_000_000, 'all');
  assert.deepEqual(all, { state: 'available', encoding: 'base64', data: PNG_1X1, size: 70 });
  const text = bodyFromBidiBytes({ type: 'base64', value: PNG_1X1 }, 'image/png', 1_000_000, 'text');
  assert.equal(text.state, 'not-captured');
  assert.equal(text.size, 70);
  assert.equal(text.data, undefined);
  assert.match(text.reason ?? '', /binary body \(image\/png\).*'all'/);
});

test('Chromium (string) and Firefox (base64) forms of an octet-stream body give the same record', () => {
  const payload = 'abc\u0001def';
  const mime = 'application/octet-stream';
  const chromiumForm = { type: 'string' as const, value: payload };
  const fromChromium = bodyFromBidiBytes(chromiumForm, mime, 5, 'all');
  const fromFirefox = bodyFromBidiBytes({ type: 'base64', value: base64OfText(payload) }, mime, 5, 'all');
  assert.deepEqual(fromChromium, fromFirefox);
  assert.deepEqual(fromFirefox, {
    state: 'available',
    encoding: 'base64',
    data: base64OfText('abc\u0001d'),
    size: 7,
    truncated: true,
  });
  assert.equal(bodyFromBidiBytes(chromiumForm, mime, 5, 'text').state, 'not-captured');
});

test('text truncation counts bytes, never splits a character, and keeps the whole size', () => {
  const record = bodyFromBidiBytes({ type: 'string', value: 'aé€😀z' }, 'text/plain', 7, 'text');
  // a(1) é(2) €(3) = 6 bytes; 😀 needs 4 more, so the cut lands after €.
  assert.deepEqual(record, { state: 'available', encoding: 'text', data: 'aé€', size: 11, truncated: true });
  const exact = bodyFromBidiBytes({ type: 'string', value: 'abc' }, 'text/plain', 3, 'text');
  assert.equal(exact.truncated, undefined);
  assert.equal(bodyFromBidiBytes({ type: 'string', value: 'abc' }, 'text/plain', 0, 'text').data, '');
});

test('binary truncation keeps the first maxBodyBytes bytes', () => {
  const record = bodyFromBidiBytes({ type: 'base64', value: PNG_1X1 }, 'image/png', 8, 'all');
  assert.equal(record.size, 70);
  assert.equal(record.truncated, true);
  assert.deepEqual([...(base64ToBytes(record.data ?? '') ?? [])], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
});

test('no MIME type: valid UTF-8 is text in either wire form; no limit when maxBodyBytes is not finite', () => {
  const text = bodyFromBidiBytes({ type: 'string', value: 'hi' }, undefined, Number.POSITIVE_INFINITY, 'text');
  assert.equal(text.encoding, 'text');
  const fromBase64 = bodyFromBidiBytes({ type: 'base64', value: base64OfText('hi') }, '', Number.NaN, 'text');
  assert.deepEqual(fromBase64, text);
  const binary = bodyFromBidiBytes({ type: 'base64', value: PNG_1X1 }, '', Number.NaN, 'all');
  assert.equal(binary.encoding, 'base64');
});

test('JSON under a generic type is text in both wire forms and in mode text', () => {
  const json = '{"AccessToken":"x"}';
  for (const mime of ['application/octet-stream', 'application/x-unknown-content-type']) {
    const chromium = bodyFromBidiBytes({ type: 'string', value: json }, mime, 1000, 'text');
    const firefox = bodyFromBidiBytes({ type: 'base64', value: base64OfText(json) }, mime, 1000, 'text');
    assert.deepEqual(chromium, { state: 'available', encoding: 'text', data: json, size: json.length });
    assert.deepEqual(firefox, chromium);
  }
});

test('an AWS JSON body (application/x-amz-json-1.1) is text in mode text, from either wire form', () => {
  const json = '{"AuthenticationResult":{"AccessToken":"eyJ"}}';
  const mime = 'application/x-amz-json-1.1';
  assert.equal(bodyFromBidiBytes({ type: 'string', value: json }, mime, 1000, 'text').encoding, 'text');
  assert.equal(bodyFromBidiBytes({ type: 'base64', value: base64OfText(json) }, mime, 1000, 'text').encoding, 'text');
});

test('invalid base64 is reported as unavailable, not thrown', () => {
  const record = bodyFromBidiBytes({ type: 'base64', value: '@@not base64@@' }, 'image/png', 100, 'all');
  assert.equal(record.state, 'unavailable');
  assert.match(record.reason ?? '', /base64/);
});

test('bodyFromText truncates like the collector path', () => {
  assert.deepEqual(bodyFromText('ab€', 3), {
    state: 'available',
    encoding: 'text',
    data: 'ab',
    size: 5,
    truncated: true,
  });
});

test('byte helpers round-trip without Buffer', () => {
  const bytes = new Uint8Array(70_000).map((_value, index) => index % 256);
  assert.deepEqual(base64ToBytes(bytesToBase64(bytes)), bytes);
  assert.equal(decodeUtf8Strict(new Uint8Array([0xc3, 0x28])), undefined);
  assert.equal(utf8ByteLength('😀'), 4);
});
