import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkRequest,
  generateToken,
  hasBearerToken,
  isAllowedHost,
  isAllowedOrigin,
  tokenProblem,
  type GuardInput,
} from '../../../src/mcp/http-guards.js';
import { httpBanner } from '../../../src/mcp/http-banner.js';

const TOKEN = 'test-token-0123456789abcdef';

test('Host must be a loopback name with our port', () => {
  for (const host of ['127.0.0.1:8123', 'localhost:8123', 'LOCALHOST:8123', '[::1]:8123', ' localhost:8123 ']) {
    assert.equal(isAllowedHost(host, 8123), true, host);
  }
  for (const host of [
    undefined,
    '',
    '127.0.0.1',
    '127.0.0.1:8124',
    'evil.example:8123',
    'localhost.evil.example:8123',
    '127.0.0.1.nip.io:8123',
    '0.0.0.0:8123',
    '[::2]:8123',
    '192.168.1.5:8123',
    'localhost:8123:8123',
    'user@localhost:8123',
  ]) {
    assert.equal(isAllowedHost(host, 8123), false, String(host));
  }
  assert.equal(isAllowedHost('localhost', 80), true, 'default port may be left out');
});

test('Origin, when present, must be a loopback http(s) origin', () => {
  for (const origin of [undefined, 'http://localhost:3000', 'https://127.0.0.1', 'http://[::1]:6274', 'http://LOCALHOST:1']) {
    assert.equal(isAllowedOrigin(origin), true, String(origin));
  }
  for (const origin of [
    'null',
    '',
    'http://evil.example',
    'https://localhost.evil.example',
    'file://',
    'chrome-extension://abc',
    'ws://localhost:1',
    'http://127.0.0.2',
  ]) {
    assert.equal(isAllowedOrigin(origin), false, origin);
  }
});

test('bearer token comparison', () => {
  assert.equal(hasBearerToken(`Bearer ${TOKEN}`, TOKEN), true);
  assert.equal(hasBearerToken(`bearer ${TOKEN}`, TOKEN), true, 'scheme is case-insensitive');
  assert.equal(hasBearerToken(undefined, TOKEN), false);
  assert.equal(hasBearerToken('', TOKEN), false);
  assert.equal(hasBearerToken(TOKEN, TOKEN), false, 'scheme required');
  assert.equal(hasBearerToken(`Basic ${TOKEN}`, TOKEN), false);
  assert.equal(hasBearerToken(`Bearer ${TOKEN}x`, TOKEN), false);
  assert.equal(hasBearerToken(`Bearer ${TOKEN.slice(0, -1)}`, TOKEN), false);
  assert.equal(hasBearerToken(`Bearer ${TOKEN} extra`, TOKEN), false);
  assert.equal(hasBearerToken('Bearer ', TOKEN), false);
});

test('generated tokens are 64 hex characters and differ', () => {
  const a = generateToken();
  const b = generateToken();
  assert.match(a, /^[0-9a-f]{64}$/);
  assert.notEqual(a, b);
  assert.equal(tokenProblem(a), undefined);
});

test('user tokens must be long enough and header-safe', () => {
  assert.match(String(tokenProblem('short')), /at least 16/);
  assert.match(String(tokenProblem('has a space in the middle')), /printable ASCII/);
  assert.match(String(tokenProblem('x'.repeat(2000))), /at most 1024/);
  assert.equal(tokenProblem(TOKEN), undefined);
});

test('checkRequest order: Host, Origin, path, method, token', () => {
  const ok: GuardInput = {
    method: 'POST',
    path: '/mcp',
    host: '127.0.0.1:9000',
    origin: undefined,
    authorization: `Bearer ${TOKEN}`,
    port: 9000,
    token: TOKEN,
  };
  assert.equal(checkRequest(ok), undefined);
  for (const method of ['GET', 'DELETE']) assert.equal(checkRequest({ ...ok, method }), undefined);
  assert.equal(checkRequest({ ...ok, host: 'evil.example:9000', authorization: undefined })?.status, 403);
  assert.equal(checkRequest({ ...ok, origin: 'http://evil.example', authorization: undefined })?.status, 403);
  assert.equal(checkRequest({ ...ok, path: '/', authorization: undefined })?.status, 404);
  assert.equal(checkRequest({ ...ok, path: '/mcp/' })?.status, 404);
  assert.equal(checkRequest({ ...ok, method: 'PUT', authorization: undefined })?.status, 405);
  assert.equal(checkRequest({ ...ok, method: 'OPTIONS' })?.status, 405);
  assert.equal(checkRequest({ ...ok, authorization: undefined })?.status, 401);
  assert.equal(checkRequest({ ...ok, authorization: 'Bearer wrong-token-wrong-token' })?.status, 401);
});

test('banner shows a generated token and hides a chosen one', () => {
  const generated = httpBanner('http://127.0.0.1:9000/mcp', 'a'.repeat(64), true).join('\n');
  assert.match(generated, /generated bearer token .*: a{64}/);
  assert.match(
    generated,
    /client config: \{"mcpServers":\{"bidiscope":\{"type":"http","url":"http:\/\/127\.0\.0\.1:9000\/mcp","headers":\{"Authorization":"Bearer a{64}"\}\}\}\}/,
  );
  const chosen = httpBanner('http://127.0.0.1:9000/mcp', TOKEN, false).join('\n');
  assert.doesNotMatch(chosen, new RegExp(TOKEN));
  assert.match(chosen, /Bearer <your --http-token/);
});
