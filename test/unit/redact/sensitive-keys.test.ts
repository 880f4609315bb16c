import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isSensitiveFieldName, isSensitiveHeaderName, isSensitiveKey, isSensitiveQueryParam } from '../../../src/redact/index.js';

test('exact secret words match in any case and with - or _', () => {
  const secret = [
    'password',
    'Password',
    'PASSWD',
    'pass',
    'pwd',
    'secret',
    'token',
    'api_key',
    'apiKey',
    'api-key',
    'access_token',
    'refreshToken',
    'id_token',
    'client_secret',
    'private_key',
    'auth',
    'Authorization',
    'session',
    'sessionId',
    'session_id',
    'cookie',
    'credentials',
    'otp',
    'pin',
    'ssn',
    'credit_card',
    'cardNumber',
    'cvv',
    'jwt',
  ];
  for (const key of secret) assert.equal(isSensitiveKey(key), true, key);
});

test('keys ending in token/secret/password/apikey are secret', () => {
  for (const key of ['csrfToken', 'x_api_key', 'X-Api-Key', 'adminPassword', 'appSecret', 'JSESSIONID', 'X-Amz-Signature']) {
    assert.equal(isSensitiveKey(key), true, key);
  }
});

test('look-alikes are not secret (documented false-positive guards)', () => {
  const notSecret = [
    'passage',
    'compass',
    'bypass',
    'author',
    'authority',
    'authenticated',
    'tokenizer_name',
    'max_tokens',
    'prompt_tokens',
    'token_type',
    'pinned',
    'spin',
    'sessionStorage',
    'last_session',
    'user',
    'id',
    'key',
    'code',
    '',
  ];
  for (const key of notSecret) assert.equal(isSensitiveKey(key), false, key);
});

test('form field names nest with brackets or dots', () => {
  assert.equal(isSensitiveFieldName('user[password]'), true);
  assert.equal(isSensitiveFieldName('user.password'), true);
  assert.equal(isSensitiveFieldName('user[name]'), false);
});

test('URLs also hide key= and code= parameters', () => {
  assert.equal(isSensitiveQueryParam('key'), true);
  assert.equal(isSensitiveQueryParam('code'), true);
  assert.equal(isSensitiveQueryParam('q'), false);
});

test('header names: the listed ones and any containing token/secret/api-key/password/session', () => {
  for (const name of [
    'x-api-key',
    'X-Auth-Token',
    'x-csrf-token',
    'x-xsrf-token',
    'x-amz-security-token',
    'X-Client-Secret',
    'x-goog-api-key',
    'x-apikey',
    'x-session-id',
    'x-password',
  ]) {
    assert.equal(isSensitiveHeaderName(name), true, name);
  }
  for (const name of ['content-type', 'accept', 'user-agent', 'x-request-id', 'sec-websocket-key']) {
    assert.equal(isSensitiveHeaderName(name), false, name);
  }
});
