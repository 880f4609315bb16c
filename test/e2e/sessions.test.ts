import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestSite, type TestSite } from '../site/server.js';
import { BROWSERS, isAlive, removeTestDirs, startServer, waitForExit } from '../helpers/mcp-server.js';
import { assertNothingLeft } from '../helpers/scenario.js';

let site: TestSite;
before(async () => {
  site = await startTestSite();
});
after(async () => {
  await site.close();
});

for (const browser of BROWSERS) {
  describe(`sessions on ${browser}`, () => {
    test('initialize → navigate → evaluate_script → list_sessions → close, nothing left behind', async () => {
      const server = await startServer();
      try {
        const opened = await server.call('initialize_session', { browser });
        assert.equal(opened.isError, false, opened.text);
        const sessionId = String(opened.structured?.sessionId);
        assert.match(sessionId, new RegExp(`^${browser}-\\d+$`));
        assert.match(String(opened.structured?.browserVersion), /^\d+\./);
        assert.equal(opened.structured?.browser, browser);

        const navigated = await server.call('navigate', { url: `${site.origin}/blank` });
        assert.equal(navigated.isError, false, navigated.text);

        const title = await server.call('evaluate_script', { expression: 'document.title' });
        assert.equal(title.isError, false, title.text);
        assert.equal(title.structured?.result, 'blank');

        const sum = await server.call('evaluate_script', { sessionId, function: '(a, b) => a + b', args: [2, 3] });
        assert.equal(sum.structured?.result, 5);

        const listed = await server.call('list_sessions');
        const sessions = listed.structured?.sessions as Array<Record<string, unknown>>;
        assert.equal(sessions.length, 1);
        assert.equal(sessions[0]?.sessionId, sessionId);
        assert.equal(sessions[0]?.state, 'open');

        const closed = await server.call('close_session', { sessionId });
        assert.equal(closed.isError, false, closed.text);
        await assertNothingLeft(server);
        const after = await server.call('list_sessions');
        assert.match(after.text, /No sessions are open/);
      } finally {
        await server.close();
        removeTestDirs(server);
      }
    });

    test('bad input answers isError naming the problem', async () => {
      const server = await startServer();
      try {
        const unknownSession = await server.call('navigate', { sessionId: 'nope', url: `${site.origin}/blank` });
        assert.equal(unknownSession.isError, true);
        assert.match(unknownSession.text, /Unknown sessionId "nope"/);

        const opened = await server.call('initialize_session', { browser });
        assert.equal(opened.isError, false, opened.text);

        const closedPort = await server.call('navigate', { url: `http://127.0.0.1:${site.closedPort}/`, timeoutMs: 20_000 });
        assert.equal(closedPort.isError, true);
        assert.match(closedPort.text, /Navigation to http:\/\/127\.0\.0\.1:\d+\/ failed/);
        // The tab now shows the browser's error page; scripts either run there or fail with a clear reason.
        const onErrorPage = await server.call('evaluate_script', { expression: '1' });
        if (onErrorPage.isError) assert.match(onErrorPage.text, /no document that can run scripts/);
        const back = await server.call('navigate', { url: `${site.origin}/blank` });
        assert.equal(back.isError, false, back.text);

        const thrown = await server.call('evaluate_script', { expression: 'throw new Error("boom-from-page")' });
        assert.equal(thrown.isError, true);
        assert.match(thrown.text, /The script threw in the page: .*boom-from-page/);

        const rejected = await server.call('evaluate_script', { expression: 'Promise.reject(new Error("async-boom"))' });
        assert.equal(rejected.isError, true);
        assert.match(rejected.text, /async-boom/);

        // The session still works after all of that.
        const title = await server.call('evaluate_script', { expression: '1 + 1' });
        assert.equal(title.structured?.result, 2);
      } finally {
        await server.close();
        await assertNothingLeft(server);
        removeTestDirs(server);
      }
    });

    test('a missing browser executable fails clearly and leaves nothing', async () => {
      const flag = browser === 'chrome' ? '--chrome-path' : '--firefox-path';
      const server = await startServer({ args: [flag, '/nonexistent/browser-binary'] });
      try {
        const opened = await server.call('initialize_session', { browser });
        assert.equal(opened.isError, true);
        assert.match(opened.text, /executable not found/);
        assert.match(opened.text, /\/nonexistent\/browser-binary/);
        assert.match(opened.text, /Fix: install it/);
        await assertNothingLeft(server);
      } finally {
        await server.close();
        removeTestDirs(server);
      }
    });

    test('a browser that fails during start-up leaves nothing behind', async () => {
      // /bin/false is executable but is no browser: the launch fails after processes and profile dirs were created.
      const args = browser === 'chrome' ? ['--chrome-path', '/bin/false'] : ['--firefox-path', '/bin/false'];
      const server = await startServer({ args });
      try {
        const opened = await server.call('initialize_session', { browser, timeoutMs: 20_000 });
        assert.equal(opened.isError, true, opened.text);
        await assertNothingLeft(server);
      } finally {
        await server.close();
        removeTestDirs(server);
      }
    });
  });
}

