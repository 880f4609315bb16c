import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startTestSite, type TestSite } from '../site/server.js';
import { BROWSERS, type CallOutcome, startServerWithOutputDir, type ServerWithOutputDir } from '../helpers/mcp-server.js';

let site: TestSite;
let server: ServerWithOutputDir;
let outputDir: string;

/** The table: each row must come back bounded within its timeout, and save byte-exact. */
const ROWS: Array<{ expression: string; expected: () => string }> = [
  { expression: "'x'.repeat(1*1024*1024)", expected: () => JSON.stringify('x'.repeat(1024 * 1024)) },
  { expression: "'x'.repeat(5*1024*1024)", expected: () => JSON.stringify('x'.repeat(5 * 1024 * 1024)) },
  { expression: "'x'.repeat(20*1024*1024)", expected: () => JSON.stringify('x'.repeat(20 * 1024 * 1024)) },
  {
    expression: "Array.from({length: 2000}, (_, i) => ({i, s: 'abc'}))",
    expected: () => JSON.stringify(Array.from({ length: 2000 }, (_, i) => ({ i, s: 'abc' }))),
  },
  {
    expression: "Array.from({length: 200000}, (_, i) => ({i, s: 'abc'}))",
    expected: () => JSON.stringify(Array.from({ length: 200_000 }, (_, i) => ({ i, s: 'abc' }))),
  },
];
const TEXT_LIMIT = 8 * 1024;

before(async () => {
  site = await startTestSite();
  server = await startServerWithOutputDir();
  outputDir = server.outputDir;
});
after(async () => {
  await server.closeAll();
  await site.close();
});

async function timed(args: Record<string, unknown>, clientTimeoutMs = 90_000): Promise<CallOutcome & { ms: number }> {
  const started = performance.now();
  const outcome = await server.call('evaluate_script', args, clientTimeoutMs);
  return { ...outcome, ms: performance.now() - started };
}

