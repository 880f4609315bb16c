/** initialize_session, close_session and list_sessions through the MCP client, with fake browsers. */
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startInMemoryServer, type InMemoryServer } from '../../helpers/in-memory-server.js';

let server: InMemoryServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(args: string[] = [], options: Parameters<typeof startInMemoryServer>[1] = {}): Promise<InMemoryServer> {
  server = await startInMemoryServer(args, options);
  return server;
}

describe('initialize_session', () => {
  test('opens the default browser headless and says what capture can record', async () => {
    const s = await start();
    const opened = await s.call('initialize_session');
    assert.equal(opened.isError, false, opened.text);
    assert.equal(
      opened.text,
      'Session chrome-1: chrome 156.0.7000.0 (headless).\n' +
        'Capture: request bodies yes, response bodies yes, WebSocket frames and SSE via page script.',
    );
    assert.equal(opened.structured?.sessionId, 'chrome-1');
    assert.equal(opened.structured?.state, 'open');
    assert.equal(opened.structured?.exposeSensitiveNetworkData, false);
    assert.deepEqual(
      s.launches.map((launch) => [launch.browser, launch.headless, launch.startTimeoutMs]),
      [['chrome', true, 60_000]],
    );
    const bidi = s.browsers[0]?.bidi;
    assert.deepEqual(
      bidi?.sentOf('session.subscribe').map((command) => command.params),
      [{ events: ['browsingContext.contextDestroyed'] }],
    );
  });

  test('passes every option to the launch and the new tab', async () => {
    const s = await start(['--browser', 'firefox', '--headed']);
    const opened = await s.call('initialize_session', {
      viewport: { width: 1280, height: 800 },
      userAgent: 'bidiscope-test',
      acceptInsecureCerts: true,
      bypassCache: true,
      extraHeaders: { 'x-debug': '1' },
      exposeSensitiveNetworkData: true,
      url: 'http://127.0.0.1:9/start',
      timeoutMs: 5000,
    });
    assert.equal(opened.isError, false, opened.text);
    assert.equal(
      opened.text,
      'Session firefox-1: firefox 153.0, opened http://127.0.0.1:9/start.\n' +
        'Capture: request bodies yes, response bodies yes, WebSocket frames and SSE via page script.\n' +
        'Secrets are EXPOSED in outputs for this session.',
    );
    const launch = s.launches[0];
    assert.deepEqual(
      {
        browser: launch?.browser,
        headless: launch?.headless,
        viewport: launch?.viewport,
        userAgent: launch?.userAgent,
        insecure: launch?.acceptInsecureCerts,
      },
      { browser: 'firefox', headless: false, viewport: { width: 1280, height: 800 }, userAgent: 'bidiscope-test', insecure: true },
    );
    const bidi = s.browsers[0]?.bidi;
    assert.deepEqual(bidi?.sentOf('browsingContext.setViewport')[0]?.params, { context: 'ctx-1', viewport: { width: 1280, height: 800 } });
    assert.deepEqual(bidi?.sentOf('network.setCacheBehavior')[0]?.params, { cacheBehavior: 'bypass' });
    assert.deepEqual(bidi?.sentOf('network.setExtraHeaders')[0]?.params, {
      headers: [{ name: 'x-debug', value: { type: 'string', value: '1' } }],
    });
    const navigate = bidi?.sentOf('browsingContext.navigate')[0];
    assert.deepEqual(navigate?.params, { context: 'ctx-1', url: 'http://127.0.0.1:9/start', wait: 'complete' });
    assert.equal(navigate?.timeoutMs, 5000);
  });

  test('opens a tab when the browser has none', async () => {
    const s = await start([], { contexts: [] });
    await s.call('initialize_session');
    assert.equal(s.browsers[0]?.bidi.sentOf('browsingContext.create').length, 1);
  });

  test('names the session after the browser that answered, and knows old builds lack body capture', async () => {
    const s = await start([], { identity: () => ({ name: 'Firefox', version: '142.0' }) });
    const opened = await s.call('initialize_session', { browser: 'chrome' });
    assert.equal(opened.structured?.sessionId, 'firefox-1');
    assert.match(opened.text, /request bodies no, response bodies no/);
  });

  const badInputs: Array<[string, Record<string, unknown>, RegExp]> = [
    ['browser', { browser: 'safari' }, /^Invalid "browser" for initialize_session: "chrome" or "firefox", got "safari"\.$/],
    ['javascript: url', { url: 'javascript:alert(1)' }, /^Invalid "url" for initialize_session: an absolute http\(s\) URL/],
    ['file: url', { url: 'file:///etc/passwd' }, /^Invalid "url"/],
    ['browser-internal url', { url: 'about:config' }, /^Invalid "url"/],
    [
      'viewport width',
      { viewport: { width: 50, height: 800 } },
      /^Invalid "viewport\.width" for initialize_session: at least 100 px, got number 50\.$/,
    ],
    [
      'viewport field',
      { viewport: { width: 800, height: 600, depth: 2 } },
      /^Unknown argument "depth" in "viewport" for initialize_session\./,
    ],
    [
      'header name',
      { extraHeaders: { 'bad header': 'x' } },
      /^Invalid "extraHeaders\.bad header" for initialize_session: a valid HTTP header name/,
    ],
    [
      'header value',
      { extraHeaders: { 'x-a': 'one\r\ntwo' } },
      /^Invalid "extraHeaders\.x-a" for initialize_session: a header value without CR, LF or NUL/,
    ],
    [
      'userAgent surrogate',
      { userAgent: 'a\uD800b' },
      /^Invalid "userAgent" for initialize_session: text without unpaired UTF-16 surrogates/,
    ],
    ['timeoutMs', { timeoutMs: 0 }, /^Invalid "timeoutMs" for initialize_session: at least 1 ms, got number 0\.$/],
    ['headless type', { headless: 'yes' }, /^Invalid "headless" for initialize_session: true or false, got "yes"\.$/],
    ['unknown argument', { colour: 'blue' }, /^Unknown argument "colour" for initialize_session\. Expected only: browser, headless, url/],
  ];
  for (const [what, args, expected] of badInputs) {
    test(`refuses a bad ${what} without launching`, async () => {
      const s = await start();
      const result = await s.call('initialize_session', args);
      assert.equal(result.isError, true);
      assert.match(result.text, expected);
      assert.equal(s.launches.length, 0);
    });
  }

  test('a failed launch is an error and gives its slot back', async () => {
    let failures = 1;
    const s = await start(['--max-sessions', '1'], {
      fail: () => (failures-- > 0 ? new Error('chromedriver exited with code 1') : undefined),
    });
    const failed = await s.call('initialize_session');
    assert.equal(failed.isError, true);
    assert.equal(failed.text, 'initialize_session failed: chromedriver exited with code 1');
    const opened = await s.call('initialize_session');
    assert.equal(opened.isError, false, opened.text);
  });

  test('a failed setup step closes the new browser and gives its slot back', async () => {
    const s = await start(['--max-sessions', '1'], { setup: (bidi) => void bidi.fail('network.setExtraHeaders', 'unknown command') });
    const failed = await s.call('initialize_session', { extraHeaders: { 'x-a': '1' } });
    assert.equal(failed.isError, true);
    assert.match(
      failed.text,
      /^initialize_session failed: extraHeaders is not supported by this browser build: network\.setExtraHeaders: unknown command/,
    );
    assert.equal(s.browsers[0]?.closeCalls, 1);
    assert.equal(s.app.budget.inUse, 0);
    const listed = await s.call('list_sessions');
    assert.equal(listed.text, 'No sessions are open.');
  });

  test('a navigation that does not finish in time closes the browser', async () => {
    const s = await start([], { timeScale: 0.001, setup: (bidi) => void bidi.hang('browsingContext.navigate') });
    const failed = await s.call('initialize_session', { url: 'http://127.0.0.1:9/slow', timeoutMs: 20_000 });
    assert.equal(failed.isError, true);
    assert.match(failed.text, /Navigation to http:\/\/127\.0\.0\.1:9\/slow did not reach "complete" within 20000 ms/);
    assert.equal(s.browsers[0]?.closeCalls, 1);
  });

  test('the session budget refuses one more session and counts across clients', async () => {
    const s = await start(['--max-sessions', '2']);
    await s.open();
    const other = s.app.createClient();
    await other.context.sessions.open({ browser: 'firefox', headless: true });
    const refused = await s.call('initialize_session');
    assert.equal(refused.isError, true);
    assert.equal(
      refused.text,
      'initialize_session failed: Too many sessions: 2 open (limit 2, set with --max-sessions). Close one with close_session first.',
    );
    await other.close();
    const opened = await s.call('initialize_session');
    assert.equal(opened.structured?.sessionId, 'chrome-3');
  });

  test('after shutdown no session opens', async () => {
    const s = await start();
    s.app.budget.shutdown();
    const refused = await s.call('initialize_session');
    assert.equal(refused.text, 'initialize_session failed: bidiscope is shutting down; no new sessions.');
  });
});

