import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { HarReadError, parseHar } from '../../../src/intercept/har-reader.js';
import { buildReplay } from '../../../src/intercept/replay.js';
import type { ReplaySource, ServedResponse } from '../../../src/intercept/replay-source.js';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'har');
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

function load(name: string, options: { matchBody?: boolean; files?: Map<string, string> } = {}) {
  const parsed = parseHar(readFileSync(join(FIXTURES, name), 'utf8'));
  const replay = buildReplay(parsed.entries, {
    label: name,
    notFound: 'abort',
    matchBody: options.matchBody ?? false,
    ...(options.files ? { files: options.files } : {}),
  });
  return { parsed, replay };
}

function get(replay: ReplaySource, url: string, method = 'GET', body?: string): ServedResponse {
  const answer = replay.answer({ method, url, ...(body !== undefined ? { body } : {}) });
  assert.ok(answer, `no answer for ${method} ${url}`);
  return answer;
}

function bytes(answer: ServedResponse): Buffer {
  assert.equal(answer.body?.type, 'base64');
  return Buffer.from(answer.body?.value ?? '', 'base64');
}

function names(answer: ServedResponse): string[] {
  return answer.headers.map((header) => header.name.toLowerCase());
}

test('Chrome DevTools HAR: decoded bodies served without content-encoding/length, binary byte-identical, redirects, failures, WebSocket refused', () => {
  const { parsed, replay } = load('chrome-devtools.har');
  assert.equal(parsed.creator, 'WebInspector');
  const page = get(replay, 'https://shop.example/');
  assert.equal(bytes(page).toString('utf8'), '<!doctype html><title>shop</title><script src="/app.js"></script><p>café</p>');
  assert.deepEqual(names(page), ['content-type']);
  const items = get(replay, 'https://shop.example/api/items?sort=asc&page=2');
  assert.equal(bytes(items).toString('utf8'), '{"items":[1,2],"page":2}\n');
  assert.deepEqual(names(items), ['content-type']);
  assert.deepEqual(bytes(get(replay, 'https://shop.example/logo.png')), PNG);
  const redirect = get(replay, 'https://shop.example/old');
  assert.equal(redirect.status, 302);
  assert.deepEqual(redirect.headers, [{ name: 'location', value: '/new' }]);
  assert.equal(get(replay, 'https://tracker.example/p.gif').status, 0, 'a failed request replays as a network error');
  assert.equal(parsed.notReplayable.length, 1);
  assert.match(parsed.notReplayable[0] ?? '', /wss:\/\/shop\.example\/ws: WebSocket/);
  assert.equal(replay.answer({ method: 'GET', url: 'https://shop.example/not-recorded' }), undefined);
  assert.deepEqual(replay.counts, { served: 5, unmatched: 1 });
  assert.deepEqual(replay.origins.map((origin) => origin.hostname).sort(), ['shop.example', 'tracker.example']);
});

test('Firefox DevTools HAR: query order ignored, entries for one URL in recorded order then the last again, POST bodies, SSE noted', () => {
  const { parsed, replay } = load('firefox-devtools.har', { matchBody: true });
  const first = get(replay, 'http://127.0.0.1:8123/search?a=1&b=2');
  assert.equal(bytes(first).toString('utf8'), '{"results":["first"],"n":1}');
  assert.deepEqual(names(first), ['content-type'], 'br and hop-by-hop headers dropped');
  assert.equal(bytes(get(replay, 'http://127.0.0.1:8123/search?b=2&a=1')).toString('utf8'), '{"results":["second"],"n":2}');
  assert.equal(bytes(get(replay, 'http://127.0.0.1:8123/search?b=2&a=1')).toString('utf8'), '{"results":["second"],"n":2}');
  assert.equal(replay.answer({ method: 'GET', url: 'http://127.0.0.1:8123/search?a=1' }), undefined, 'a missing parameter does not match');
  assert.equal(
    get(replay, 'http://127.0.0.1:8123/api/login', 'POST', '{"user":"ada","pw":"good"}').status,
    200,
    'matchBody picks the entry with the same body',
  );
  assert.equal(get(replay, 'http://127.0.0.1:8123/api/login', 'POST', '{"user":"ada","pw":"x"}').status, 401);
  assert.equal(
    get(replay, 'http://127.0.0.1:8123/api/login', 'POST').status,
    200,
    'no body known: recorded order (the 401 was served, the 200 is next)',
  );
  assert.deepEqual(bytes(get(replay, 'http://127.0.0.1:8123/font.woff2')), Buffer.from('d09GMgA=', 'base64'));
  assert.ok(
    parsed.notes.some((note) => /events served|event stream served as one body/.test(note)),
    parsed.notes.join('\n'),
  );
  assert.equal(get(replay, 'http://127.0.0.1:8123/events').headers[0]?.value, 'text/event-stream');
});