test('unknown argument, wrong type and search paths are reported without a browser', async () => {
  const server = await startServer();
  try {
    const unknownArg = await server.call('list_sessions', { verbose: true });
    assert.equal(unknownArg.isError, true);
    assert.match(unknownArg.text, /Unknown argument "verbose"/);

    const wrongType = await server.call('initialize_session', { browser: 'chrome', headless: 'yes' });
    assert.equal(wrongType.isError, true);
    assert.match(wrongType.text, /Invalid "headless" for initialize_session: true or false, got "yes"/);

    const badBrowser = await server.call('initialize_session', { browser: 'safari' });
    assert.equal(badBrowser.isError, true);
    assert.match(badBrowser.text, /"browser"/);

    const badUrl = await server.call('navigate', { url: 'not a url' });
    assert.equal(badUrl.isError, true);
    assert.match(badUrl.text, /Invalid "url" for navigate/);

    const jsUrl = await server.call('navigate', { url: 'javascript:alert(1)' });
    assert.equal(jsUrl.isError, true);
    assert.match(jsUrl.text, /javascript: and file: are refused/);

    const noSession = await server.call('evaluate_script', { expression: '1' });
    assert.equal(noSession.isError, true);
    assert.match(noSession.text, /No session is open/);

    const both = await server.call('evaluate_script', { expression: '1', function: '() => 1' });
    assert.equal(both.isError, true);
    assert.match(both.text, /exactly one of "expression" or "function"/);
  } finally {
    await server.close();
    removeTestDirs(server);
  }
});

test('two sessions, one per browser, at once; sessionId required then', async () => {
  const server = await startServer();
  try {
    const chrome = await server.call('initialize_session', { browser: 'chrome' });
    const firefox = await server.call('initialize_session', { browser: 'firefox' });
    assert.equal(chrome.isError, false, chrome.text);
    assert.equal(firefox.isError, false, firefox.text);
    const chromeId = String(chrome.structured?.sessionId);
    const firefoxId = String(firefox.structured?.sessionId);

    const ambiguous = await server.call('evaluate_script', { expression: '1' });
    assert.equal(ambiguous.isError, true);
    assert.match(ambiguous.text, /sessionId is required when several sessions are open/);

    for (const sessionId of [chromeId, firefoxId]) {
      const nav = await server.call('navigate', { sessionId, url: `${site.origin}/blank` });
      assert.equal(nav.isError, false, nav.text);
      const ua = await server.call('evaluate_script', { sessionId, expression: 'navigator.userAgent' });
      assert.match(String(ua.structured?.result), sessionId.startsWith('firefox') ? /Firefox\// : /Chrome\//);
    }
    const listed = await server.call('list_sessions');
    assert.equal((listed.structured?.sessions as unknown[]).length, 2);
  } finally {
    await server.close();
    await assertNothingLeft(server);
    removeTestDirs(server);
  }
});

test('killing the MCP client (stdin closes) stops every browser and removes profiles', async () => {
  const server = await startServer();
  try {
    for (const browser of BROWSERS) {
      const opened = await server.call('initialize_session', { browser });
      assert.equal(opened.isError, false, opened.text);
    }
    // Close the client's side abruptly: the server sees stdin end, like a crashed client.
    await server.client.close();
    assert.ok(await waitForExit(server.pid, 20_000), 'server did not exit after the client went away');
    assert.equal(isAlive(server.pid), false);
    await assertNothingLeft(server);
  } finally {
    removeTestDirs(server);
  }
});

test('SIGTERM stops every browser and removes profiles', async () => {
  const server = await startServer();
  try {
    const opened = await server.call('initialize_session', { browser: 'firefox' });
    assert.equal(opened.isError, false, opened.text);
    process.kill(server.pid, 'SIGTERM');
    assert.ok(await waitForExit(server.pid, 20_000), 'server did not exit on SIGTERM');
    await assertNothingLeft(server);
  } finally {
    await server.client.close().catch(() => undefined);
    removeTestDirs(server);
  }
});
