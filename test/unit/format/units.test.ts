import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatBytes, formatDuration, formatMs, originOf, shortenUrl } from '../../../src/format/index.js';

test('formatBytes: B below 1 KiB, one decimal below 10, whole numbers above, unit rolls over', () => {
  const cases: Array<[number, string]> = [
    [0, '0B'],
    [120, '120B'],
    [1023, '1023B'],
    [1024, '1.0k'],
    [2150, '2.1k'],
    [10_188, '9.9k'],
    [10_230, '10k'],
    [348_160, '340k'],
    [1_048_575, '1.0M'],
    [3 * 1024 * 1024, '3.0M'],
    [5 * 1024 ** 3, '5.0G'],
    [-1, '?'],
    [Number.NaN, '?'],
  ];
  for (const [bytes, expected] of cases) assert.equal(formatBytes(bytes), expected, String(bytes));
});

test('formatDuration: ms with ≤1 decimal, then s, then m/s', () => {
  const cases: Array<[number, string]> = [
    [0, '0ms'],
    [0.44, '0.4ms'],
    [8, '8ms'],
    [8.25, '8.3ms'],
    [12.4, '12ms'],
    [999.4, '999ms'],
    [999.6, '1.0s'],
    [1234, '1.2s'],
    [42_000, '42s'],
    [59_600, '1m00s'],
    [125_000, '2m05s'],
    [-5, '?'],
  ];
  for (const [ms, expected] of cases) assert.equal(formatDuration(ms), expected, String(ms));
});

test('formatMs rounds to one decimal and drops .0', () => {
  assert.deepEqual([7, 7.25, 0.04, 5.0, 123.45].map(formatMs), ['7', '7.3', '0', '5', '123.5']);
});

test('shortenUrl drops scheme, drops host for the base origin, keeps query, drops fragment', () => {
  const baseOrigin = 'http://127.0.0.1:8080';
  assert.equal(shortenUrl('http://127.0.0.1:8080/api/x?q=1#frag', { baseOrigin }), '/api/x?q=1');
  assert.equal(shortenUrl('http://127.0.0.1:8080', { baseOrigin }), '/');
  assert.equal(shortenUrl('ws://127.0.0.1:8080/ws', { baseOrigin }), '/ws', 'ws to the same host counts as same origin');
  assert.equal(shortenUrl('https://127.0.0.1:8080/x', { baseOrigin }), '127.0.0.1:8080/x', 'other scheme = other origin');
  assert.equal(shortenUrl('https://cdn.example.com/lib.js'), 'cdn.example.com/lib.js');
  assert.equal(shortenUrl('https://user:pw@example.com/a'), 'example.com/a');
  assert.equal(shortenUrl('HTTP://127.0.0.1:8080/A', { baseOrigin: 'http://127.0.0.1:8080/' }), '/A');
});

test('shortenUrl cuts the middle of long URLs to maxLength', () => {
  const long = `https://example.com/${'a'.repeat(80)}/${'b'.repeat(80)}?page=2`;
  const short = shortenUrl(long);
  assert.equal(short.length, 100);
  assert.ok(short.startsWith('example.com/aaaa'));
  assert.ok(short.endsWith('bbbb?page=2'));
  assert.ok(short.includes('…'));
  assert.equal(shortenUrl(`data:image/png;base64,${'A'.repeat(200)}`, { maxLength: 30 }).length, 30);
});

test('originOf gives scheme://host[:port] without userinfo, lower-cased', () => {
  assert.equal(originOf('HTTP://User:pw@Example.com:8080/a?b'), 'http://example.com:8080');
  assert.equal(originOf('/relative'), undefined);
});
