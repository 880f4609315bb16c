/**
 * bidiscope on a real Selenium Grid 4 standalone (official jar from the pinned npm package, Java from the OS, the
 * local chromedriver and Chromium configured explicitly; 2 Chromium slots; a 10 s session-timeout) started by this
 * file on a free loopback port: sessions in parallel across the slots, each capturing the whole test site; closing
 * frees the slots; a full grid answers in plain words within the start timeout; a session idle past the grid's
 * session-timeout is kept alive; the grid's BiDi proxy and the no-compression reconnect; the grid going away
 * mid-capture; --webdriver-capabilities merged into the request and hidden in errors. The grid's process group is
 * killed in `after`, and by its leader shell if this process dies first.
 */
import '../../src/quiet-dependencies.js';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { after, before, describe, test } from 'node:test';
import WebDriver, { type BidiHandler } from 'webdriver';
import { withoutCompression } from '../../src/browser/bidi-connection.js';
import { startTestSite, type TestSite } from '../site/server.js';
import { startGrid, type Grid } from '../helpers/grid.js';
import { removeTestDirs, startServer, type ServerUnderTest } from '../helpers/mcp-server.js';
import { assertGoneButKept, assertNothingLeft } from '../helpers/scenario.js';
import { assertSitePageCaptured, captureCounts, capturedData, loadSitePage, waitFor } from '../helpers/site-scenario.js';

const GRID_UA = 'bidiscope-grid-test-agent';
/** The grid ends sessions idle this long (its default is 300 s); bidiscope's keep-alive must hold them. */
const GRID_SESSION_TIMEOUT_S = 10;

let site: TestSite;
let grid: Grid;
let server: ServerUnderTest;
before(async () => {
  site = await startTestSite();
  grid = await startGrid({ slots: 2, nodeToml: `session-timeout = ${GRID_SESSION_TIMEOUT_S}` });
  server = await startServer({
    args: [
      '--webdriver-url',
      grid.url,
      '--webdriver-capabilities',
      JSON.stringify({ 'se:name': 'bidiscope grid suite', 'goog:chromeOptions': { args: [`--user-agent=${GRID_UA}`] } }),
    ],
  });
});
after(async () => {
  await server?.close();
  if (server) removeTestDirs(server);
  await grid?.stop();
  await site?.close();
});

async function openSession(timeoutMs?: number): Promise<string> {
  const opened = await server.call('initialize_session', { browser: 'chrome', ...(timeoutMs ? { timeoutMs } : {}) });
  assert.equal(opened.isError, false, `${opened.text}\n--- grid log ---\n${grid.log()}`);
  return String(opened.structured?.sessionId);
}

async function busySlots(expected: number): Promise<void> {
  await waitFor(`${expected} busy grid slots`, async () => ((await grid.slots()).busy === expected ? true : undefined), 15_000);
}

