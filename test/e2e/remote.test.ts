import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { findExecutable } from '../../src/browser/find-executable.js';
import { startTestSite, type TestSite } from '../site/server.js';
import { isAlive, removeTestDirs, startServer, waitForExit } from '../helpers/mcp-server.js';
import { waitFor } from '../helpers/site-scenario.js';

let site: TestSite;
before(async () => {
  site = await startTestSite();
});
after(async () => {
  await site.close();
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Starts a process in its own group and returns a stopper that kills the whole group. */
function startOwned(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): { child: ChildProcess; output: () => string; stop: () => Promise<void> } {
  const child = spawn(command, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return {
    child,
    output: () => output,
    async stop() {
      try {
        process.kill(-(child.pid ?? 0), 'SIGKILL');
      } catch {
        // gone
      }
      await waitForExit(child.pid ?? -1, 5000);
    },
  };
}

test('--webdriver-url runs sessions on a chromedriver started separately', async () => {
  const port = await freePort();
  const profileTmp = mkdtempSync(join(tmpdir(), 'bidiscope-test-remote-'));
  const driver = startOwned(findExecutable('chromedriver', undefined), [`--port=${port}`], { ...process.env, TMPDIR: profileTmp });
  const server = await startServer({ args: ['--webdriver-url', `http://127.0.0.1:${port}`] });
  try {
    await waitFor('chromedriver', async () => (driver.output().includes('started successfully') ? true : undefined), 10_000);
    const opened = await server.call('initialize_session', { browser: 'chrome' });
    assert.equal(opened.isError, false, opened.text);
    const sessionId = String(opened.structured?.sessionId);
    assert.match(sessionId, /^chrome-/);
    const started = await server.call('start_network_capture', { sessionId });
    assert.equal(started.isError, false, started.text);
    assert.equal(started.structured?.status, 'active');
    const nav = await server.call('navigate', { sessionId, url: `${site.origin}/blank` });
    assert.equal(nav.isError, false, nav.text);
    assert.equal(nav.structured?.url, `${site.origin}/blank`);
    const listed = await server.call('list_network_requests', { sessionId, urlFilter: '/blank' });
    assert.equal(listed.structured?.total, 1, listed.text);
    const closed = await server.call('close_session', { sessionId });
    assert.equal(closed.isError, false, closed.text);
    assert.ok(isAlive(driver.child.pid ?? -1), 'the remote endpoint is not ours to stop');
  } finally {
    await server.close();
    removeTestDirs(server);
    await driver.stop();
    rmSync(profileTmp, { recursive: true, force: true });
  }
});

test('--bidi-url attaches to a Firefox started separately', async () => {
  const profile = mkdtempSync(join(tmpdir(), 'bidiscope-test-remote-'));
  const firefox = startOwned(
    findExecutable('firefox', undefined),
    ['--headless', '--no-remote', '--profile', profile, '--remote-debugging-port=0', 'about:blank'],
    {
      ...process.env,
      TMPDIR: profile,
    },
  );
  try {
    const endpoint = await waitFor(
      'Firefox BiDi endpoint',
      async () => /WebDriver BiDi listening on (ws:\/\/\S+)/.exec(firefox.output())?.[1],
      20_000,
    );
    const server = await startServer({ args: ['--bidi-url', endpoint] });
    try {
      const opened = await server.call('initialize_session', {});
      assert.equal(opened.isError, false, opened.text);
      const sessionId = String(opened.structured?.sessionId);
      assert.match(sessionId, /^firefox-/, 'named after the browser that answered');
      const started = await server.call('start_network_capture', { sessionId });
      assert.equal(started.isError, false, started.text);
      assert.equal(started.structured?.status, 'active');
      const nav = await server.call('navigate', { sessionId, url: `${site.origin}/blank` });
      assert.equal(nav.isError, false, nav.text);
      assert.equal(nav.structured?.url, `${site.origin}/blank`);
      const listed = await server.call('list_network_requests', { sessionId, urlFilter: '/blank' });
      assert.equal(listed.structured?.total, 1, listed.text);
      const second = await server.call('initialize_session', {});
      assert.equal(second.isError, true, 'one BiDi session per browser');
      assert.match(second.text, /one BiDi session at a time/);
      const closed = await server.call('close_session', { sessionId });
      assert.equal(closed.isError, false, closed.text);
      assert.ok(isAlive(firefox.child.pid ?? -1), 'the attached browser keeps running');
    } finally {
      await server.close();
      removeTestDirs(server);
    }
  } finally {
    await firefox.stop();
    rmSync(profile, { recursive: true, force: true });
  }
});
