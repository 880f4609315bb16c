/**
 * Faults, with real browsers and real processes killed by PID: the browser or chromedriver dies mid-capture, the tab
 * closes, a navigation times out, a body never arrives, the client disconnects mid-call, SIGTERM during a capture,
 * the output dir cannot be written or the disk is full, and concurrent calls race on one session. Every fault must
 * give a clear tool error, keep the server serving, keep what was captured, and leave no process or temp dir behind.
 */
import assert from 'node:assert/strict';
import { execFileSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startTestSite, type TestSite } from '../site/server.js';
import {
  BROWSERS,
  processesMentioning,
  removeTestDirs,
  startServer,
  waitForExit,
  type CallOutcome,
  type ServerUnderTest,
} from '../helpers/mcp-server.js';
import { assertGoneButKept, assertNothingLeft } from '../helpers/scenario.js';
import { captureCounts, waitFor } from '../helpers/site-scenario.js';

let site: TestSite;
before(async () => {
  site = await startTestSite();
});
after(async () => {
  await site.close();
});

/** Asserts the server still answers. */
async function assertServing(server: ServerUnderTest): Promise<CallOutcome> {
  const listed = await server.call('list_sessions', {}, 10_000);
  assert.equal(listed.isError, false, listed.text);
  return listed;
}

function argvOf(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      .split('\0')
      .filter((part) => part !== '');
  } catch {
    return [];
  }
}

/** The PID of the server's one browser main process (not a renderer or helper) or of its chromedriver. */
function processOf(server: ServerUnderTest, kind: 'chrome' | 'chromedriver' | 'firefox'): number {
  const matches = processesMentioning(`${server.tempRoot}/bidiscope-`).filter(({ pid }) => {
    const argv = argvOf(pid);
    const exe = basename(argv[0] ?? '');
    if (kind === 'chromedriver') return exe === 'chromedriver';
    if (kind === 'firefox') return /^firefox/.test(exe) && !argv.includes('-contentproc');
    return /^chrom/.test(exe) && exe !== 'chromedriver' && !exe.includes('crashpad') && !argv.some((arg) => arg.startsWith('--type='));
  });
  assert.equal(matches.length, 1, `expected one ${kind} process, found ${JSON.stringify(matches)}`);
  return matches[0]?.pid ?? -1;
}

async function openSession(server: ServerUnderTest, browser: string): Promise<string> {
  const opened = await server.call('initialize_session', { browser });
  assert.equal(opened.isError, false, opened.text);
  return String(opened.structured?.sessionId);
}

/** Starts a fresh capture (stopping one that is active). */
async function freshCapture(server: ServerUnderTest, sessionId: string, args: Record<string, unknown> = {}): Promise<void> {
  await server.call('stop_network_capture', { sessionId });
  const started = await server.call('start_network_capture', { sessionId, ...args });
  assert.equal(started.isError, false, started.text);
}

async function waitForState(server: ServerUnderTest, sessionId: string, state: string): Promise<Record<string, unknown>> {
  return waitFor(
    `session ${sessionId} to be ${state}`,
    async () => {
      const listed = await assertServing(server);
      const sessions = listed.structured?.sessions as Array<Record<string, unknown>>;
      return sessions.find((session) => session.sessionId === sessionId && session.state === state);
    },
    15_000,
  );
}

async function timed<T>(work: Promise<T>): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  const value = await work;
  return { value, ms: Date.now() - started };
}

/**
 * Closes the session's tab while a second tab (opened by the page) keeps the browser session up — closing the last
 * tab ends a WebDriver session (chromedriver then drops BiDi, and the session shows dead).
 * Chromium: through its DevTools HTTP endpoint (`/json/close`, port from the profile's DevToolsActivePort), the tab
 * picked by a marker in its URL. Firefox: `window.close()`, which a tab whose history holds one document may call, so
 * the caller does this on a fresh session.
 */
