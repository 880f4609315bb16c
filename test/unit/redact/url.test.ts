import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactUrl } from '../../../src/redact/index.js';

test('sensitive query parameters are masked, others and order kept', () => {
  assert.equal(redactUrl('https://h/p?token=abc&q=1'), 'https://h/p?token=<redacted>&q=1');
  assert.equal(
    redactUrl('https://h/p?q=a+b&api_key=K&Access-Token=T&key=G&code=C&x=%20'),
    'https://h/p?q=a+b&api_key=<redacted>&Access-Token=<redacted>&key=<redacted>&code=<redacted>&x=%20',
  );
  assert.equal(redactUrl('https://h/p?pass%77ord=p'), 'https://h/p?pass%77ord=<redacted>', 'names are decoded');
  assert.equal(redactUrl('https://h/p?token=&token'), 'https://h/p?token=&token', 'empty values stay');
});

test('userinfo password is masked, user kept', () => {
  assert.equal(redactUrl('https://user:pw@host/x'), 'https://user:<redacted>@host/x');
  assert.equal(redactUrl('https://user@host/x'), 'https://user@host/x');
  assert.equal(redactUrl('ftp://a:b@h:21/?password=1'), 'ftp://a:<redacted>@h:21/?password=<redacted>');
});

test('fragments with parameters are masked too', () => {
  assert.equal(redactUrl('https://h/cb#access_token=t&expires_in=3600'), 'https://h/cb#access_token=<redacted>&expires_in=3600');
  assert.equal(redactUrl('https://h/#/route?token=t'), 'https://h/#/route?token=<redacted>');
  assert.equal(redactUrl('https://h/page#section-2'), 'https://h/page#section-2');
});

test('URLs without secrets come back byte-identical (no normalization)', () => {
  for (const url of ['HTTP://Example.COM:80/a/../b?q=%7e#x', 'ws://127.0.0.1:8080/ws', 'data:text/plain,hi', '/relative?q=1']) {
    assert.equal(redactUrl(url), url);
  }
});

test('invalid URLs never throw and are still masked', () => {
  assert.equal(redactUrl('not a url?password=p&x=1'), 'not a url?password=<redacted>&x=1');
  assert.equal(redactUrl('http://[::1'), 'http://[::1');
  assert.equal(redactUrl(''), '');
  assert.equal(redactUrl('?%E0%A4%A=1&token=t'), '?%E0%A4%A=1&token=<redacted>');
});
