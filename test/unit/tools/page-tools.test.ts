/** navigate and evaluate_script through the MCP client, with a fake browser. */
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { emulatePage } from '../../helpers/fake-page.js';
import { startInMemoryServer, type InMemoryServer } from '../../helpers/in-memory-server.js';
import { bidiError } from '../../helpers/fake-bidi.js';

let server: InMemoryServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options: Parameters<typeof startInMemoryServer>[1] = {}): Promise<InMemoryServer> {
  server = await startInMemoryServer([], options);
  return server;
}

describe('navigate', () => {
  test('navigates the session tab with the wait and bound asked for', async () => {
    const s = await start();
    const { bidi } = await s.open();
    const result = await s.call('navigate', { url: 'http://127.0.0.1:9/a', wait: 'interactive', timeoutMs: 1234 });
    assert.equal(result.isError, false, result.text);
    assert.equal(result.text, 'Navigated chrome-1 to http://127.0.0.1:9/a (wait: interactive).');
    assert.deepEqual(result.structured, { sessionId: 'chrome-1', url: 'http://127.0.0.1:9/a', wait: 'interactive', reopenedTab: false });
    const sent = bidi.sentOf('browsingContext.navigate')[0];
    assert.deepEqual(sent?.params, { context: 'ctx-1', url: 'http://127.0.0.1:9/a', wait: 'interactive' });
    assert.equal(sent?.timeoutMs, 1234);
    await s.call('navigate', { url: 'about:blank' });
    assert.deepEqual(bidi.sentOf('browsingContext.navigate')[1]?.params, { context: 'ctx-1', url: 'about:blank', wait: 'complete' });
    assert.equal(bidi.sentOf('browsingContext.navigate')[1]?.timeoutMs, 30_000);
  });

  test('opens a new tab after the old one was closed (event seen)', async () => {
    const s = await start();
    const { bidi } = await s.open();
    bidi.contexts.splice(0);
    bidi.emit('browsingContext.contextDestroyed', { context: 'ctx-1' });
    const result = await s.call('navigate', { url: 'http://127.0.0.1:9/b' });
    assert.equal(
      result.text,
      'Navigated chrome-1 to http://127.0.0.1:9/b (wait: complete) (the previous tab was closed; opened a new one).',
    );
    const created = bidi.contexts[0];
    assert.equal(bidi.sentOf('browsingContext.navigate')[0]?.params.context, created);
  });

  test('opens a new tab after the old one was closed (no event: the browser says no such frame)', async () => {
    const s = await start();
    const { bidi } = await s.open();
    bidi.contexts.splice(0);
    const result = await s.call('navigate', { url: 'http://127.0.0.1:9/c' });
    assert.equal(result.isError, false, result.text);
    assert.equal(result.structured?.reopenedTab, true);
    assert.deepEqual(
      bidi.sentOf('browsingContext.navigate').map((command) => command.params.context),
      ['ctx-1', bidi.contexts[0]],
    );
  });

  test('opens a new tab when the old one is being closed as the navigation starts (Chromium: context disposal)', async () => {
    const s = await start();
    const { bidi } = await s.open();
    bidi.answer('browsingContext.navigate', (params: { context: string }) => {
      if (params.context !== 'ctx-1') return { navigation: 'n2', url: 'http://127.0.0.1:9/d' };
      // The tab leaves the browser's tree a moment after the navigation was refused.
      setTimeout(() => bidi.contexts.splice(bidi.contexts.indexOf('ctx-1'), 1), 250);
      throw bidiError('browsingContext.navigate', 'unknown error', 'navigation canceled by context disposal');
    });
    const result = await s.call('navigate', { url: 'http://127.0.0.1:9/d' });
    assert.equal(result.isError, false, result.text);
    assert.equal(result.structured?.reopenedTab, true);
    assert.equal(bidi.sentOf('browsingContext.navigate').length, 2);
  });

  test('a navigation past its bound says how to go on', async () => {
    const s = await start({ timeScale: 0.001 });
    const { bidi } = await s.open();
    bidi.hang('browsingContext.navigate');
    const result = await s.call('navigate', { url: 'http://127.0.0.1:9/slow', timeoutMs: 40_000 });
    assert.equal(result.isError, true);
    assert.equal(
      result.text,
      'Navigation to http://127.0.0.1:9/slow failed: Navigation to http://127.0.0.1:9/slow did not reach "complete" within 40000 ms; ' +
        'the page may still be loading. Retry with a larger timeoutMs, or wait:"none" and poll with evaluate_script.',
    );
  });

  test('a browser error is passed on; a dead browser is named', async () => {
    const s = await start();
    const { bidi, browser } = await s.open();
    bidi.fail('browsingContext.navigate', 'unknown error', 'net::ERR_NAME_NOT_RESOLVED');
    const failed = await s.call('navigate', { url: 'http://nowhere.invalid/' });
    assert.equal(
      failed.text,
      'Navigation to http://nowhere.invalid/ failed: browsingContext.navigate: unknown error — net::ERR_NAME_NOT_RESOLVED',
    );
    browser.crash('browser exited with code 9');
    const dead = await s.call('navigate', { url: 'http://127.0.0.1:9/' });
    assert.match(
      dead.text,
      /^Navigation to http:\/\/127\.0\.0\.1:9\/ failed: The browser of session chrome-1 is gone \(BiDi connection closed \(browser exited with code 9\)\)/,
    );
  });

  const badInputs: Array<[string, Record<string, unknown>, string]> = [
    ['no url', {}, 'Missing "url" for navigate: it is required.'],
    [
      'javascript:',
      { url: 'javascript:void 0' },
      'Invalid "url" for navigate: an absolute http(s) URL (about:blank and data: also work; javascript: and file: are refused, as are browser-internal pages), got "javascript:void 0".',
    ],
    [
      'relative url',
      { url: '/login' },
      'Invalid "url" for navigate: an absolute http(s) URL (about:blank and data: also work; javascript: and file: are refused, as are browser-internal pages), got "/login".',
    ],
    ['wait', { url: 'about:blank', wait: 'load' }, 'Invalid "wait" for navigate: "none", "interactive" or "complete", got "load".'],
    ['timeoutMs', { url: 'about:blank', timeoutMs: 300_001 }, 'Invalid "timeoutMs" for navigate: at most 300000 ms, got number 300001.'],
    [
      'fractional timeoutMs',
      { url: 'about:blank', timeoutMs: 1.5 },
      'Invalid "timeoutMs" for navigate: a whole number of milliseconds, got number 1.5.',
    ],
  ];
  for (const [what, args, expected] of badInputs) {
    test(`refuses ${what}`, async () => {
      const s = await start();
      const { bidi } = await s.open();
      const result = await s.call('navigate', args);
      assert.equal(result.isError, true);
      assert.equal(result.text, expected);
      assert.equal(bidi.sentOf('browsingContext.navigate').length, 0);
    });
  }

  test('without a session', async () => {
    const s = await start();
    const result = await s.call('navigate', { url: 'about:blank' });
    assert.equal(result.text, 'navigate failed: No session is open. Call initialize_session first.');
  });
});

