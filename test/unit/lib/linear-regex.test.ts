import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileLinearRegex, LinearRegexError } from '../../../src/lib/linear-regex.js';
import { compileUrlFilter, UrlFilterError } from '../../../src/model/url-filter.js';

const PATTERNS: Array<[string, string]> = [
  ['abc', ''],
  ['^https?://', ''],
  ['\\.(js|css)$', ''],
  ['/api/v\\d+/users/\\d+', ''],
  ['[a-f0-9]{8}', ''],
  ['[^/]+\\.png$', 'i'],
  ['\\bapi\\b', ''],
  ['\\Bpi', ''],
  ['x{2,3}y', ''],
  ['x{2,}y', ''],
  ['a.c', 's'],
  ['^b$', 'm'],
  ['(?:foo|bar)+baz', ''],
  ['(?<name>tiny)\\?i=\\d', ''],
  ['colou?r', 'i'],
  ['[\\d-z]', ''],
  ['[a-]', ''],
  ['\\x41\\u0042', 'i'],
  ['\\s|\\t', ''],
  ['[]', ''],
  ['[^]', ''],
  ['a{', ''],
  ['é', 'iu'],
  ['\\u{1F600}', 'u'],
  ['(a|)+b', ''],
  ['.*=.*=$', ''],
  ['\\/blank', ''],
  ['[\\]x]', ''],
  ['a*?b', ''],
  ['(a+)+$', ''],
  ['\\W+\\S', ''],
];
const SUBJECTS = [
  '',
  'abc',
  'http://127.0.0.1:8080/api/v2/users/42',
  'https://x.test/app.JS',
  'https://x.test/app.css?v=1',
  'deadbeef00',
  'IMG.PNG',
  'the api call',
  'xxy',
  'xy',
  'xxxxy',
  'a\nc',
  'a\nb\nc',
  'foobarfoobaz',
  '/tiny?i=7',
  'Color',
  'colr',
  '-',
  'AB',
  'ab',
  ' ',
  'Ééé',
  '😀',
  'aaab',
  'k=v=',
  '/blank',
  ']',
  'aaaa!',
  '!!x',
  'a{',
];

test('the linear matcher agrees with the native engine', () => {
  for (const [source, flags] of PATTERNS) {
    const native = new RegExp(source, flags);
    const linear = compileLinearRegex(source, flags);
    for (const subject of SUBJECTS) {
      assert.equal(linear.test(subject), native.test(subject), `/${source}/${flags} on ${JSON.stringify(subject)}`);
    }
  }
});

test('patterns that make a backtracking engine explode run in linear time', () => {
  const cases: Array<[string, string]> = [
    ['/(a+)+$/', `${'a'.repeat(5000)}!`],
    ['/(a|aa)+$/', `${'a'.repeat(5000)}!`],
    ['/(x+x+)+y/', 'x'.repeat(5000)],
    ['/.*a.*a.*a.*b/i', 'a'.repeat(5000)],
    ['*a*a*a*a*a*a*a*a*a*a*b', 'a'.repeat(5000)],
    ['/.*x/', 'a'.repeat(200_000)],
  ];
  for (const [filter, url] of cases) {
    const started = Date.now();
    assert.equal(compileUrlFilter(filter).matches(url), false, filter);
    assert.ok(Date.now() - started < 2000, `${filter} took ${Date.now() - started} ms`);
  }
});

test('globs and substrings keep their meaning', () => {
  assert.equal(compileUrlFilter('/tiny?').matches('http://h/tiny?i=1'), true);
  assert.equal(compileUrlFilter('*.PNG').matches('http://h/img.png'), true);
  assert.equal(compileUrlFilter('api*users').matches('http://h/api/v1/users'), true);
  assert.equal(compileUrlFilter('api*users').matches('http://h/users/api'), false);
  assert.equal(compileUrlFilter('a.b').matches('http://h/aXb'), false);
  assert.equal(compileUrlFilter('/api/login').kind, 'substring');
});

test('unsupported or invalid regexes are refused with a reason', () => {
  assert.throws(() => compileUrlFilter('/(/'), UrlFilterError);
  assert.throws(() => compileUrlFilter('/[/'), UrlFilterError);
  assert.throws(() => compileUrlFilter('/(a)\\1/'), /backreferences/);
  assert.throws(() => compileUrlFilter('/foo(?=bar)/'), /lookahead/);
  assert.throws(() => compileUrlFilter('/(a{100}){100}/'), /too large/);
  assert.throws(() => compileLinearRegex('\\p{L}', 'u'), LinearRegexError);
});