test('Playwright HAR: embedded and side-file bodies, failures with _failureText', () => {
  const { parsed } = load('playwright.har');
  const sideFile = '0b2c1d6d2a8b5f1ad1d1e3b0f3bd7d2a4f1f3c11.json';
  assert.deepEqual(parsed.entries[1]?.body, { file: sideFile });
  const files = new Map([[sideFile, readFileSync(join(FIXTURES, sideFile)).toString('base64')]]);
  const { replay } = load('playwright.har', { files });
  const page = get(replay, 'http://localhost:3000/');
  assert.deepEqual(names(page), ['content-type'], 'gzip and transfer-encoding dropped');
  assert.equal(bytes(page).toString('utf8'), '<!doctype html><h1>app</h1><script>1</script>');
  assert.equal(bytes(get(replay, 'http://localhost:3000/data.json')).toString('utf8'), '{"fromFile":1}');
  assert.deepEqual(bytes(get(replay, 'http://localhost:3000/pixel.png')), PNG);
  assert.equal(get(replay, 'http://localhost:3000/down').status, 0);
  assert.deepEqual(parsed.notReplayable, []);
});

test('bidiscope HAR: a redacted query value matches any value; gzip decoded; failures; SSE and WebSocket said', () => {
  const { parsed, replay } = load('bidiscope.har');
  assert.equal(parsed.creator, 'bidiscope');
  const xhr = get(replay, 'http://127.0.0.1:8200/api/xhr?api_key=live-key-123&q=1');
  assert.equal(bytes(xhr).toString('utf8'), '{"q":"1","sawSession":false}');
  assert.equal(
    replay.answer({ method: 'GET', url: 'http://127.0.0.1:8200/api/xhr?api_key=k&q=2' }),
    undefined,
    'unredacted values still must match',
  );
  const gzip = get(replay, 'http://127.0.0.1:8200/gzip');
  assert.deepEqual(names(gzip), ['content-type', 'vary']);
  assert.equal(get(replay, 'http://127.0.0.1:9/dead').status, 0);
  assert.match(parsed.notReplayable.join('\n'), /ws:\/\/127\.0\.0\.1:8200\/ws: WebSocket/);
  assert.match(parsed.notes.join('\n'), /\/sse: event stream served as one body \(recorded timing lost\)/);
});

test('what is not a HAR is refused with the reason', () => {
  assert.throws(
    () => parseHar('{"log": '),
    (error: unknown) => error instanceof HarReadError && /not JSON/.test(error.message),
  );
  assert.throws(() => parseHar('{"entries": []}'), /log: missing/);
  assert.throws(() => parseHar('[1,2]'), /log: missing/);
  const odd = parseHar(JSON.stringify({ log: { entries: [{ request: { url: 'nope', method: 'GET' }, response: {} }, 7] } }));
  assert.equal(odd.entries.length, 0);
  assert.equal(odd.notReplayable.length, 2);
});

test('an event stream whose HAR text is empty is rebuilt from _eventSourceMessages', () => {
  const har = {
    log: {
      creator: { name: 'bidiscope' },
      entries: [
        {
          request: { method: 'GET', url: 'http://h/sse' },
          response: {
            status: 200,
            headers: [{ name: 'content-type', value: 'text/event-stream' }],
            content: { size: 0, mimeType: 'text/event-stream', text: '' },
          },
          _eventSourceMessages: [
            { eventName: 'message', eventId: '1', data: 'a' },
            { eventName: 'tick', data: 'b\nc' },
          ],
        },
      ],
    },
  };
  const parsed = parseHar(JSON.stringify(har));
  const replay = buildReplay(parsed.entries, { label: 'x', notFound: 'abort', matchBody: false });
  assert.equal(bytes(get(replay, 'http://h/sse')).toString('utf8'), 'id: 1\ndata: a\n\nevent: tick\ndata: b\ndata: c\n\n');
});