describe('close_session and list_sessions', () => {
  test('list shows open and dead sessions; close stops the browser once', async () => {
    const s = await start();
    assert.equal((await s.call('list_sessions')).text, 'No sessions are open.');
    const first = await s.open();
    const second = await s.open({ browser: 'firefox' });
    first.browser.crash('browser exited with signal SIGKILL');
    const listed = await s.call('list_sessions');
    assert.equal(
      listed.text,
      '2 session(s):\nchrome-1 chrome 156.0.7000.0 dead (BiDi connection closed (browser exited with signal SIGKILL))\nfirefox-2 firefox 153.0 open',
    );
    const ambiguous = await s.call('close_session');
    assert.equal(ambiguous.isError, true);
    assert.equal(
      ambiguous.text,
      'close_session failed: sessionId is required when several sessions are open. Open sessions: chrome-1, firefox-2.',
    );
    const closed = await s.call('close_session', { sessionId: second.sessionId });
    assert.equal(closed.text, 'Closed session firefox-2.');
    assert.deepEqual(closed.structured, { sessionId: 'firefox-2', closed: true });
    assert.equal(second.browser.closeCalls, 1);
    const again = await s.call('close_session', { sessionId: 'firefox-2' });
    assert.equal(again.text, 'close_session failed: Unknown sessionId "firefox-2". Open sessions: chrome-1.');
    await s.call('close_session');
    const none = await s.call('close_session');
    assert.equal(none.text, 'close_session failed: No session is open. Call initialize_session first.');
    assert.equal(s.app.budget.inUse, 0);
  });

  test('bad sessionId input names the field', async () => {
    const s = await start();
    const empty = await s.call('close_session', { sessionId: '' });
    assert.equal(empty.text, 'Invalid "sessionId" for close_session: a session id of 1 to 100 characters, got "".');
    const long = await s.call('close_session', { sessionId: 'x'.repeat(101) });
    assert.equal(long.text, 'Invalid "sessionId" for close_session: a session id of 1 to 100 characters, got a string of 101 characters.');
    const extra = await s.call('list_sessions', { all: true });
    assert.equal(extra.text, 'Unknown argument "all" for list_sessions. Remove it and retry.');
  });

  test('closing the client closes its browsers', async () => {
    const s = await start();
    const { browser } = await s.open();
    await s.appClient.close();
    assert.equal(browser.closeCalls, 1);
    assert.equal(s.app.budget.inUse, 0);
  });

  test('an unknown tool is an error listing the tools', async () => {
    const s = await start();
    const result = await s.call('open_browser');
    assert.equal(result.isError, true);
    assert.match(result.text, /^Unknown tool "open_browser"\. Available: initialize_session, close_session, list_sessions, navigate,/);
  });
});
