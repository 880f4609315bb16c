import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactBodyRecord, redactBodyText, redactLooseText } from '../../../src/redact/index.js';
import type { BodyRecord } from '../../../src/model/types.js';

test('compact JSON: sensitive values at any depth, layout byte-identical', () => {
  const input = '{"user":"ada","password":"hunter2","nested":{"token":"abc","list":[{"pin":1234},{"otp":true}]},"n":1.0}';
  assert.equal(
    redactBodyText(input, 'application/json'),
    '{"user":"ada","password":"<redacted>","nested":{"token":"<redacted>","list":[{"pin":"<redacted>"},{"otp":"<redacted>"}]},"n":1.0}',
  );
});

test('pretty JSON stays pretty; only value spans change', () => {
  const input = '{\n    "user": "ada",\n    "Password" :  "hunter2",\n    "big": 12345678901234567890,\n    "esc": "a\\u00e9\\/b"\n}';
  assert.equal(
    redactBodyText(input),
    '{\n    "user": "ada",\n    "Password" :  "<redacted>",\n    "big": 12345678901234567890,\n    "esc": "a\\u00e9\\/b"\n}',
  );
});

test('objects, arrays, numbers and booleans under a sensitive key become "<redacted>"; null and "" stay', () => {
  assert.equal(
    redactBodyText('{"credentials":{"user":"ada","key":"k"},"tokens":["t1"],"secret":[1,2],"apiKey":null,"pwd":"","ok":false}'),
    '{"credentials":"<redacted>","tokens":["t1"],"secret":"<redacted>","apiKey":null,"pwd":"","ok":false}',
  );
});

test('top-level arrays, keys with escapes, and JSON inside strings', () => {
  assert.equal(redactBodyText('[{"access_token":"t"},{"x":1}]'), '[{"access_token":"<redacted>"},{"x":1}]');
  assert.equal(redactBodyText('{"pass\\u0077ord":"p"}'), '{"pass\\u0077ord":"<redacted>"}');
  assert.equal(
    redactBodyText('{"payload":"{\\"token\\":\\"abc\\",\\"a\\":1}","next":"/p?token=abc&page=2"}'),
    '{"payload":"{\\"token\\":\\"<redacted>\\",\\"a\\":1}","next":"/p?token=<redacted>&page=2"}',
  );
});

test('false positives stay visible', () => {
  const input = '{"passage":"p","author":"a","tokenizer_name":"bpe","max_tokens":256,"token_type":"Bearer"}';
  assert.equal(redactBodyText(input), input);
});

test('text without secrets is returned as the same string', () => {
  const input = '{"items":[1,2,3]}';
  assert.equal(redactBodyText(input), input);
  const html = '<html><body><a href="/x?q=1">x</a></body></html>';
  assert.equal(redactBodyText(html, 'text/html'), html);
});

test('form-urlencoded: values of sensitive fields, everything else as sent', () => {
  assert.equal(
    redactBodyText('a=1&password=hunter2&user%5Bpassword%5D=x&empty=&q=a+b', 'application/x-www-form-urlencoded'),
    'a=1&password=<redacted>&user%5Bpassword%5D=<redacted>&empty=&q=a+b',
  );
  assert.equal(redactBodyText('user=ada&pwd=hunter2'), 'user=ada&pwd=<redacted>', 'detected without a MIME type');
});

test('broken (truncated) JSON falls back to regex masking', () => {
  assert.equal(
    redactBodyText('{"user":"ada","password":"hunter2","nested":{"token":"abc","n', 'application/json'),
    '{"user":"ada","password":"<redacted>","nested":{"token":"<redacted>","n',
  );
});

