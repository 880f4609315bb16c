import { test } from 'node:test';
import assert from 'node:assert/strict';
import { REDACTED, redactCookies, redactHeaders } from '../../../src/redact/index.js';
import type { Header } from '../../../src/model/types.js';

function redactOne(name: string, value: string): string {
  const [header] = redactHeaders([{ name, value }]);
  assert.ok(header);
  return header.value;
}

test('REDACTED is the agreed marker', () => {
  assert.equal(REDACTED, '<redacted>');
});

test('authorization keeps only the scheme', () => {
  assert.equal(redactOne('Authorization', 'Bearer s3cr3t'), 'Bearer <redacted>');
  assert.equal(redactOne('authorization', 'Basic YWRhOmh1bnRlcjI='), 'Basic <redacted>');
  assert.equal(redactOne('Proxy-Authorization', 'Digest username="ada", response="f00"'), 'Digest <redacted>');
  assert.equal(redactOne('Authorization', 's3cr3t'), '<redacted>');
  assert.equal(redactOne('Authorization', ''), '');
});

test('cookie keeps every name and hides every value', () => {
  assert.equal(redactOne('Cookie', 'session=abc; theme=dark'), 'session=<redacted>; theme=<redacted>');
  assert.equal(redactOne('cookie', 'a=1;b=;c'), 'a=<redacted>;b=;<redacted>');
});

test('set-cookie keeps name and attributes, hides the value', () => {
  assert.equal(redactOne('Set-Cookie', 'sid=xyz; Path=/; HttpOnly'), 'sid=<redacted>; Path=/; HttpOnly');
  assert.equal(
    redactOne('set-cookie', 'a=1; Secure\nb=2; Max-Age=60; SameSite=Lax'),
    'a=<redacted>; Secure\nb=<redacted>; Max-Age=60; SameSite=Lax',
  );
  assert.equal(redactOne('set-cookie', 'gone=; Max-Age=0'), 'gone=; Max-Age=0');
});

test('secret-named headers are hidden entirely; URL headers get URL redaction; others untouched', () => {
  const input: Header[] = [
    { name: 'X-API-Key', value: 'k1' },
    { name: 'X-Auth-Token', value: 't1' },
    { name: 'X-CSRF-Token', value: 'c1' },
    { name: 'X-XSRF-TOKEN', value: 'x1' },
    { name: 'X-Session-Id', value: 's1' },
    { name: 'Referer', value: 'http://h/cb?access_token=t2&state=1' },
    { name: 'Location', value: '/next?token=t3' },
    { name: 'Content-Type', value: 'application/json' },
  ];
  assert.deepEqual(redactHeaders(input), [
    { name: 'X-API-Key', value: '<redacted>' },
    { name: 'X-Auth-Token', value: '<redacted>' },
    { name: 'X-CSRF-Token', value: '<redacted>' },
    { name: 'X-XSRF-TOKEN', value: '<redacted>' },
    { name: 'X-Session-Id', value: '<redacted>' },
    { name: 'Referer', value: 'http://h/cb?access_token=<redacted>&state=1' },
    { name: 'Location', value: '/next?token=<redacted>' },
    { name: 'Content-Type', value: 'application/json' },
  ]);
  assert.equal(input[0]?.value, 'k1', 'input is not modified');
});

test('redactCookies hides values and keeps attributes', () => {
  const cookies = [
    { name: 'sid', value: 'xyz', domain: 'h', path: '/', httpOnly: true, secure: true, sameSite: 'lax', expires: 1 },
    { name: 'empty', value: '' },
  ];
  assert.deepEqual(redactCookies(cookies), [
    { name: 'sid', value: '<redacted>', domain: 'h', path: '/', httpOnly: true, secure: true, sameSite: 'lax', expires: 1 },
    { name: 'empty', value: '' },
  ]);
  assert.equal(cookies[0]?.value, 'xyz');
});
