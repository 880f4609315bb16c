import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CHUNK_READER,
  CHUNK_RELEASER,
  DEFAULT_SERIALIZER_LIMITS,
  PAGE_SERIALIZER,
  type SerializerLimits,
} from '../../../src/browser/page-serializer.js';
import { parseEnvelope, resultFromRemoteValue, type ScriptResult } from '../../../src/browser/script-result.js';

type Serialize = ((value: unknown, limits: SerializerLimits) => string) & { threw(error: unknown): string };
// The serializer is page code: plain source text, evaluated here the way the page evaluates it.
const serialize = (0, eval)(PAGE_SERIALIZER) as Serialize;

function run(value: unknown, limits: SerializerLimits = DEFAULT_SERIALIZER_LIMITS): ScriptResult {
  const parsed = parseEnvelope(serialize(value, limits));
  assert.ok(parsed?.ok, 'an envelope with a result');
  return parsed.result;
}

test('plain JSON values come back exactly as JSON.stringify writes them', () => {
  for (const value of [
    1,
    'text',
    true,
    null,
    [1, 'a', { b: [null] }],
    { nested: { deep: { deeper: [1, 2, 3] } } },
    'line\nbreak "quoted"',
  ]) {
    const result = run(value);
    assert.equal(result.json, JSON.stringify(value));
    assert.equal(result.header.jsonLength, JSON.stringify(value).length);
    assert.deepEqual(result.header.notes, {});
  }
});

test('values JSON cannot hold are described and counted, never dropped or thrown on', () => {
  // Shaped like a DOM element, with its own prototype as real nodes have.
  const fakeNode = new (class HTMLDivElement {
    nodeType = 1;
    nodeName = 'DIV';
    localName = 'div';
    id = 'main';
    className = 'a b';
  })();
  const value = {
    u: undefined,
    nan: NaN,
    inf: -Infinity,
    big: 10n,
    fn: function named() {},
    sym: Symbol('s'),
    date: new Date(0),
    bad: new Date(NaN),
    map: new Map<unknown, unknown>([
      ['k', 1],
      [2, { x: 1 }],
    ]),
    set: new Set([1, 2]),
    node: fakeNode,
    re: /a+/g,
    error: new TypeError('boom'),
    bytes: new Uint8Array(4),
    list: [undefined, () => 1],
  };
  const result = run(value);
  const parsed = JSON.parse(result.json ?? '') as Record<string, unknown>;
  assert.deepEqual(parsed, {
    u: '[undefined]',
    nan: '[number NaN]',
    inf: '[number -Infinity]',
    big: '10n',
    fn: '[function named]',
    sym: '[Symbol(s)]',
    date: '1970-01-01T00:00:00.000Z',
    bad: null,
    map: {
      '[Map]': [
        ['k', 1],
        [2, { x: 1 }],
      ],
    },
    set: { '[Set]': [1, 2] },
    node: '[node <div#main.a.b>]',
    re: '/a+/g',
    error: '[TypeError: boom]',
    bytes: '[Uint8Array of 4 items]',
    list: ['[undefined]', '[function anonymous]'],
  });
  assert.equal(result.header.notes['undefined'], 2);
  assert.equal(result.header.notes['function'], 2);
  assert.equal(result.header.notes['BigInt'], 1);
  assert.equal(result.header.notes['DOM node'], 1);
});

test('cycles are cut where they close; a value shared by siblings is not a cycle', () => {
  const shared = { s: 1 };
  const cyclic: Record<string, unknown> = { name: 'o', a: shared, b: shared };
  cyclic.self = cyclic;
  cyclic.list = [cyclic, { back: cyclic }];
  const map = new Map<string, unknown>();
  map.set('me', map);
  cyclic.map = map;
  const result = run(cyclic);
  assert.deepEqual(JSON.parse(result.json ?? ''), {
    name: 'o',
    a: { s: 1 },
    b: { s: 1 },
    self: '[circular]',
    list: ['[circular]', { back: '[circular]' }],
    map: { '[Map]': [['me', '[circular]']] },
  });
  assert.equal(result.header.notes['circular reference'], 4);
});

test('very deep values stop at the depth limit instead of overflowing the stack', () => {
  let deep: unknown = 'bottom';
  for (let i = 0; i < 5000; i++) deep = { next: deep };
  const result = run(deep);
  assert.equal(result.header.notes['depth limit'], 1);
  assert.ok((result.json ?? '').includes('"[depth limit]"'));
});

test('a value over the size limit is not produced; the shape and a preview still come back', () => {
  const big = Array.from({ length: 5000 }, (_, i) => ({ i, s: 'abcdefgh' }));
  const result = run(big, { maxJsonLength: 10_000, previewLength: 3000, chunkLength: 0 });
  assert.equal(result.json, undefined);
  assert.equal(result.header.tooBig, true);
  assert.equal(result.header.kind, 'array');
  assert.equal(result.header.size, 5000);
  assert.ok(Array.isArray(result.header.preview));
  const string = run('x'.repeat(50_000), { maxJsonLength: 10_000, previewLength: 3000, chunkLength: 0 });
  assert.equal(string.header.tooBig, true);
  assert.equal(string.header.size, 50_000);
});

test('an exponential DAG (shared, not cyclic) is stopped by the size limit, not by time', () => {
  let dag: unknown = [1];
  for (let i = 0; i < 40; i++) dag = [dag, dag];
  const started = performance.now();
  const result = run(dag, { maxJsonLength: 100_000, previewLength: 3000, chunkLength: 0 });
  assert.equal(result.header.tooBig, true);
  assert.ok(performance.now() - started < 2000);
});

