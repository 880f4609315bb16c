import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import validator from 'har-validator';
import { largeBody, SITE_SECRETS, startTestSite, type TestSite } from '../site/server.js';
import { BROWSERS, type CallOutcome, startServerWithOutputDir, type ServerWithOutputDir } from '../helpers/mcp-server.js';
import { loadSitePage, waitFor } from '../helpers/site-scenario.js';

let site: TestSite;
let server: ServerWithOutputDir;
let outputDir: string;
/** Everything any tool answered in this file, to search for secrets. */
const transcript: string[] = [];

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

async function firstIndex(sessionId: string, urlFilter: string): Promise<number> {
  const listed = await call('list_network_requests', { sessionId, urlFilter });
  const index = (listed.structured?.indexes as number[] | undefined)?.[0];
  assert.notEqual(index, undefined, `nothing matches ${urlFilter}`);
  return index ?? -1;
}

function filesBelow(dir: string): string[] {
  let found: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    found = statSync(path).isDirectory() ? [...found, ...filesBelow(path)] : [...found, path];
  }
  return found;
}

const secretValues = Object.values(SITE_SECRETS);

for (const browser of BROWSERS) {
  describe(`inspecting a capture on ${browser}`, () => {
    let sessionId = '';
    before(async () => {
      const opened = await call('initialize_session', { browser });
      assert.equal(opened.isError, false, opened.text);
      sessionId = String(opened.structured?.sessionId);
      await call('start_network_capture', { sessionId, captureBodies: 'all' });
      await loadSitePage(server, sessionId, site.origin);
    });
    after(async () => {
      await call('close_session', { sessionId });
    });

    test('one filtered list call finds the failing requests', async () => {
      const failed = await call('list_network_requests', { sessionId, failedOnly: true });
      assert.equal(failed.isError, false, failed.text);
      const lines = failed.text.split('\n').filter((line) => line.startsWith('['));
      assert.equal(lines.length, 2, failed.text);
      assert.match(failed.text, /GET \/missing 404/);
      assert.match(failed.text, /\/dead ERR CONNECTION_REFUSED/);
      const fourXX = await call('list_network_requests', { sessionId, status: '4xx' });
      assert.match(fourXX.text, /\/missing 404/);
    });

    test('login details show the masked password, Bearer <redacted> and hidden cookies', async () => {
      const details = await call('get_request_details', { sessionId, index: await firstIndex(sessionId, '/api/login') });
      assert.match(details.text, /^POST http:\/\/127\.0\.0\.1:\d+\/api\/login/);
      assert.match(details.text, /Status: 200 OK \(took [\d.]+ ms\)/);
      assert.match(details.text, /authorization: Bearer <redacted>/i);
      assert.match(details.text, /"password": "<redacted>"/);
      assert.match(details.text, /"refresh_token": "<redacted>"/);
      assert.match(details.text, /set-cookie: sid=<redacted>; Path=\/; HttpOnly/i);
      const xhr = await call('get_request_details', { sessionId, index: await firstIndex(sessionId, '/api/xhr') });
      assert.match(xhr.text, /cookie: sid=<redacted>/i);
      assert.match(xhr.text, /api_key=<redacted>/);
    });

    test('the 3 MB body is previewed, then saved complete and byte-identical', async () => {
      const details = await call('get_request_details', { sessionId, index: await firstIndex(sessionId, '/large') });
      assert.match(details.text, /<binary application\/octet-stream, 3145728 bytes>/);
      const token = String(details.structured?.confirmToken);
      assert.match(token, /^cfm_[0-9a-f]{16}$/);
      const saved = await call('confirm_output', { token });
      assert.equal(saved.isError, false, saved.text);
      const files = saved.structured?.files as Array<{ path: string }>;
      const path = files[0]?.path ?? '';
      assert.ok(path.startsWith(join(outputDir, 'network-bodies')), path);
      assert.deepEqual(new Uint8Array(readFileSync(path)), largeBody());
      const reused = await call('confirm_output', { token });
      assert.equal(reused.isError, true);
      assert.match(reused.text, /Unknown or already used token/);
      const unknown = await call('confirm_output', { token: 'cfm_0000000000000000' });
      assert.equal(unknown.isError, true);
      const truncatedJson = await call('get_request_details', { sessionId, index: await firstIndex(sessionId, '/gzip') });
      assert.match(truncatedJson.text, /\.\.\. \[\d+ more chars\] \(previewCoverage≈\d+%\)/);
    });

    test('the exported HAR is valid HAR 1.2 with WebSocket messages', async () => {
      const exported = await call('export_har', { sessionId });
      assert.equal(exported.isError, false, exported.text);
      const har = JSON.parse(readFileSync(String(exported.structured?.path), 'utf8')) as {
        log: { version: string; entries: Array<{ request: { url: string }; _webSocketMessages?: Array<{ type: string; data: string }> }> };
      };
      await validator.har(har);
      assert.equal(har.log.version, '1.2');
      const ws = har.log.entries.find((entry) => entry._webSocketMessages);
      const messages = (ws?._webSocketMessages ?? []).map((message) => `${message.type}:${message.data}`).sort();
      assert.deepEqual(messages, [
        'receive:echo:hello-1',
        'receive:echo:hello-2',
        'receive:echo:{"m":3}',
        'send:hello-1',
        'send:hello-2',
        'send:{"m":3}',
      ]);
      assert.equal(ws?._webSocketMessages?.filter((message) => message.type === 'send').length, 3);
      assert.equal(ws?._webSocketMessages?.filter((message) => message.type === 'receive').length, 3);
      const outside = await call('export_har', { sessionId, path: '../../escape.har' });
      assert.equal(outside.isError, true);
      assert.match(outside.text, /outside the output directory/);
      const stopped = await call('stop_network_capture', { sessionId });
      assert.equal(stopped.isError, false, stopped.text);
    });
  });
}