describe('evaluate_script', () => {
  test('an expression runs in the page and its value comes back as JSON', async () => {
    const s = await start();
    const { bidi } = await s.open();
    emulatePage(bidi, { document: { title: 'blank' } });
    const result = await s.call('evaluate_script', { expression: '({title: document.title, n: 3})', awaitPromise: false, timeoutMs: 7777 });
    assert.equal(result.isError, false, result.text);
    assert.equal(result.text, '{"title":"blank","n":3}');
    assert.deepEqual(result.structured?.result, { title: 'blank', n: 3 });
    const sent = bidi.sentOf('script.evaluate')[0];
    assert.ok((sent?.timeoutMs ?? 0) <= 7777 && (sent?.timeoutMs ?? 0) > 7000, String(sent?.timeoutMs));
    assert.match(String(sent?.params.expression), /\(\{title: document\.title, n: 3\}\)/);
  });

  test('a function gets its JSON arguments as BiDi values', async () => {
    const s = await start();
    const { bidi } = await s.open();
    emulatePage(bidi);
    const result = await s.call('evaluate_script', { function: '(a, b) => a.x + b', args: [{ x: 1 }, 2] });
    assert.equal(result.text, '3');
    const sent = bidi.sentOf('script.callFunction').at(-1);
    assert.match(String(sent?.params.functionDeclaration), /\(a, b\) => a\.x \+ b/);
    assert.deepEqual(sent?.params.arguments, [
      { type: 'object', value: [['x', { type: 'number', value: 1 }]] },
      { type: 'number', value: 2 },
    ]);
  });

  test('a page exception is an error result', async () => {
    const s = await start();
    const { bidi } = await s.open();
    emulatePage(bidi);
    const result = await s.call('evaluate_script', { expression: 'throw new Error("boom")' });
    assert.equal(result.isError, true);
    assert.match(result.text, /^The script threw in the page: Error: boom/);
  });

  test('a long result is bounded in the text, with a token to save it whole', async () => {
    const s = await start();
    const { bidi } = await s.open();
    emulatePage(bidi);
    const result = await s.call('evaluate_script', { expression: "'x'.repeat(25000)" });
    assert.equal(result.isError, false, result.text);
    assert.ok(Buffer.byteLength(result.text) <= 8 * 1024, `${Buffer.byteLength(result.text)} bytes of text`);
    assert.match(result.text, /confirm_output/);
    const token = /"token":"(cfm_[0-9a-f]{16})"/.exec(result.text)?.[1];
    assert.ok(token);
    const saved = await s.call('confirm_output', { token });
    assert.equal(saved.isError, false, saved.text);
  });

  test('a result dropped for newer ones says what a session keeps, and for how long', async () => {
    const s = await start();
    const { bidi } = await s.open();
    emulatePage(bidi);
    const tokens: string[] = [];
    for (let i = 0; i < 4; i++) {
      const result = await s.call('evaluate_script', { expression: `'${i}'.repeat(25000)` });
      tokens.push(/"token":"(cfm_[0-9a-f]{16})"/.exec(result.text)?.[1] ?? '');
    }
    const dropped = await s.call('confirm_output', { token: tokens[0] });
    assert.equal(dropped.isError, true);
    assert.equal(
      dropped.text,
      'That script result is no longer kept: a session keeps its latest few results (and 64 Mi characters) for 10 minutes. Run evaluate_script again.',
    );
    assert.equal((await s.call('confirm_output', { token: tokens[3] })).isError, false);
  });

  test('a page without a realm, and a closed tab, each get their own explanation', async () => {
    const s = await start();
    const { bidi } = await s.open();
    bidi.fail('script.evaluate', 'no such frame', 'Cannot find context with specified id');
    const noDocument = await s.call('evaluate_script', { expression: '1' });
    assert.equal(
      noDocument.text,
      'evaluate_script failed: The tab has no document that can run scripts (for example a browser error page after a failed navigation). Navigate to a page first.',
    );
    bidi.contexts.splice(0);
    const closed = await s.call('evaluate_script', { expression: '1' });
    assert.equal(
      closed.text,
      "evaluate_script failed: The session's tab was closed. Call navigate to open a new tab; the capture goes on.",
    );
  });

  test('a script past its bound is reported as a timeout', async () => {
    const s = await start({ timeScale: 0.001 });
    const { bidi } = await s.open();
    bidi.hang('script.evaluate');
    const result = await s.call('evaluate_script', { expression: 'new Promise(() => {})', timeoutMs: 9000 });
    assert.match(result.text, /^evaluate_script failed: The script did not finish within 9000 ms and kept the page's main thread busy/);
  });

  const badInputs: Array<[string, Record<string, unknown>, string]> = [
    [
      'neither expression nor function',
      {},
      'Invalid arguments for evaluate_script: exactly one of "expression" or "function", got an object.',
    ],
    [
      'both',
      { expression: '1', function: '() => 1' },
      'Invalid arguments for evaluate_script: exactly one of "expression" or "function", got an object.',
    ],
    ['args with an expression', { expression: '1', args: [1] }, '"args" only goes with "function"; an expression takes no arguments.'],
    ['args not an array', { function: '() => 1', args: { a: 1 } }, 'Invalid "args" for evaluate_script: a JSON array, got an object.'],
    [
      'too many args',
      { function: '() => 1', args: Array.from({ length: 101 }, () => 0) },
      'Invalid "args" for evaluate_script: at most 100 arguments, got an array.',
    ],
    ['expression type', { expression: 42 }, 'Invalid "expression" for evaluate_script: JavaScript source text, got number 42.'],
    [
      'lone surrogate',
      { expression: '"\uDC00"' },
      'Invalid "expression" for evaluate_script: text without unpaired UTF-16 surrogates (the browser protocol cannot carry them), got "\\"\\udc00\\"".',
    ],
  ];
  for (const [what, args, expected] of badInputs) {
    test(`refuses ${what}`, async () => {
      const s = await start();
      const { bidi } = await s.open();
      const result = await s.call('evaluate_script', args);
      assert.equal(result.isError, true);
      assert.equal(result.text, expected);
      assert.equal(bidi.sentOf('script.evaluate').length + bidi.sentOf('script.callFunction').length, 0);
    });
  }
});
