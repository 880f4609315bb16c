/**
 * Trust, on both browsers through the real MCP client: JSON bodies of every type are readable and redacted in every
 * output (details, saved file, HAR, stop data) in both body modes; an index names one request for the session's
 * life and a token never saves another request's body; captureWebSockets / captureStreaming each work alone; a JSON
 * URL is a plain document in both browsers.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { jsonBodyText, startTestSite, TYPED_API_SECRETS, TYPED_API_TYPES, type TestSite } from '../site/server.js';
import { BROWSERS, type CallOutcome, startServerWithOutputDir, type ServerWithOutputDir } from '../helpers/mcp-server.js';
import { captureCounts, waitFor } from '../helpers/site-scenario.js';

let site: TestSite;
let server: ServerWithOutputDir;
let outputDir: string;
const transcript: string[] = [];
const secrets = Object.values(TYPED_API_SECRETS);

before(async () => {
  site = await startTestSite();
  server = await startServerWithOutputDir();
  outputDir = server.outputDir;
});
after(async () => {
  await server.closeAll();
  await site.close();
});

async function call(name: string, args: Record<string, unknown> = {}): Promise<CallOutcome> {
  const outcome = await server.call(name, args);
  transcript.push(outcome.text, JSON.stringify(outcome.structured ?? {}));
  return outcome;
}

async function ok(name: string, args: Record<string, unknown> = {}): Promise<CallOutcome> {
  const outcome = await call(name, args);
  assert.equal(outcome.isError, false, `${name}: ${outcome.text}`);
  return outcome;
}

function filesBelow(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesBelow(path) : [path];
  });
}

/** The page POSTs the planted password to `/api/typed` once per content type, with that type, and reads each answer. */
const POST_EVERY_TYPE = `async (types, password) => {
  const statuses = [];
  for (const type of types) {
    const response = await fetch('/api/typed?type=' + encodeURIComponent(type), {
      method: 'POST',
      headers: { 'content-type': type },
      body: JSON.stringify({ AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'ada', PASSWORD: password } }),
    });
    await response.text();
    statuses.push(response.status);
  }
  return statuses;
}`;

async function waitForBodies(sessionId: string, requests: number): Promise<void> {
  await waitFor('the requests and their bodies', async () => {
    const counts = await captureCounts(server, sessionId);
    return counts.responses >= requests && counts.bodiesPending === 0 ? true : undefined;
  });
}