test('no secret of the test site appears in any tool output, saved file or HAR', () => {
  const everything = [...transcript, ...filesBelow(outputDir).map((path) => readFileSync(path, 'latin1'))].join('\n');
  assert.ok(everything.length > 10_000, 'the transcript is substantial');
  for (const secret of secretValues) assert.equal(everything.includes(secret), false, `secret ${secret.slice(0, 4)}… leaked`);
});

test('a session that exposes sensitive data shows the secrets (so the check above can fail)', async () => {
  const opened = await call('initialize_session', { browser: 'firefox', exposeSensitiveNetworkData: true });
  const sessionId = String(opened.structured?.sessionId);
  try {
    await call('start_network_capture', { sessionId });
    await loadSitePage(server, sessionId, site.origin);
    const details = await call('get_request_details', { sessionId, index: await firstIndex(sessionId, '/api/login') });
    assert.ok(details.text.includes(SITE_SECRETS.password));
    assert.ok(details.text.includes(SITE_SECRETS.bearerToken));
    const exported = await call('export_har', { sessionId, path: 'exposed.har' });
    assert.ok(readFileSync(String(exported.structured?.path), 'utf8').includes(SITE_SECRETS.sessionCookie));
  } finally {
    await call('close_session', { sessionId });
  }
});

test('a 1,000-request capture lists in small pages', async (t) => {
  const opened = await call('initialize_session', { browser: 'chrome' });
  const sessionId = String(opened.structured?.sessionId);
  try {
    await call('start_network_capture', { sessionId, captureBodies: 'none' });
    await call('navigate', { sessionId, url: `${site.origin}/many?n=1000&auto=1` });
    await waitFor(
      '1000 entries',
      async () => {
        const listed = await call('list_network_requests', { sessionId, urlFilter: '/tiny', status: 200, limit: 1 });
        return listed.structured?.total === 1000 ? true : undefined;
      },
      90_000,
    );
    const page = await call('list_network_requests', { sessionId, urlFilter: '/tiny', limit: 100 });
    assert.match(page.text, /Showing 1–100 of 1000/);
    assert.equal(page.structured?.nextOffset, 100);
    const last = await call('list_network_requests', { sessionId, urlFilter: '/tiny', offset: 900, limit: 100 });
    assert.match(last.text, /Showing 901–1000 of 1000/);
    assert.equal(last.structured?.nextOffset, undefined);
    const bytesPerRequest = Buffer.byteLength(page.text) / 100;
    const details = await call('get_request_details', { sessionId, index: (page.structured?.indexes as number[])[0] });
    const detailsBytes = Buffer.byteLength(details.text);
    t.diagnostic(`list page: ${bytesPerRequest.toFixed(1)} bytes/request; details: ${detailsBytes} bytes`);
    assert.ok(bytesPerRequest <= 45, `list costs ${bytesPerRequest} bytes per request`);
    assert.ok(detailsBytes <= 3000, `details cost ${detailsBytes} bytes`);
  } finally {
    await call('close_session', { sessionId });
  }
});
