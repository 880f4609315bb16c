/**
 * Reasoning across traffic on both browsers through the real MCP client: captures kept side by side, search in bodies,
 * SSE events and WebSocket frames that never reveals a redacted secret, a before/after diff and a Chrome-vs-Firefox
 * diff, and exported curl commands that, run by a real shell against the test site, send the same request again.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { SITE_SECRETS, startTestSite, type TestSite } from '../site/server.js';
import { BROWSERS, type CallOutcome, startServerWithOutputDir, type ServerWithOutputDir } from '../helpers/mcp-server.js';
import { captureCounts, loadSitePage, waitFor } from '../helpers/site-scenario.js';

let site: TestSite;
let server: ServerWithOutputDir;

before(async () => {
  site = await startTestSite();
  server = await startServerWithOutputDir();
});
after(async () => {
  await server.closeAll();
  await site.close();
});

async function ok(name: string, args: Record<string, unknown> = {}): Promise<CallOutcome> {
  const outcome = await server.call(name, args);
  assert.equal(outcome.isError, false, `${name}: ${outcome.text}`);
  return outcome;
}

function runShell(command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('sh', ['-c', command], { timeout: 30_000, maxBuffer: 4 * 1024 * 1024 }, (error, stdout) =>
      error ? reject(error) : resolve(stdout),
    );
  });
}

/** The JSON body of an HTTP response that curl printed with `--include`. */
function echoed(output: string): { method: string; path: string; xTest: string | null; bodyText: string; bodyBase64: string } {
  const body = output.slice(output.indexOf('\r\n\r\n') + 4);
  return JSON.parse(body) as ReturnType<typeof echoed>;
}

const NASTY_BODY = `it's "quoted" $HOME \`cmd\` back\\slash\nsecond line ünïcødé € 😀`;