async function closeTab(server: ServerUnderTest, browser: string, sessionId: string): Promise<void> {
  const popup = await server.call('evaluate_script', { sessionId, expression: 'window.open("about:blank", "_blank") !== null' });
  assert.equal(popup.structured?.result, true, popup.text);
  if (browser === 'firefox') {
    const closed = await server.call('evaluate_script', { sessionId, expression: 'history.length === 1 && (window.close(), true)' });
    assert.equal(closed.structured?.result, true, `the tab could not be closed by script: ${closed.text}`);
    return;
  }
  const marker = `victim-${Date.now()}`;
  const nav = await server.call('navigate', { sessionId, url: `${site.origin}/blank?${marker}` });
  assert.equal(nav.isError, false, nav.text);
  const profile = readdirSync(server.tempRoot).find((name) => name.startsWith('bidiscope-chrome-'));
  const port = readFileSync(join(server.tempRoot, profile ?? '-', 'profile', 'DevToolsActivePort'), 'utf8').split('\n')[0];
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as Array<{ id: string; url: string }>;
  const victim = targets.find((target) => target.url.includes(marker));
  assert.ok(victim, `no DevTools target shows ${marker}: ${JSON.stringify(targets)}`);
  const closed = await fetch(`http://127.0.0.1:${port}/json/close/${victim.id}`);
  assert.equal(closed.ok, true, await closed.text());
}