for (const browser of BROWSERS) {
  describe(`trust on ${browser}`, () => {
    let sessionId = '';
    before(async () => {
      const opened = await ok('initialize_session', { browser });
      sessionId = String(opened.structured?.sessionId);
      await ok('navigate', { sessionId, url: `${site.origin}/blank` });
    });
    after(async () => {
      await call('close_session', { sessionId });
    });

    for (const mode of ['text', 'all'] as const) {
      test(`JSON bodies of every type are readable and redacted everywhere (captureBodies "${mode}")`, async () => {
        await ok('start_network_capture', { sessionId, urlFilter: '/api/typed', captureBodies: mode });
        const ran = await ok('evaluate_script', {
          sessionId,
          function: POST_EVERY_TYPE,
          args: [TYPED_API_TYPES, TYPED_API_SECRETS.password],
        });
        assert.deepEqual(
          ran.structured?.result,
          TYPED_API_TYPES.map(() => 200),
        );
        await waitForBodies(sessionId, TYPED_API_TYPES.length);
        const listed = await ok('list_network_requests', { sessionId });
        const indexes = listed.structured?.indexes as number[];
        assert.equal(indexes.length, TYPED_API_TYPES.length, listed.text);
        for (const index of indexes) {
          const details = await ok('get_request_details', { sessionId, index });
          const type = new URL(String(details.structured?.url)).searchParams.get('type');
          assert.match(
            details.text,
            /"AccessToken": "<redacted>"|"AccessToken":"<redacted>"/,
            `${type}: response readable and redacted\n${details.text}`,
          );
          assert.match(details.text, /"PASSWORD": ?"<redacted>"/, `${type}: request body readable and redacted`);
          assert.match(details.text, /ExpiresIn/, `${type}: the rest of the body is shown`);
          const token = details.structured?.confirmToken;
          assert.equal(typeof token, 'string', `${type}: the cut response offers a token`);
          const saved = await ok('confirm_output', { token });
          const files = saved.structured?.files as Array<{ path: string; body: string }>;
          const response = files.find((file) => file.body === 'response');
          assert.ok(response, `${type}: response body saved`);
          assert.match(readFileSync(response.path, 'utf8'), /"AccessToken":"<redacted>"/);
        }
        await ok('export_har', { sessionId, path: `har/${browser}-${mode}.har` });
        const stopped = await ok('stop_network_capture', { sessionId });
        assert.equal((stopped.structured?.summary as { totalRequests: number }).totalRequests, TYPED_API_TYPES.length);
        const har = readFileSync(join(outputDir, 'har', `${browser}-${mode}.har`), 'utf8');
        assert.match(har, /<redacted>/);
      });
    }

    test('a session that exposes sensitive data shows the same tokens (the check above can fail)', async () => {
      const opened = await ok('initialize_session', { browser, exposeSensitiveNetworkData: true, url: `${site.origin}/blank` });
      const exposed = String(opened.structured?.sessionId);
      try {
        await ok('start_network_capture', { sessionId: exposed, urlFilter: '/api/typed' });
        await ok('evaluate_script', {
          sessionId: exposed,
          function: POST_EVERY_TYPE,
          args: [['application/x-amz-json-1.1'], 'not-a-planted-secret'],
        });
        await waitForBodies(exposed, 1);
        const index = ((await ok('list_network_requests', { sessionId: exposed })).structured?.indexes as number[])[0];
        const details = await server.call('get_request_details', { sessionId: exposed, index });
        assert.ok(details.text.includes(TYPED_API_SECRETS.accessToken), details.text);
      } finally {
        await call('close_session', { sessionId: exposed });
      }
    });

    test("an index names one request for the session's life; a token never saves another request's body", async () => {
      await ok('start_network_capture', { sessionId, urlFilter: '/large', captureBodies: 'all' });
      const fetchLarge = { sessionId, expression: "fetch('/large').then((r) => r.arrayBuffer()).then((b) => b.byteLength)" };
      await ok('evaluate_script', fetchLarge);
      await waitForBodies(sessionId, 1);
      const first = ((await ok('list_network_requests', { sessionId })).structured?.indexes as number[])[0] ?? -1;
      const details = await ok('get_request_details', { sessionId, index: first });
      const token = details.structured?.confirmToken;
      assert.equal(typeof token, 'string', details.text);
      await ok('clear_network_capture', { sessionId });
      for (let repeat = 0; repeat < 3; repeat += 1) await ok('evaluate_script', fetchLarge);
      await waitForBodies(sessionId, 3);
      const after = (await ok('list_network_requests', { sessionId })).structured?.indexes as number[];
      assert.equal(after.length, 3);
      assert.ok(
        after.every((index) => index > first),
        `indexes after a clear continue past ${first}: ${after.join(',')}`,
      );
      const redeemed = await call('confirm_output', { token });
      assert.equal(redeemed.isError, true, redeemed.text);
      assert.match(redeemed.text, new RegExp(`Entry \\[${first}\\] is no longer in`));
      await ok('stop_network_capture', { sessionId });
      // A later capture continues too.
      await ok('start_network_capture', { sessionId, urlFilter: '/large', captureBodies: 'none' });
      await ok('evaluate_script', fetchLarge);
      await waitForBodies(sessionId, 1);
      const later = (await ok('list_network_requests', { sessionId })).structured?.indexes as number[];
      assert.ok((later[0] ?? -1) > Math.max(...after), `a later capture's index ${later[0]} continues past ${Math.max(...after)}`);
      await ok('stop_network_capture', { sessionId });
    });

    for (const parts of [
      { captureWebSockets: false, captureStreaming: true },
      { captureWebSockets: true, captureStreaming: false },
    ]) {
      test(`capture options work alone: ${JSON.stringify(parts)}`, async () => {
        await ok('start_network_capture', { sessionId, ...parts });
        await ok('navigate', { sessionId, url: `${site.origin}/` });
        await waitFor('the test page to finish', async () => {
          const done = await server.call('evaluate_script', { sessionId, expression: 'window.__siteDone === true' });
          return done.structured?.result === true ? true : undefined;
        });
        const counts = await waitFor('what the enabled part records', async () => {
          const current = await captureCounts(server, sessionId);
          const enabledDone = parts.captureWebSockets ? current.wsFrames >= 6 : current.streamEvents >= 3;
          return enabledDone ? current : undefined;
        });
        if (parts.captureWebSockets) assert.equal(counts.streamEvents, 0, 'no SSE events with captureStreaming: false');
        else assert.equal(counts.wsFrames, 0, 'no WebSocket frames with captureWebSockets: false');
        const streams = await ok('list_network_requests', { sessionId, resourceType: 'eventsource' });
        const sseIndex = (streams.structured?.indexes as number[])[0];
        assert.notEqual(sseIndex, undefined, 'the EventSource request is still listed');
        const sse = await ok('get_request_details', { sessionId, index: sseIndex });
        if (!parts.captureStreaming) assert.match(sse.text, /captureStreaming is false/);
        await ok('stop_network_capture', { sessionId });
        await ok('navigate', { sessionId, url: `${site.origin}/blank` });
      });
    }

    test('a JSON URL loads as a plain document whose scripts work', async () => {
      await ok('navigate', { sessionId, url: `${site.origin}/api/json` });
      const text = await ok('evaluate_script', { sessionId, expression: "(document.querySelector('pre') ?? document.body).textContent" });
      assert.deepEqual(JSON.parse(String(text.structured?.result)), JSON.parse(jsonBodyText()));
      const fetched = await ok('evaluate_script', {
        sessionId,
        expression: "fetch('/api/json').then((r) => r.json()).then((j) => j.items.length)",
      });
      assert.equal(fetched.structured?.result, 16);
      await ok('navigate', { sessionId, url: `${site.origin}/blank` });
    });
  });
}

test('no planted secret in any tool result or file written (both browsers, both modes)', () => {
  const everything = [...transcript, ...filesBelow(outputDir).map((path) => readFileSync(path, 'latin1'))].join('\n');
  assert.ok(everything.includes('<redacted>'));
  for (const secret of secrets) {
    assert.equal(everything.includes(secret), false, `secret ${secret.slice(0, 8)}… leaked`);
  }
});
