import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileUrlFilter } from '../../../src/model/url-filter.js';
import { firstMatch, interceptPatterns, isActive, originOfFilter, presentRule, type NetworkRule } from '../../../src/intercept/rules.js';

function rule(id: string, filter: string, extra: Partial<NetworkRule> = {}): NetworkRule {
  const compiled = compileUrlFilter(filter);
  const origin = originOfFilter(compiled);
  return { id, filter: compiled, ...(origin ? { origin } : {}), action: { type: 'block' }, hits: 0, ...extra };
}

test('a filter naming an origin intercepts that origin only; others intercept every request', () => {
  assert.deepEqual(interceptPatterns(originOfFilter(compileUrlFilter('http://127.0.0.1:8080/api'))), [
    { type: 'pattern', protocol: 'http', hostname: '127.0.0.1', port: '8080' },
  ]);
  assert.deepEqual(interceptPatterns(originOfFilter(compileUrlFilter('https://Example.com/*.js'))), [
    { type: 'pattern', protocol: 'https', hostname: 'example.com' },
  ]);
  for (const filter of ['/api/', '*/api/*', '/^http:\\/\\/x/', 'http://*.example.com/', 'http://user@host/']) {
    assert.equal(interceptPatterns(originOfFilter(compileUrlFilter(filter))), undefined, filter);
  }
});

test('an origin-bound rule matches only its origin, even when another URL carries the text', () => {
  const bound = rule('r1', 'http://127.0.0.1:8080/api');
  const request = (url: string) => ({ url, method: 'GET', resourceType: 'fetch' as const });
  assert.equal(firstMatch([bound], request('http://127.0.0.1:8080/api/x')), bound);
  assert.equal(firstMatch([bound], request('http://127.0.0.1:9090/?next=http://127.0.0.1:8080/api')), undefined);
});

test('first match wins, methods and types narrow, times expire', () => {
  const first = rule('r1', '/api/', { methods: ['POST'], times: 1 });
  const second = rule('r2', '/api/', { resourceTypes: ['xhr'] });
  const third = rule('r3', '/api/');
  const rules = [first, second, third];
  assert.equal(firstMatch(rules, { url: 'http://h/api/a', method: 'POST', resourceType: 'fetch' }), first);
  assert.equal(firstMatch(rules, { url: 'http://h/api/a', method: 'GET', resourceType: 'xhr' }), second);
  assert.equal(firstMatch(rules, { url: 'http://h/api/a', method: 'GET', resourceType: 'fetch' }), third);
  first.hits = 1;
  assert.equal(isActive(first), false);
  assert.equal(firstMatch(rules, { url: 'http://h/api/a', method: 'POST', resourceType: 'fetch' }), third);
  assert.equal(presentRule(first, false).state, 'expired');
});

test('listing a rule redacts secrets in its headers and body unless the session exposes them', () => {
  const secret = 'sk-live-0123456789abcdef';
  const responder = rule('r1', '/login', {
    action: {
      type: 'respond',
      status: 200,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
      body: JSON.stringify({ token: secret, ok: true }),
    },
  });
  const hidden = JSON.stringify(presentRule(responder, false));
  assert.ok(!hidden.includes(secret), hidden);
  assert.match(hidden, /"ok\\":true|ok/);
  assert.ok(JSON.stringify(presentRule(responder, true)).includes(secret));
  const modifier = rule('r2', '/x', { action: { type: 'modify', setHeaders: { cookie: `sid=${secret}` } } });
  assert.ok(!JSON.stringify(presentRule(modifier, false)).includes(secret));
});

test('listing a binary respond rule gives the size of its body, not the base64', () => {
  for (const bytes of [0, 1, 2, 3, 1000]) {
    const bodyBase64 = Buffer.from(new Uint8Array(bytes).fill(0xff)).toString('base64');
    const responder = rule('r1', '/bin', { action: { type: 'respond', status: 200, bodyBase64 } });
    const action = presentRule(responder, false).action as Record<string, unknown>;
    assert.equal(action.bodyBase64Bytes, bytes, bodyBase64);
    assert.ok(!('bodyBase64' in action));
  }
});