for (const browser of BROWSERS) {
  describe(`evaluate_script at scale on ${browser}`, () => {
    let sessionId = '';
    before(async () => {
      const opened = await server.call('initialize_session', { browser });
      assert.equal(opened.isError, false, opened.text);
      sessionId = String(opened.structured?.sessionId);
      const nav = await server.call('navigate', { sessionId, url: `${site.origin}/blank` });
      assert.equal(nav.isError, false, nav.text);
    });
    after(async () => {
      await server.call('close_session', { sessionId });
    });

    for (const row of ROWS) {
      test(`${row.expression}: a bounded preview, then the full value saved byte-exact`, async (t) => {
        let outcome = await timed({ sessionId, expression: row.expression, timeoutMs: 30_000 });
        assert.equal(outcome.isError, false, outcome.text);
        assert.ok(Buffer.byteLength(outcome.text) <= TEXT_LIMIT, `text of ${Buffer.byteLength(outcome.text)} bytes`);
        assert.ok(outcome.ms < 30_000 + 2_000, `took ${outcome.ms} ms`);
        t.diagnostic(`${browser}: ${Math.round(outcome.ms)} ms, ${Buffer.byteLength(outcome.text)} bytes of text`);
        if (outcome.structured?.tooSlow === true) {
          // A busy machine can make Chromium's BiDi path slower than 30 s for 20 MB: the call still ends in time,
          // says so, and a larger timeoutMs gets the value.
          assert.match(outcome.text, /more than could be read from the browser within timeoutMs/);
          t.diagnostic(`${browser}: not read within 30 s; again with 120 s`);
          outcome = await timed({ sessionId, expression: row.expression, timeoutMs: 120_000 }, 150_000);
          assert.equal(outcome.isError, false, outcome.text);
        }
        const expected = row.expected();
        assert.match(outcome.text, /^(string of [\d,]+ characters|array of [\d,]+ items), [\d.]+[BkMGT] as JSON \([\d,]+ bytes\)/);
        assert.ok(outcome.text.includes(`(${Buffer.byteLength(expected).toLocaleString('en-US')} bytes)`), outcome.text.split('\n')[0]);
        assert.equal(outcome.structured?.jsonBytes, Buffer.byteLength(expected));
        assert.equal(outcome.structured?.result, undefined, 'no full value in structuredContent');
        const token = String(outcome.structured?.confirmToken);
        const saved = await server.call('confirm_output', { token });
        assert.equal(saved.isError, false, saved.text);
        const files = saved.structured?.files as Array<{ path: string; bytes: number }>;
        const path = files[0]?.path ?? '';
        assert.ok(path.startsWith(join(outputDir, 'script-results')), path);
        assert.equal(readFileSync(path, 'utf8'), expected);
        const again = await server.call('confirm_output', { token });
        assert.equal(again.isError, true, 'a token works once');
      });
    }

    test('characters outside the BMP survive the chunk boundaries byte-exact', async () => {
      const outcome = await timed({ sessionId, expression: "'😀'.repeat(1.5 * 1024 * 1024)", timeoutMs: 120_000 }, 150_000);
      assert.equal(outcome.isError, false, outcome.text);
      const saved = await server.call('confirm_output', { token: String(outcome.structured?.confirmToken) });
      const path = (saved.structured?.files as Array<{ path: string }>)[0]?.path ?? '';
      assert.equal(readFileSync(path, 'utf8'), JSON.stringify('😀'.repeat(1.5 * 1024 * 1024)));
    });

    test('small results come back whole, as before; statements and top-level await work', async () => {
      const title = await timed({ sessionId, expression: 'document.title;' });
      assert.equal(title.structured?.result, 'blank');
      assert.equal(title.text, '"blank"');
      const statements = await timed({ sessionId, expression: 'let a = 20; a * 2 + 2' });
      assert.equal(statements.structured?.result, 42, statements.text);
      const awaited = await timed({ sessionId, expression: 'await new Promise((r) => setTimeout(() => r({ok: true}), 10))' });
      assert.deepEqual(awaited.structured?.result, { ok: true }, awaited.text);
      const fn = await timed({ sessionId, function: '(a, b) => ({sum: a + b})', args: [2, 3] });
      assert.deepEqual(fn.structured?.result, { sum: 5 });
      const threw = await timed({ sessionId, expression: 'nope.nope' });
      assert.equal(threw.isError, true);
      assert.match(threw.text, /ReferenceError/);
      const threwInFunction = await timed({ sessionId, function: 'async () => { throw new RangeError("r") }' });
      assert.match(threwInFunction.text, /RangeError: r/);
    });

    test('cycles, DOM nodes, undefined, NaN/Infinity, BigInt, Map/Set and dates are described, not crashed', async () => {
      const outcome = await timed({
        sessionId,
        expression:
          '(() => { document.body.innerHTML = \'<main id="m" class="c">x</main>\'; const o = { u: undefined, nan: NaN, inf: Infinity, big: 12345678901234567890n, ' +
          'node: document.getElementById("m"), map: new Map([["k", 1]]), set: new Set([1, 2]), date: new Date(0), fn() {} }; o.self = o; return o; })()',
      });
      assert.equal(outcome.isError, false, outcome.text);
      assert.deepEqual(outcome.structured?.result, {
        u: '[undefined]',
        nan: '[number NaN]',
        inf: '[number Infinity]',
        big: '12345678901234567890n',
        node: '[node <main#m.c>]',
        map: { '[Map]': [['k', 1]] },
        set: { '[Set]': [1, 2] },
        date: '1970-01-01T00:00:00.000Z',
        fn: '[function fn]',
        self: '[circular]',
      });
      assert.match(outcome.text, /Not representable in JSON, shown as descriptions: .*circular reference/);
      for (const [expression, expected] of [
        ['undefined', '[undefined]'],
        ['NaN', '[number NaN]'],
        ['-Infinity', '[number -Infinity]'],
        ['2n ** 70n', '1180591620717411303424n'],
        ['document', '[node #document]'],
        ['window', '[Window]'],
      ] as const) {
        const single = await timed({ sessionId, expression });
        assert.equal(single.structured?.result, expected, `${expression}: ${single.text}`);
      }
    });

    test('scripts run on a page whose CSP forbids every script and eval', async () => {
      await server.call('navigate', { sessionId, url: `${site.origin}/csp` });
      const outcome = await timed({ sessionId, expression: "[...document.querySelectorAll('title')].map((t) => t.textContent)" });
      assert.deepEqual(outcome.structured?.result, ['blank'], outcome.text);
      const statements = await timed({ sessionId, expression: 'var n = 2; n * 3' });
      assert.equal(statements.structured?.result, 6, statements.text);
    });

    test('a script that never settles fails at timeoutMs; the page keeps answering', async () => {
      await server.call('navigate', { sessionId, url: `${site.origin}/blank` });
      await timed({ sessionId, expression: 'window.__marker = 7' });
      const pending = await timed({ sessionId, expression: 'new Promise(() => {})', timeoutMs: 2000 });
      assert.equal(pending.isError, true);
      assert.match(pending.text, /did not finish within 2000 ms; the page still answers/);
      assert.ok(pending.ms < 2000 + 3000, `took ${pending.ms} ms`);
      const next = await timed({ sessionId, expression: 'window.__marker' });
      assert.equal(next.structured?.result, 7, 'the page was left alone');
      assert.ok(next.ms < 1000, `next call took ${next.ms} ms`);
    });

    test('an endless loop fails at timeoutMs and the session answers the next call within 1 s', async () => {
      const looping = await timed({ sessionId, expression: 'while (true) {}', timeoutMs: 3000 });
      assert.equal(looping.isError, true);
      assert.match(looping.text, /did not finish within 3000 ms and kept the page's main thread busy/);
      assert.ok(looping.ms < 3000 + 4000, `took ${looping.ms} ms`);
      const next = await timed({ sessionId, expression: '2 + 2' });
      assert.equal(next.structured?.result, 4, next.text);
      assert.ok(next.ms < 1000, `next call took ${next.ms} ms`);
      const nav = await server.call('navigate', { sessionId, url: `${site.origin}/blank` });
      assert.equal(nav.isError, false, nav.text);
      // A value whose JSON is endless but whose memory is tiny (each level holds the one below twice): the page
      // serializer stops at its size limit instead of running until the timeout.
      const huge = await timed({ sessionId, expression: 'let v = [1]; for (let i = 0; i < 60; i++) v = [v, v]; v', timeoutMs: 30_000 });
      assert.equal(huge.isError, false, huge.text);
      assert.equal(huge.structured?.tooBig, true, huge.text);
      assert.match(huge.text, /^array of 2 items, too big to keep/);
      assert.ok(Buffer.byteLength(huge.text) <= TEXT_LIMIT);
      const after = await timed({ sessionId, expression: 'document.readyState' });
      assert.equal(typeof after.structured?.result, 'string', after.text);
      assert.ok(after.ms < 1000, `call after a huge value took ${after.ms} ms`);
    });
  });
}