test('the preview is bounded: first items, cut strings, a few levels, and says what it left out', () => {
  const result = run(
    Array.from({ length: 200_000 }, (_, i) => ({ i, s: 'abc', deep: { a: { b: { c: { d: 1 } } } }, long: 'y'.repeat(1000) })),
  );
  assert.equal(result.header.size, 200_000);
  const preview = result.header.preview as unknown[];
  assert.ok(JSON.stringify(preview).length < 6000, `preview of ${JSON.stringify(preview).length} chars`);
  assert.equal(result.header.shown, preview.length - 1);
  assert.match(String(preview.at(-1)), /^… \d+ more items$/);
  const first = preview[0] as Record<string, unknown>;
  assert.match(String(first.long), /^y{200}… \(800 more chars\)$/);
  assert.deepEqual(first.deep, { a: '[object with 1 key]' });
  const objects = run(Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, i])));
  assert.equal((objects.header.preview as Record<string, unknown>)['…'], '80 more keys');
  assert.equal(objects.header.shown, 20);
});

test('a top-level string previews up to the preview budget', () => {
  const result = run('z'.repeat(10_000));
  assert.equal(result.header.kind, 'string');
  assert.match(String(result.header.preview), /^z{3000}… \(7000 more chars\)$/);
  assert.equal(result.json, JSON.stringify('z'.repeat(10_000)));
});

test('a getter that throws ends serialization with the error, not a crash', () => {
  const value = {
    ok: 1,
    get broken(): never {
      throw new Error('nope');
    },
  };
  const result = run(value);
  assert.equal(result.json, undefined);
  assert.match(result.header.error ?? '', /nope/);
});

test('an exception thrown by the user code becomes {threw}', () => {
  assert.deepEqual(parseEnvelope(serialize.threw(new RangeError('r'))), { ok: false, exception: 'RangeError: r' });
  assert.deepEqual(parseEnvelope(serialize.threw('plain')), { ok: false, exception: 'plain' });
  assert.deepEqual(parseEnvelope(serialize.threw({ code: 1 })), { ok: false, exception: '{"code":1}' });
});

test('a primitive remote value gets the same shape as a page-serialized one', () => {
  const string = resultFromRemoteValue({ type: 'string', value: 'q'.repeat(5000) }, 3000, 1_000_000);
  assert.equal(string.header.kind, 'string');
  assert.equal(string.header.size, 5000);
  assert.equal(string.json, JSON.stringify('q'.repeat(5000)));
  assert.deepEqual(resultFromRemoteValue({ type: 'undefined' }, 3000, 1000).header.notes, { undefined: 1 });
  assert.equal(resultFromRemoteValue({ type: 'number', value: 'NaN' }, 3000, 1000).json, '"[number NaN]"');
  assert.equal(resultFromRemoteValue({ type: 'string', value: 'x'.repeat(20) }, 3000, 10).header.tooBig, true);
});

test('parseEnvelope refuses what is not an envelope', () => {
  assert.equal(parseEnvelope('not json'), undefined);
  assert.equal(parseEnvelope('[1,2]'), undefined);
  assert.equal(parseEnvelope('{"kind":"array"}'), undefined);
});

test('JSON longer than a chunk stays in the page and is read back in pieces, then released', () => {
  const value = Array.from({ length: 100 }, (_, i) => ({ i }));
  const expected = JSON.stringify(value);
  const parsed = parseEnvelope(serialize(value, { maxJsonLength: 1_000_000, previewLength: 3000, chunkLength: 64 }));
  assert.ok(parsed?.ok);
  const { header, json } = parsed.result;
  assert.equal(json, expected.slice(0, 64));
  assert.equal(header.jsonLength, expected.length);
  const id = header.pending ?? '';
  assert.match(id, /^r/);
  const read = (0, eval)(`(${CHUNK_READER})`) as (id: string, from: number, to: number) => string | null;
  const release = (0, eval)(`(${CHUNK_RELEASER})`) as (id: string) => void;
  let whole = json ?? '';
  while (whole.length < header.jsonLength) whole += read(id, whole.length, whole.length + 64) ?? '';
  assert.equal(whole, expected);
  release(id);
  assert.equal(read(id, 0, 10), null);
});

test('chunks never split a surrogate pair (a lone surrogate makes chromedriver drop the message)', () => {
  const value = '😀'.repeat(100); // every character is a surrogate pair
  const expected = JSON.stringify(value);
  const parsed = parseEnvelope(serialize(value, { maxJsonLength: 1_000_000, previewLength: 3000, chunkLength: 8 }));
  assert.ok(parsed?.ok);
  const read = (0, eval)(`(${CHUNK_READER})`) as (id: string, from: number, to: number) => string | null;
  const lone = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
  const first = parsed.result.json ?? '';
  assert.ok(!lone.test(first), 'first chunk well-formed');
  let whole = first;
  while (whole.length < parsed.result.header.jsonLength) {
    const chunk = read(parsed.result.header.pending ?? '', whole.length, whole.length + 8) ?? '';
    assert.ok(chunk.length > 0 && !lone.test(chunk), `chunk ${JSON.stringify(chunk)} well-formed`);
    whole += chunk;
  }
  assert.equal(whole, expected);
});