test('fallback: JS literals, key=value, multipart, XML, Bearer tokens', () => {
  assert.equal(
    redactLooseText(`cfg = {apiKey: 'AIza1', authDomain: 'x', password: form.value, 'secret': 42};`),
    `cfg = {apiKey: '<redacted>', authDomain: 'x', password: form.value, 'secret': "<redacted>"};`,
  );
  assert.equal(
    redactLooseText('GET /cb?code=1&token=abc HTTP/1.1 password="x y"'),
    'GET /cb?code=1&token=<redacted> HTTP/1.1 password="<redacted>"',
  );
  assert.equal(
    redactLooseText(
      '--b\r\nContent-Disposition: form-data; name="password"\r\n\r\nhunter2\r\n--b\r\nContent-Disposition: form-data; name="user"\r\n\r\nada\r\n--b--',
    ),
    '--b\r\nContent-Disposition: form-data; name="password"\r\n\r\n<redacted>\r\n--b\r\nContent-Disposition: form-data; name="user"\r\n\r\nada\r\n--b--',
  );
  assert.equal(
    redactLooseText('<login><user>ada</user><ns:password type="x">hunter2</ns:password></login>'),
    '<login><user>ada</user><ns:password type="x"><redacted></ns:password></login>',
  );
  assert.equal(
    redactLooseText('Authorization: Bearer eyJhbGciOi.x.y and the Bearer scheme'),
    'Authorization: Bearer <redacted> and the Bearer scheme',
  );
});

test('redaction is idempotent', () => {
  const inputs = [
    '{"password":"hunter2"}',
    'password=hunter2&a=1',
    '"password": "x", token=y, Bearer abc123',
    '<password>x</password>',
    'Authorization: Basic YWRh\nauthorization: tok',
  ];
  for (const input of inputs) {
    const once = redactBodyText(input);
    assert.equal(redactBodyText(once), once, input);
  }
});

test('large and pathological bodies finish quickly', () => {
  const started = performance.now();
  redactBodyText(`{"password":"${'a'.repeat(3_000_000)}`, 'application/json');
  redactBodyText(`"password":"${'a\\'.repeat(500_000)}`);
  redactBodyText(`x=1&${'b'.repeat(3_000_000)} `);
  redactBodyText(JSON.stringify({ data: Array.from({ length: 20_000 }, (_, id) => ({ id, url: `/x?a=${id}` })) }));
  assert.ok(performance.now() - started < 5_000);
});

test('base64 bodies: text (by the one classifier) is decoded, redacted and re-encoded; binary untouched', () => {
  const encode = (text: string): string => btoa(String.fromCharCode(...new TextEncoder().encode(text)));
  const redactData = (data: string, mime: string): string => {
    const body: BodyRecord = { state: 'available', encoding: 'base64', data };
    redactBodyRecord(body, mime);
    return body.data ?? '';
  };
  const json = encode('{"token":"abc","name":"é"}');
  const redacted = redactData(json, 'application/json');
  assert.equal(new TextDecoder().decode(Uint8Array.from(atob(redacted), (c) => c.charCodeAt(0))), '{"token":"<redacted>","name":"é"}');
  assert.equal(atob(redactData(encode('{"AccessToken":"abc"}'), 'application/x-amz-json-1.1')), '{"AccessToken":"<redacted>"}');
  assert.equal(atob(redactData(encode('{"token":"abc"}'), 'application/octet-stream')), '{"token":"<redacted>"}');
  const clean = encode('{"a":1}');
  assert.equal(redactData(clean, 'application/json'), clean);
  assert.equal(redactData(json, 'image/png'), json);
  assert.equal(redactData('!!!not base64', 'text/plain'), '!!!not base64');
});

test('JSON Lines and json-seq bodies are redacted line by line', () => {
  assert.equal(
    redactBodyText('{"token":"a"}\n{"ok":1,"password":"b"}\n', 'application/x-ndjson'),
    '{"token":"<redacted>"}\n{"ok":1,"password":"<redacted>"}\n',
  );
  assert.equal(redactBodyText('\u001e{"secret":"a"}\n\u001e[1]\n', 'application/json-seq'), '\u001e{"secret":"<redacted>"}\n\u001e[1]\n');
});

test('fallback: raw Authorization lines keep the scheme', () => {
  assert.equal(
    redactLooseText('POST /x HTTP/1.1\nAuthorization: Basic YWRhOmh1bnRlcjI=\nproxy-authorization: tok\nAccept: */*'),
    'POST /x HTTP/1.1\nAuthorization: Basic <redacted>\nproxy-authorization: <redacted>\nAccept: */*',
  );
});

test('JavaScript bodies: string literals and URL parameters are masked, assignments stay readable', () => {
  assert.equal(
    redactBodyText('this.token=t;fetch("/api?token=abc&q=1");const c={apiKey:"AIza1"};', 'text/javascript'),
    'this.token=t;fetch("/api?token=<redacted>&q=1");const c={apiKey:"<redacted>"};',
  );
});
