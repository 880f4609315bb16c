import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { connectHttpClient, startHttpServer, type HttpServerUnderTest } from '../helpers/http-server.js';
import { leftoverTempDirs, processesMentioning, waitForNoProcessesMentioning } from '../helpers/mcp-server.js';

const TOKEN = 'bidiscope-test-token-4f1c9a7e2b';
const AUTH = { Authorization: `Bearer ${TOKEN}` };

/** Status of a raw HTTP request (node:http lets us set Host). */
function rawStatus(
  port: number,
  init: { method: string; path?: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: init.method, path: init.path ?? '/mcp', headers: init.headers ?? {} }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

const INITIALIZE = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
});
const MCP_HEADERS = { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' };

async function connectStatus(headers: Record<string, string>, url: string): Promise<number | undefined> {
  try {
    const client = await connectHttpClient(url, headers);
    await client.close();
    return undefined;
  } catch (error) {
    assert.ok(error instanceof StreamableHTTPError, `expected StreamableHTTPError, got ${String(error)}`);
    return error.code;
  }
}

async function assertNoBrowsersOf(server: HttpServerUnderTest): Promise<void> {
  const left = await waitForNoProcessesMentioning(`${server.tempRoot}/bidiscope-`);
  assert.deepEqual(left, [], `processes left behind: ${JSON.stringify(left)}`);
  assert.deepEqual(leftoverTempDirs(server.tempRoot), [], 'temp profile dirs left behind');
}

describe('Streamable HTTP with a chosen token', () => {
  let server: HttpServerUnderTest;
  before(async () => {
    server = await startHttpServer(['--http-token', TOKEN, '--max-sessions', '1', '--browser', 'chrome']);
  });
  after(async () => {
    await server.stop('SIGKILL');
    server.cleanup();
  });

  test('refuses a missing or wrong token (401), a foreign Origin or Host (403), other paths, methods, big bodies', async () => {
    assert.equal(await connectStatus({}, server.url), 401);
    assert.equal(await connectStatus({ Authorization: 'Bearer wrong-token-wrong-token' }, server.url), 401);
    assert.equal(await connectStatus({ ...AUTH, Origin: 'http://evil.example' }, server.url), 403);

    const host = `127.0.0.1:${server.port}`;
    const unauthorized = await rawStatus(server.port, { method: 'POST', headers: { Host: host, ...MCP_HEADERS }, body: INITIALIZE });
    assert.equal(unauthorized.status, 401);
    assert.match(String(unauthorized.headers['www-authenticate']), /^Bearer/);
    const rebinding = await rawStatus(server.port, {
      method: 'POST',
      headers: { Host: `evil.example:${server.port}`, ...AUTH, ...MCP_HEADERS },
      body: INITIALIZE,
    });
    assert.equal(rebinding.status, 403);
    assert.equal((await rawStatus(server.port, { method: 'GET', path: '/', headers: { Host: host, ...AUTH } })).status, 404);
    const put = await rawStatus(server.port, { method: 'PUT', headers: { Host: host, ...AUTH } });
    assert.equal(put.status, 405);
    assert.match(String(put.headers.allow), /POST, GET, DELETE/);
    const big = await rawStatus(server.port, {
      method: 'POST',
      headers: { Host: host, ...AUTH, ...MCP_HEADERS },
      body: 'x'.repeat(5 * 1024 * 1024),
    });
    assert.equal(big.status, 413);
    assert.equal(
      (
        await rawStatus(server.port, {
          method: 'GET',
          headers: { Host: host, ...AUTH, 'Mcp-Session-Id': 'nope', Accept: 'text/event-stream' },
        })
      ).status,
      404,
    );
    // A loopback Origin (e.g. a local inspector UI) is fine.
    assert.equal(await connectStatus({ ...AUTH, Origin: 'http://localhost:6274' }, `http://localhost:${server.port}/mcp`), undefined);
    assert.match(server.stderr(), /refused POST \/mcp: 403/);
    assert.doesNotMatch(server.stderr(), new RegExp(TOKEN), 'a chosen token is never echoed');
  });

  test('two clients are isolated; ending one MCP session closes its browser; the cap is shared', async () => {
    const a = await connectHttpClient(server.url, AUTH);
    const b = await connectHttpClient(server.url, AUTH);
    try {
      const opened = await a.call('initialize_session', { browser: 'chrome' });
      assert.equal(opened.isError, false, opened.text);
      const sessionId = String(opened.structured?.sessionId);
      assert.ok(processesMentioning(`${server.tempRoot}/bidiscope-`).length > 0, 'browser of client A is running');

      const listedByB = await b.call('list_sessions');
      assert.equal(listedByB.isError, false, listedByB.text);
      assert.deepEqual(listedByB.structured?.sessions, []);
      const closedByB = await b.call('close_session', { sessionId });
      assert.equal(closedByB.isError, true);
      assert.match(closedByB.text, new RegExp(`Unknown sessionId "${sessionId}"`));
      const overCap = await b.call('initialize_session', { browser: 'chrome' });
      assert.equal(overCap.isError, true);
      assert.match(overCap.text, /Too many sessions: 1 open \(limit 1/);

      const listedByA = await a.call('list_sessions');
      assert.equal((listedByA.structured?.sessions as unknown[]).length, 1);
      const title = await a.call('evaluate_script', { expression: '1 + 1' });
      assert.equal(title.structured?.result, 2);
    } finally {
      await a.close();
    }
    await assertNoBrowsersOf(server);
    assert.match(server.stderr(), /MCP session [0-9a-f-]+ closed/);
    // B is unaffected and may now use the freed slot.
    const again = await b.call('list_sessions');
    assert.equal(again.isError, false, again.text);
    await b.close();
  });

  test('SIGTERM closes every client and browser, then exits', async () => {
    const c = await connectHttpClient(server.url, AUTH);
    const opened = await c.call('initialize_session', { browser: 'chrome' });
    assert.equal(opened.isError, false, opened.text);
    assert.ok(processesMentioning(`${server.tempRoot}/bidiscope-`).length > 0);
    const code = await server.stop('SIGTERM');
    assert.equal(code, 143, server.stderr());
    await assertNoBrowsersOf(server);
    assert.match(server.stderr(), /shutting down \(SIGTERM\)/);
    assert.equal(server.stdout(), '', 'stdout stays empty in HTTP mode');
    await c.client.close().catch(() => undefined);
  });
});

test('without --http-token a random token is printed to stderr and works', async () => {
  const server = await startHttpServer(['--browser', 'chrome'], { BIDISCOPE_HTTP_TOKEN: '' });
  try {
    const match = /generated bearer token[^:]*: ([0-9a-f]{64})/.exec(server.stderr());
    assert.ok(match?.[1], server.stderr());
    const token = match[1];
    assert.match(
      server.stderr(),
      new RegExp(`client config: .*"url":"${server.url.replaceAll('/', '\\/')}".*"Authorization":"Bearer ${token}"`),
    );
    assert.equal(server.stdout(), '');
    assert.equal(await connectStatus({}, server.url), 401);
    const client = await connectHttpClient(server.url, { Authorization: `Bearer ${token}` });
    const listed = await client.call('list_sessions');
    assert.equal(listed.isError, false, listed.text);
    await client.close();
    assert.equal(await server.stop('SIGINT'), 130);
  } finally {
    await server.stop('SIGKILL');
    server.cleanup();
  }
});
