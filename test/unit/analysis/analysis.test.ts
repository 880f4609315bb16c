/** Search, diff and request export over sample entries (pure). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  curlCommand,
  diffEntries,
  fetchCommand,
  jsonShape,
  searchEntries,
  shellQuote,
  SEARCH_FIELDS,
} from '../../../src/analysis/index.js';
import { compileTextPattern } from '../../../src/model/url-filter.js';
import { redactEntry } from '../../../src/redact/index.js';
import type { NetworkEntry } from '../../../src/model/types.js';
import { sampleEntries, sampleEntry } from '../helpers/sample-entries.js';

const search = (entries: readonly NetworkEntry[], query: string) =>
  searchEntries(entries, compileTextPattern(query), { fields: SEARCH_FIELDS, maxHits: 100 });

test('search finds a body marker, a header, a frame and an SSE event, with where and a one-line snippet', () => {
  const entries = sampleEntries().map(redactEntry);
  const body = search(entries, 'item-42"');
  assert.ok(
    body.hits.some((hit) => hit.where === 'response body' && hit.snippet.includes('item-42')),
    JSON.stringify(body.hits),
  );
  const frames = search(entries, 'hello');
  assert.ok(frames.hits.some((hit) => hit.where.startsWith('frame ')));
  const events = search(entries, '/"n":\\d/');
  assert.ok(events.hits.some((hit) => hit.where.startsWith('event ')));
  const header = search(entries, 'content-type: application/json');
  assert.ok(header.hits.some((hit) => hit.where.startsWith('response header')));
  for (const hit of [...body.hits, ...frames.hits]) assert.doesNotMatch(hit.snippet, /\n/);
  const anchored = search(entries, '/^cache-control: no-store$/i');
  assert.ok(
    anchored.hits.some((hit) => hit.where === 'response header Cache-Control'),
    'an anchored regex matches one header line',
  );
});

test('search over redacted entries never finds a redacted secret; over raw ones it does (the check can fail)', () => {
  const raw = sampleEntries();
  const login = raw.find((entry) => entry.url.endsWith('/api/login'));
  const data = login?.request.body?.data ?? '';
  assert.ok(data.includes('password'));
  const secret = /"password":"([^"]+)"/.exec(data)?.[1] ?? '';
  assert.ok(secret.length > 0);
  assert.ok(search(raw, secret).hits.length > 0);
  assert.equal(search(raw.map(redactEntry), secret).hits.length, 0);
});

test('search pages hits, bounds its time, and reports bodies it could not search', () => {
  const entries = sampleEntries().map(redactEntry);
  const limited = searchEntries(entries, compileTextPattern('/./'), { fields: ['url'], maxHits: 3 });
  assert.equal(limited.hits.length, 3);
  assert.equal(limited.truncated, true);
  let clock = 0;
  const timed = searchEntries(entries, compileTextPattern('x'), {
    fields: SEARCH_FIELDS,
    maxHits: 10,
    now: () => (clock += 10),
    deadline: 25,
  });
  assert.equal(timed.timedOut, true);
  assert.ok(timed.entriesSearched < entries.length);
  const pending = sampleEntries().map(redactEntry);
  const first = pending[1];
  assert.ok(first?.response);
  first.response.body = { state: 'pending' };
  assert.equal(search(pending, 'zzz').notSearched.pending, 1);
});

test('diff pairs by method + URL in order, ignoring query order, and reports what changed', () => {
  const a = sampleEntries().map(redactEntry);
  const b = sampleEntries().map(redactEntry);
  const json = b.find((entry) => entry.url.endsWith('/api/json'));
  assert.ok(json?.response?.body);
  json.response.status = 500;
  json.response.body.data = JSON.stringify({ items: 'gone', extra: [1] });
  json.response.headers = [...json.response.headers, { name: 'X-New', value: '1' }, { name: 'Date', value: 'now' }];
  const extra = structuredClone(sampleEntry(1));
  extra.index = 99;
  extra.url = 'http://127.0.0.1:8080/api/new?b=2&a=1';
  b.push(extra);
  const diff = diffEntries(a, b);
  assert.equal(diff.paired, a.length);
  assert.deepEqual(
    diff.onlyInB.map((ref) => ref.index),
    [99],
  );
  const change = diff.changed.find((item) => item.url.endsWith('/api/json'));
  assert.deepEqual(change?.status, [200, 500]);
  assert.deepEqual(change?.headersAdded, ['response x-new'], 'Date is noise');
  assert.ok(change?.json?.added.includes('$.extra'));
  assert.ok(change?.json?.removed.includes('$.items[].id'));
  assert.ok(change?.json?.typeChanged.includes('$.items array→string'));
  const reordered = structuredClone(extra);
  reordered.url = 'http://127.0.0.1:8080/api/new?a=1&b=2';
  assert.equal(diffEntries([reordered], [extra]).paired, 1, 'query order does not matter');
  const staging = structuredClone(extra);
  staging.url = 'https://staging.example/api/new?a=1&b=2';
  assert.equal(diffEntries([staging], [extra]).paired, 0);
  assert.equal(diffEntries([staging], [extra], { ignoreOrigin: true }).paired, 1);
  assert.deepEqual(
    [...jsonShape({ a: [{ b: 1 }, { b: 'x' }] }).entries()],
    [
      ['$', 'object'],
      ['$.a', 'array'],
      ['$.a[]', 'object'],
      ['$.a[].b', 'number|string'],
    ],
  );
});

test('curl: shell quoting survives quotes, newlines, $, backslashes and non-ASCII (checked by a real shell)', () => {
  const nasty = `it's "q" $HOME \`x\` \\n\nnew line ünï €`;
  assert.equal(execFileSync('sh', ['-c', `printf %s ${shellQuote(nasty)}`], { encoding: 'utf8' }), nasty);
  const entry = sampleEntry(2);
  entry.request.body = { state: 'available', encoding: 'text', data: nasty };
  const { command } = curlCommand(redactEntry(entry), undefined, false);
  assert.match(command, /^curl /);
  assert.match(command, /--request 'POST'/);
  assert.ok(command.includes(shellQuote(nasty)));
});

test('curl and fetch keep secrets as placeholders and say so; binary bodies go by file', () => {
  const login = redactEntry(sampleEntries().find((entry) => entry.url.endsWith('/api/login')) ?? sampleEntry(2));
  const curl = curlCommand(login, undefined, false);
  assert.match(curl.command, /Bearer <redacted>/);
  assert.ok(curl.notes.some((note) => note.includes('<redacted> placeholders')));
  const binary = structuredClone(login);
  binary.request.headers = [{ name: 'Content-Type', value: 'application/octet-stream' }];
  binary.request.body = { state: 'available', encoding: 'base64', data: btoa('\u0000\u0001\u00ff') };
  assert.match(curlCommand(binary, '/out/requests/1-body.bin', false).command, /--data-binary '@\/out\/requests\/1-body.bin'/);
  assert.match(fetchCommand(binary, false).command, /Uint8Array.from\(atob\("AAH\/"\)/);
});

test('curl and fetch send each exact duplicate header once and leave out the ones the tool sets itself', () => {
  const entry = structuredClone(sampleEntry(2));
  entry.request.headers = [
    { name: ':authority', value: 'example.test' },
    { name: 'Host', value: 'example.test' },
    { name: 'Content-Length', value: '2' },
    { name: 'X-Trace', value: 'a' },
    { name: 'x-trace', value: 'a' },
    { name: 'X-Trace', value: 'b' },
  ];
  const curl = curlCommand(entry, undefined, true).command;
  assert.deepEqual(curl.match(/--header '[^']*'/g), ["--header 'X-Trace: a'", "--header 'X-Trace: b'"]);
  assert.doesNotMatch(curl, /authority|Host|Content-Length/i);
  const fetch = fetchCommand(entry, true).command;
  assert.doesNotMatch(fetch, /authority|Host|Content-Length|x-trace/);
  assert.match(fetch, /"X-Trace": "b"/);
});