for (const browser of BROWSERS) {
  describe(`faults on ${browser}`, () => {
    let server: ServerUnderTest;
    let outputDir: string;
    let sessionId = '';
    before(async () => {
      outputDir = mkdtempSync(join(tmpdir(), 'bidiscope-test-out-'));
      server = await startServer({ args: ['--output-dir', outputDir] });
      sessionId = await openSession(server, browser);
    });
    after(async () => {
      await server.close();
      await assertNothingLeft(server);
      removeTestDirs(server);
      rmSync(outputDir, { recursive: true, force: true });
    });

    test('the tab closes: navigate opens a new one and the capture goes on', async () => {
      await freshCapture(server, sessionId);
      await closeTab(server, browser, sessionId);
      await waitFor(
        'the closed tab to be noticed',
        async () => {
          const nav = await server.call('navigate', { sessionId, url: `${site.origin}/blank?after-close` });
          assert.equal(nav.isError, false, nav.text);
          return nav.structured?.reopenedTab === true ? true : undefined;
        },
        10_000,
      );
      const title = await server.call('evaluate_script', { sessionId, expression: 'document.title' });
      assert.equal(title.structured?.result, 'blank', title.text);
      const listed = await server.call('list_network_requests', { sessionId, urlFilter: 'after-close' });
      assert.ok((listed.structured?.total as number) >= 1, listed.text);
    });

    test('a navigation that times out answers isError and the session still works', async () => {
      const { value: slow, ms } = await timed(server.call('navigate', { sessionId, url: `${site.origin}/slow?ms=10000`, timeoutMs: 500 }));
      assert.equal(slow.isError, true, slow.text);
      assert.match(slow.text, /within 500 ms/);
      assert.ok(ms < 5_000, `navigate took ${ms} ms`);
      const back = await server.call('navigate', { sessionId, url: `${site.origin}/blank` });
      assert.equal(back.isError, false, back.text);
      const title = await server.call('evaluate_script', { sessionId, expression: 'document.title' });
      assert.equal(title.structured?.result, 'blank');
    });

    test('a body that never arrives: details answer promptly, stop is bounded, the body says why', async () => {
      await freshCapture(server, sessionId, { captureBodies: 'all' });
      const fetched = await server.call('evaluate_script', {
        sessionId,
        expression: `fetch('/never-read').then((r) => { window.__neverRead = r.status; return r.arrayBuffer(); }); true`,
      });
      assert.equal(fetched.isError, false, fetched.text);
      await waitFor('the /never-read headers', async () => {
        const status = await server.call('evaluate_script', { sessionId, expression: 'window.__neverRead ?? null' });
        return status.structured?.result === 200 ? true : undefined;
      });
      const index = await waitFor('the /never-read entry', async () => {
        const listed = await server.call('list_network_requests', { sessionId, urlFilter: '/never-read' });
        return (listed.structured?.indexes as number[] | undefined)?.[0];
      });
      const { value: details, ms } = await timed(server.call('get_request_details', { sessionId, index }));
      assert.equal(details.isError, false, details.text);
      assert.ok(ms < 3_000, `get_request_details took ${ms} ms`);
      assert.match(details.text, /Response Body:\n\((pending|unavailable)[:)]/);

      const { value: stopped, ms: stopMs } = await timed(server.call('stop_network_capture', { sessionId }));
      assert.equal(stopped.isError, false, stopped.text);
      assert.ok(stopMs < 8_000, `stop_network_capture took ${stopMs} ms`);
      const after = await server.call('get_request_details', { sessionId, index });
      assert.match(after.text, /Response Body:\n\(unavailable: the response was still loading when the capture stopped/);
      // Leave the page so the stalled fetch goes away.
      await server.call('navigate', { sessionId, url: `${site.origin}/blank` });
    });

    test('concurrent calls on one session: one capture starts, the others say it is already active', async () => {
      await server.call('stop_network_capture', { sessionId });
      const starts = await Promise.all(Array.from({ length: 5 }, () => server.call('start_network_capture', { sessionId })));
      assert.equal(starts.filter((outcome) => !outcome.isError).length, 1, starts.map((outcome) => outcome.text).join('\n'));
      for (const refused of starts.filter((outcome) => outcome.isError)) assert.match(refused.text, /already active/);
      const nav = await server.call('navigate', { sessionId, url: `${site.origin}/blank?concurrent` });
      assert.equal(nav.isError, false, nav.text);
      // One recorder only: the page load is recorded once, not once per start.
      const listed = await waitFor('the page load in the capture', async () => {
        const outcome = await server.call('list_network_requests', { sessionId, urlFilter: 'concurrent' });
        return (outcome.structured?.total as number) > 0 ? outcome : undefined;
      });
      assert.equal(listed.structured?.total, 1, listed.text);
      const stops = await Promise.all(Array.from({ length: 3 }, () => server.call('stop_network_capture', { sessionId })));
      assert.equal(stops.filter((outcome) => !outcome.isError).length, 1, stops.map((outcome) => outcome.text).join('\n'));
      for (const refused of stops.filter((outcome) => outcome.isError)) assert.match(refused.text, /already stopped/);
    });

    test('the browser is killed mid-capture: session dead, capture kept and exportable, close cleans up', async () => {
      await freshCapture(server, sessionId, { captureBodies: 'all' });
      const nav = await server.call('navigate', { sessionId, url: `${site.origin}/blank?before-kill` });
      assert.equal(nav.isError, false, nav.text);
      await waitFor('the page load in the capture', async () =>
        (await captureCounts(server, sessionId)).responses > 0 ? true : undefined,
      );

      process.kill(processOf(server, browser === 'chrome' ? 'chrome' : 'firefox'), 'SIGKILL');
      const dead = await waitForState(server, sessionId, 'dead');
      assert.ok(String(dead.deadReason ?? '').length > 0);
      await assertGoneButKept(server, sessionId, 'before-kill', site.origin);
      await assertNothingLeft(server);
    });

    if (browser === 'chrome') {
      test('chromedriver is killed mid-capture: session dead, capture kept and exportable, close cleans up', async () => {
        sessionId = await openSession(server, browser);
        await freshCapture(server, sessionId, { captureBodies: 'all' });
        const nav = await server.call('navigate', { sessionId, url: `${site.origin}/blank?before-driver-kill` });
        assert.equal(nav.isError, false, nav.text);
        await waitFor('the page load in the capture', async () =>
          (await captureCounts(server, sessionId)).responses > 0 ? true : undefined,
        );

        process.kill(processOf(server, 'chromedriver'), 'SIGKILL');
        await waitForState(server, sessionId, 'dead');
        await assertGoneButKept(server, sessionId, 'before-driver-kill', site.origin);
        await assertNothingLeft(server);
      });

      test('close_session racing capture calls: every call answers, nothing is left', async () => {
        sessionId = await openSession(server, browser);
        const { value: outcomes, ms } = await timed(
          Promise.all([
            server.call('start_network_capture', { sessionId }, 20_000),
            server.call('navigate', { sessionId, url: `${site.origin}/blank` }, 20_000),
            server.call('close_session', { sessionId }, 20_000),
            server.call('stop_network_capture', { sessionId }, 20_000),
            server.call('list_network_requests', { sessionId }, 20_000),
          ]),
        );
        assert.ok(ms < 15_000, `the racing calls took ${ms} ms`);
        const closed = outcomes[2];
        assert.equal(closed?.isError, false, closed?.text);
        for (const outcome of outcomes) assert.ok(outcome.text.length > 0);
        const listed = await assertServing(server);
        assert.deepEqual(listed.structured?.sessions, []);
        await assertNothingLeft(server);
      });
    }
  });
}

describe('the server itself', () => {
  test('the client disconnects mid-call: the server exits promptly and leaves nothing behind', async (t) => {
    const server = await startServer();
    try {
      const chrome = await openSession(server, 'chrome');
      const firefox = await openSession(server, 'firefox');
      await freshCapture(server, chrome);
      await freshCapture(server, firefox);
      const inFlight = server
        .call('evaluate_script', { sessionId: chrome, expression: 'new Promise((resolve) => setTimeout(resolve, 20000))' }, 30_000)
        .then(
          (outcome) => outcome.text,
          (error: unknown) => String(error),
        );
      await new Promise((resolve) => setTimeout(resolve, 500));
      const started = Date.now();
      await server.client.close();
      assert.equal(await waitForExit(server.pid, 10_000), true, 'the server did not exit');
      const exitMs = Date.now() - started;
      t.diagnostic(`the server exited ${exitMs} ms after the client closed its side`);
      assert.ok(exitMs < 10_000, `exit took ${exitMs} ms`);
      assert.match(server.stderr(), /shutting down \(client disconnected/);
      await Promise.race([inFlight, new Promise((resolve) => setTimeout(resolve, 5_000))]);
      await assertNothingLeft(server);
    } finally {
      await server.close();
      removeTestDirs(server);
    }
  });

  test('SIGTERM during an active capture: clean exit, no orphans, no temp dirs', async () => {
    const server = await startServer();
    try {
      for (const browser of BROWSERS) {
        const sessionId = await openSession(server, browser);
        await freshCapture(server, sessionId);
        const nav = await server.call('navigate', { sessionId, url: `${site.origin}/blank` });
        assert.equal(nav.isError, false, nav.text);
      }
      const child = (server.client.transport as unknown as { _process?: ChildProcess })._process;
      const exited = new Promise<number | null>((resolve) => child?.once('exit', (code) => resolve(code)));
      process.kill(server.pid, 'SIGTERM');
      assert.equal(await waitForExit(server.pid, 15_000), true, 'the server did not exit on SIGTERM');
      assert.equal(await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve('no exit event'), 2_000))]), 143);
      assert.match(server.stderr(), /shutting down \(SIGTERM\)/);
      assert.doesNotMatch(server.stderr(), /fatal|uncaught|unhandled/i);
      await assertNothingLeft(server);
    } finally {
      await server.close();
      removeTestDirs(server);
    }
  });

  test('an unwritable output dir and a full disk: isError naming the path, nothing partial left', async (t) => {
    const base = mkdtempSync(join(tmpdir(), 'bidiscope-test-out-'));
    const blocker = join(base, 'blocker');
    writeFileSync(blocker, 'a regular file where a directory should be\n');
    const outputDir = join(blocker, 'out');
    const server = await startServer({ args: ['--output-dir', outputDir] });
    let mounted = false;
    try {
      const sessionId = await openSession(server, 'chrome');
      await freshCapture(server, sessionId, { captureBodies: 'all' });
      const nav = await server.call('navigate', { sessionId, url: `${site.origin}/blank` });
      assert.equal(nav.isError, false, nav.text);
      const loaded = await server.call('evaluate_script', {
        sessionId,
        expression: `Promise.all(['/api/json', '/large'].map((u) => fetch(u).then((r) => r.arrayBuffer()))).then(() => true)`,
      });
      assert.equal(loaded.isError, false, loaded.text);
      await waitFor('bodies fetched', async () => {
        const counts = await captureCounts(server, sessionId);
        return counts.responses >= 3 && counts.bodiesPending === 0 ? true : undefined;
      });
      const token = async (urlFilter: string): Promise<string> => {
        const listed = await server.call('list_network_requests', { sessionId, urlFilter });
        const index = (listed.structured?.indexes as number[])[0];
        const details = await server.call('get_request_details', { sessionId, index });
        assert.equal(typeof details.structured?.confirmToken, 'string', details.text);
        return String(details.structured?.confirmToken);
      };

      const har = await server.call('export_har', { sessionId });
      assert.equal(har.isError, true, har.text);
      assert.ok(har.text.includes(outputDir), `the error does not name the path: ${har.text}`);
      assert.match(har.text, /a parent of the path is a file/);
      const saved = await server.call('confirm_output', { token: await token('/api/json') });
      assert.equal(saved.isError, true, saved.text);
      assert.ok(saved.text.includes(outputDir), `the error does not name the path: ${saved.text}`);
      assert.equal(statSync(blocker).isFile(), true);
      assert.deepEqual(readdirSync(base), ['blocker'], 'something was written next to the blocking file');
      await assertServing(server);

      // Disk full: a 64 KiB tmpfs as the output dir (needs root and mount permission).
      rmSync(blocker);
      mkdirSync(outputDir, { recursive: true });
      try {
        execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', outputDir], { stdio: 'pipe' });
        mounted = true;
      } catch (error) {
        t.skip(`disk-full check skipped: cannot mount a small tmpfs here (${String(error).split('\n')[0]})`);
        return;
      }
      const full = await server.call('export_har', { sessionId, includeBodies: true });
      assert.equal(full.isError, true, full.text);
      assert.match(full.text, /the disk is full/);
      assert.ok(full.text.includes(outputDir), full.text);
      const bigBody = await server.call('confirm_output', { token: await token('/large') });
      assert.equal(bigBody.isError, true, bigBody.text);
      assert.match(bigBody.text, /the disk is full/);
      const leftovers = filesBelow(outputDir).filter((path) => /\.har$|\.partial-/.test(path) || statSync(path).size > 0);
      assert.deepEqual(leftovers, [], 'partial files left on the full disk');
      const small = await server.call('export_har', { sessionId, includeBodies: false, path: 'small.har' });
      assert.equal(small.isError, false, `a HAR that fits should still be written: ${small.text}`);
      await assertServing(server);
    } finally {
      if (mounted) {
        try {
          execFileSync('umount', [outputDir], { stdio: 'pipe' });
        } catch {
          execFileSync('umount', ['-l', outputDir], { stdio: 'pipe' }); // busy: detach lazily
        }
      }
      await server.close();
      await assertNothingLeft(server);
      removeTestDirs(server);
      rmSync(base, { recursive: true, force: true });
    }
  });
});

function filesBelow(dir: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...filesBelow(path));
    else found.push(path);
  }
  return found;
}