describe('Selenium Grid 4 standalone, 2 Chromium slots', () => {
  let first = '';
  let second = '';

  test('two sessions in parallel each capture the whole test site (bodies, WebSocket frames, SSE)', async () => {
    [first, second] = await Promise.all([openSession(), openSession()]);
    assert.notEqual(first, second);
    assert.deepEqual(await grid.slots(), { busy: 2, total: 2 });
    const ua = await server.call('evaluate_script', { sessionId: first, expression: 'navigator.userAgent' });
    assert.equal(ua.structured?.result, GRID_UA, '--webdriver-capabilities args reached Chromium through the grid');
    await Promise.all([first, second].map((sessionId) => server.call('start_network_capture', { sessionId, captureBodies: 'all' })));
    await Promise.all([first, second].map((sessionId) => loadSitePage(server, sessionId, site.origin)));
    for (const sessionId of [first, second]) {
      const stopped = await server.call('stop_network_capture', { sessionId });
      assert.equal(stopped.isError, false, stopped.text);
      assertSitePageCaptured(capturedData(stopped.structured));
    }
  });

  test('a full grid answers in plain words within the start timeout, and nothing is left queued', async () => {
    await busySlots(2);
    const started = Date.now();
    const third = await server.call('initialize_session', { browser: 'chrome', timeoutMs: 4000 });
    const ms = Date.now() - started;
    assert.equal(third.isError, true, third.text);
    assert.match(
      third.text,
      /the WebDriver endpoint http:\/\/127\.0\.0\.1:\d+ queued the new session: no free slot within 4 s \(the grid has 2 of 2 slots busy\)/i,
    );
    assert.doesNotMatch(third.text, /connectionRetryTimeout/);
    assert.ok(ms < 12_000, `the refusal took ${ms} ms`);
    const queue = (await (await fetch(`${grid.url}/se/grid/newsessionqueue/queue`)).json()) as { value: unknown[] };
    assert.deepEqual(queue.value, [], 'the abandoned request left the grid queue');
    const listed = await server.call('list_sessions');
    assert.equal((listed.structured?.sessions as unknown[]).length, 2);
  });

  test('closing frees the slots, and a freed slot takes a new session', async () => {
    for (const sessionId of [first, second]) {
      const closed = await server.call('close_session', { sessionId });
      assert.equal(closed.isError, false, closed.text);
    }
    await busySlots(0);
    const again = await openSession();
    await busySlots(1);
    await server.call('close_session', { sessionId: again });
    await busySlots(0);
  });

  test("a session idle past the grid's session-timeout stays alive (bidiscope's keep-alive)", async () => {
    const sessionId = await openSession();
    await server.call('start_network_capture', { sessionId, captureBodies: 'none' });
    // Nothing drives the browser for 1.5 × the grid's timeout: without traffic the grid would end the session.
    const idleUntil = Date.now() + GRID_SESSION_TIMEOUT_S * 1500;
    while (Date.now() < idleUntil) {
      assert.equal((await grid.slots()).busy, 1, 'the grid ended the idle session');
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    const nav = await server.call('navigate', { sessionId, url: `${site.origin}/blank?after-idle` });
    assert.equal(nav.isError, false, nav.text);
    const listed = await server.call('list_network_requests', { sessionId, urlFilter: 'after-idle' });
    assert.equal(listed.structured?.total, 1, listed.text);
    await server.call('close_session', { sessionId });
    await busySlots(0);
  });

  test("the grid's BiDi proxy negotiates permessage-deflate and takes the reconnect without it", async () => {
    const client = await WebDriver.newSession({
      protocol: 'http',
      hostname: '127.0.0.1',
      port: Number(new URL(grid.url).port),
      path: '/',
      logLevel: 'silent',
      connectionRetryCount: 0,
      connectionRetryTimeout: 30_000,
      capabilities: { browserName: 'chrome', webSocketUrl: true, 'goog:chromeOptions': { args: ['--headless=new', '--no-sandbox'] } },
    });
    try {
      const handler = (client as unknown as { _bidiHandler?: BidiHandler })._bidiHandler;
      const webSocketUrl = String((client.capabilities as { webSocketUrl?: unknown }).webSocketUrl);
      assert.ok(
        webSocketUrl.startsWith(`ws://127.0.0.1:${new URL(grid.url).port}/session/`),
        `BiDi goes through the grid's router: ${webSocketUrl}`,
      );
      assert.ok(handler?.isConnected);
      assert.match(String(handler.socket?.extensions), /permessage-deflate/, 'measured: the grid offers compression');
      await withoutCompression(handler, webSocketUrl);
      assert.equal(handler.socket?.extensions, '', 'reconnected without compression');
      const tree = (await handler.send({ method: 'browsingContext.getTree', params: {} } as Parameters<BidiHandler['send']>[0])) as {
        result?: { contexts?: unknown[] };
      };
      assert.ok((tree.result?.contexts?.length ?? 0) >= 1, 'the reconnected socket still drives the browser');
    } finally {
      await client.deleteSession();
    }
    await busySlots(0);
  });

  test('the grid going away mid-capture: session dead, entries kept, clear errors', async () => {
    const sessionId = await openSession();
    await server.call('start_network_capture', { sessionId, captureBodies: 'all' });
    const nav = await server.call('navigate', { sessionId, url: `${site.origin}/blank?before-grid-kill` });
    assert.equal(nav.isError, false, nav.text);
    await waitFor('the page load in the capture', async () => ((await captureCounts(server, sessionId)).responses > 0 ? true : undefined));
    await grid.stop();
    const dead = await waitFor(
      'the session to be dead',
      async () => {
        const listed = await server.call('list_sessions');
        return (listed.structured?.sessions as Array<Record<string, unknown>>).find(
          (session) => session.sessionId === sessionId && session.state === 'dead',
        );
      },
      15_000,
    );
    assert.match(String(dead.deadReason), /^connection to the WebDriver endpoint http:\/\/127\.0\.0\.1:\d+ lost: BiDi connection closed/);
    await assertGoneButKept(server, sessionId, 'before-grid-kill', site.origin);
    const next = await server.call('initialize_session', { browser: 'chrome', timeoutMs: 5000 });
    assert.equal(next.isError, true);
    assert.match(next.text, /could not create a session/);
    await assertNothingLeft(server);
  });
});

describe('--webdriver-capabilities and credentials in the endpoint URL', () => {
  /** A WebDriver endpoint that refuses every new session with an error echoing the request, like some clouds do. */
  function echoingEndpoint(): Promise<{ url: string; requests: Array<{ auth: string; body: Record<string, unknown> }>; server: Server }> {
    const requests: Array<{ auth: string; body: Record<string, unknown> }> = [];
    const http = createServer((request: IncomingMessage, response) => {
      let text = '';
      request.on('data', (chunk: Buffer) => (text += chunk.toString()));
      request.on('end', () => {
        requests.push({ auth: request.headers.authorization ?? '', body: JSON.parse(text || '{}') as Record<string, unknown> });
        response.writeHead(500, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({ value: { error: 'session not created', message: `cannot create a session for ${text}`, stacktrace: '' } }),
        );
      });
    });
    return new Promise((resolve) =>
      http.listen(0, '127.0.0.1', () => {
        const address = http.address();
        resolve({ url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`, requests, server: http });
      }),
    );
  }

  test('merged into the new-session request; the key and the URL password never reach tool text or logs', async () => {
    const endpoint = await echoingEndpoint();
    const accessKey = 'acme-access-key-6f1d2c';
    const password = 'url-pass-93ab';
    const caps = { 'se:name': 'nightly', 'acme:options': { userName: 'ci-bot', accessKey }, 'goog:chromeOptions': { args: ['--lang=de'] } };
    const withCaps = await startServer({
      args: ['--webdriver-url', endpoint.url.replace('http://', `http://ci-bot:${password}@`)],
      env: { BIDISCOPE_WEBDRIVER_CAPABILITIES: JSON.stringify(caps) },
    });
    try {
      const opened = await withCaps.call('initialize_session', { browser: 'chrome', timeoutMs: 5000 });
      assert.equal(opened.isError, true, opened.text);
      assert.match(opened.text, /could not create a session: .*cannot create a session for/s);
      assert.match(opened.text, /<redacted>/, 'the echoed request is shown with the secrets hidden');
      for (const secret of [accessKey, password]) {
        assert.ok(!opened.text.includes(secret), `tool text leaks ${secret}: ${opened.text}`);
        assert.ok(!withCaps.stderr().includes(secret), 'stderr leaks a secret');
      }
      const sent = endpoint.requests.find((request) => request.body.capabilities !== undefined);
      const always = (sent?.body.capabilities as { alwaysMatch?: Record<string, unknown> } | undefined)?.alwaysMatch ?? {};
      assert.equal(always.webSocketUrl, true);
      assert.equal(always.browserName, 'chrome');
      assert.equal(always['se:name'], 'nightly');
      assert.deepEqual(always['acme:options'], { userName: 'ci-bot', accessKey });
      const args = (always['goog:chromeOptions'] as { args?: string[] }).args ?? [];
      assert.ok(args.includes('--headless=new') && args.at(-1) === '--lang=de', `args merged, bidiscope's first: ${args.join(' ')}`);
      assert.equal(sent?.auth, `Basic ${Buffer.from(`ci-bot:${password}`).toString('base64')}`, 'URL credentials go out as basic auth');
    } finally {
      await withCaps.close();
      removeTestDirs(withCaps);
      await new Promise((resolve) => endpoint.server.close(resolve));
    }
  });
});