for (const browser of BROWSERS) {
  describe(`reasoning across ${browser} captures`, () => {
    let sessionId = '';
    let beforeId = '';
    let afterId = '';
    before(async () => {
      sessionId = String((await ok('initialize_session', { browser })).structured?.sessionId);
      beforeId = String((await ok('start_network_capture', { sessionId })).structured?.captureId);
      await loadSitePage(server, sessionId, site.origin);
      await ok('stop_network_capture', { sessionId });
      afterId = String((await ok('start_network_capture', { sessionId, captureBodies: 'all' })).structured?.captureId);
      await loadSitePage(server, sessionId, site.origin);
      await ok('evaluate_script', { sessionId, expression: "fetch('/api/echo?extra=1').then((r) => r.status)" });
      await ok('evaluate_script', {
        sessionId,
        function: `(text) => Promise.all([
          fetch('/api/echo?form=text', { method: 'POST', headers: { 'content-type': 'text/plain; charset=utf-8', 'x-test': 'yes' }, body: text }),
          fetch('/api/echo?form=binary', { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: new Uint8Array([0, 1, 2, 255, 10, 39, 36]) }),
        ]).then((responses) => responses.map((r) => r.status))`,
        args: [NASTY_BODY],
      });
      await waitFor('the extra requests and their bodies', async () => {
        const counts = await captureCounts(server, sessionId);
        const listed = await server.call('list_network_requests', { sessionId, urlFilter: '/api/echo' });
        return listed.structured?.total === 3 && counts.bodiesPending === 0 ? true : undefined;
      });
      await ok('stop_network_capture', { sessionId });
    });
    after(async () => {
      await server.call('close_session', { sessionId });
    });

    test('both captures are kept and queryable', async () => {
      const captures = await ok('list_captures', { sessionId });
      assert.deepEqual(
        (captures.structured?.captures as Array<{ captureId: string }>).map((capture) => capture.captureId),
        [beforeId, afterId],
      );
      const old = await ok('list_network_requests', { sessionId, captureId: beforeId, urlFilter: '/api/json' });
      assert.equal(old.structured?.total, 1);
      const index = (old.structured?.indexes as number[])[0];
      const details = await ok('get_request_details', { sessionId, index });
      assert.equal(details.structured?.captureId, beforeId, 'an index of the earlier capture is found without its captureId');
    });

    test('search finds a marker in a response body, an SSE event and a WebSocket frame', async () => {
      const body = await ok('search_network', { sessionId, query: 'item-07', in: ['responseBody'] });
      assert.match(body.text, /\/api\/json {2}response body: .*item-07/);
      const event = await ok('search_network', { sessionId, query: 'sse-event-2' });
      assert.match(event.text, /\/sse {2}event 1 \(message\): sse-event-2/);
      const frame = await ok('search_network', { sessionId, query: '/echo:hello-\\d/', in: ['frames'] });
      assert.match(frame.text, /\/ws {2}frame \d+ ↓: echo:hello-1/);
      assert.equal((frame.structured?.hits as unknown[]).length, 2);
    });

    test('search never finds a redacted secret, and finds it where the session exposes it', async () => {
      for (const secret of [SITE_SECRETS.password, SITE_SECRETS.bearerToken, SITE_SECRETS.sessionCookie]) {
        const hits = await ok('search_network', { sessionId, captureId: beforeId, query: secret });
        assert.equal((hits.structured?.hits as unknown[]).length, 0, `${secret.slice(0, 6)}… found: ${hits.text}`);
      }
      const redactedHit = await ok('search_network', { sessionId, captureId: beforeId, query: '"password"', in: ['requestBody'] });
      assert.match(redactedHit.text, /"password":"<redacted>"/);
      const exposed = String((await ok('initialize_session', { browser, exposeSensitiveNetworkData: true })).structured?.sessionId);
      try {
        await ok('start_network_capture', { sessionId: exposed });
        await loadSitePage(server, exposed, site.origin);
        const found = await ok('search_network', { sessionId: exposed, query: SITE_SECRETS.password });
        assert.match(found.text, /\/api\/login {2}request body: /);
      } finally {
        await server.call('close_session', { sessionId: exposed });
      }
    });

    test('a before/after diff names the added requests', async () => {
      const diff = await ok('diff_captures', { a: { sessionId, captureId: beforeId }, b: { sessionId, captureId: afterId } });
      const onlyInB = (diff.structured?.onlyInB as Array<{ url: string }>).map(
        (ref) => new URL(ref.url).pathname + new URL(ref.url).search,
      );
      assert.deepEqual(onlyInB.sort(), ['/api/echo?extra=1', '/api/echo?form=binary', '/api/echo?form=text']);
      assert.deepEqual(diff.structured?.onlyInA, []);
      assert.match(diff.text, /only in b: \[\d+\] GET \S*\/api\/echo\?extra=1 200/);
      const self = await server.call('diff_captures', { a: { sessionId, captureId: beforeId }, b: { sessionId, captureId: beforeId } });
      assert.equal(self.isError, true);
      assert.match(self.text, /Invalid "b": it names the same capture as "a"/);
    });

    test('an exported curl command, run by a shell, sends the same request again (quotes, newlines, $, non-ASCII, binary)', async () => {
      const listed = await ok('list_network_requests', { sessionId, urlFilter: '/api/echo?form=' });
      const indexes = listed.structured?.indexes as number[];
      for (const index of indexes) {
        const exported = await ok('export_request', { sessionId, index, format: 'curl' });
        const command = String(exported.structured?.command);
        const echo = echoed(await runShell(command));
        assert.equal(echo.method, 'POST');
        if (echo.path === '/api/echo?form=text') {
          assert.equal(echo.bodyText, NASTY_BODY);
          assert.equal(echo.xTest, 'yes');
        } else {
          assert.equal(echo.path, '/api/echo?form=binary');
          assert.equal(echo.bodyBase64, Buffer.from([0, 1, 2, 255, 10, 39, 36]).toString('base64'));
          assert.match(String(exported.structured?.bodyFile), /requests\/.*-body\.bin$/);
        }
      }
      const fetchForm = await ok('export_request', { sessionId, index: indexes[0], format: 'fetch' });
      assert.match(String(fetchForm.structured?.command), /^await fetch\("http:\/\/127\.0\.0\.1:\d+\/api\/echo\?form=/);
    });

    test('an exported login keeps its secrets as placeholders', async () => {
      const login = await ok('list_network_requests', { sessionId, captureId: beforeId, urlFilter: '/api/login', method: 'POST' });
      const exported = await ok('export_request', { sessionId, index: (login.structured?.indexes as number[])[0] });
      const command = String(exported.structured?.command);
      assert.match(command, /Bearer <redacted>/);
      for (const secret of Object.values(SITE_SECRETS)) assert.ok(!command.includes(secret), `${secret.slice(0, 6)}… in the command`);
      assert.match(exported.text, /Note: secrets are <redacted> placeholders/);
    });
  });
}

test('a Chrome-vs-Firefox diff pairs the common requests and names what only one browser made', async () => {
  const sessions: string[] = [];
  try {
    const refs: Array<{ sessionId: string; captureId: string }> = [];
    for (const browser of BROWSERS) {
      const sessionId = String((await ok('initialize_session', { browser })).structured?.sessionId);
      sessions.push(sessionId);
      const captureId = String((await ok('start_network_capture', { sessionId })).structured?.captureId);
      await loadSitePage(server, sessionId, site.origin);
      await ok('stop_network_capture', { sessionId });
      refs.push({ sessionId, captureId });
    }
    const diff = await ok('diff_captures', { a: refs[0], b: refs[1] });
    const structured = diff.structured as {
      paired: number;
      onlyInA: Array<{ url: string; note?: string }>;
      onlyInB: Array<{ url: string; note?: string }>;
    };
    assert.ok(structured.paired >= 13, diff.text);
    assert.deepEqual(structured.onlyInA, [], 'Chromium made nothing Firefox did not');
    assert.deepEqual(
      structured.onlyInB.map((ref) => [new URL(ref.url).pathname, ref.note]),
      [['/favicon.ico', "the browser's own request"]],
    );
    assert.match(diff.text, /chrome .* vs .*firefox/i);
  } finally {
    for (const sessionId of sessions) await server.call('close_session', { sessionId });
  }
});
