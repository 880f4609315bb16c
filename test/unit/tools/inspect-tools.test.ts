/**
 * list_network_requests, get_request_details, confirm_output and export_har through the MCP client, over the
 * recorded Chromium stream of the test page with bodies the fake browser holds.
 */
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadFixtureEvents, pathOf } from '../../helpers/fixture-events.js';
import type { FakeBidi } from '../../helpers/fake-bidi.js';
import { startInMemoryServer, type InMemoryServer } from '../../helpers/in-memory-server.js';

const CHROMIUM = loadFixtureEvents('chromium-156-index-page');
/** The request id of `path` in the recorded Chromium page. */
function requestIdOf(path: string): string {
  const event = CHROMIUM.find(
    (item) => item.name === 'network.beforeRequestSent' && pathOf((item.p as { request: { url: string } }).request.url) === path,
  );
  const id = (event?.p as { request: { request: string } } | undefined)?.request.request;
  assert.ok(id, `${path} in the fixture`);
  return id;
}
const JSON_REQUEST = requestIdOf('/api/json');
const LOGIN_REQUEST = requestIdOf('/api/login');
const JSON_BODY = JSON.stringify({ items: Array.from({ length: 40 }, (_, i) => ({ id: i, name: `item-${i}` })) });

let server: InMemoryServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A server with one session that captured the recorded page; /api/json's body is long JSON, login's a token. */
async function captured(args: string[] = [], open: Record<string, unknown> = {}): Promise<{ s: InMemoryServer; bidi: FakeBidi }> {
  server = await startInMemoryServer(args);
  const s = server;
  const { bidi } = await s.open(open);
  bidi.bodies.set(`response:${JSON_REQUEST}`, { type: 'string', value: JSON_BODY });
  bidi.bodies.set(`response:${LOGIN_REQUEST}`, { type: 'string', value: '{"token":"tok-SECRET-123","user":"a"}' });
  await s.call('start_network_capture');
  bidi.replay(CHROMIUM);
  await waitForBodies(s);
  return { s, bidi };
}

async function waitForBodies(s: InMemoryServer): Promise<void> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const status = await s.call('get_network_capture_status');
    if ((status.structured?.extraStats as Record<string, number>).bodiesPending === 0) return;
    if (Date.now() > deadline) throw new Error(`bodies still pending: ${status.text}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('list_network_requests', () => {
  test('filters by method, status, class, range, type, URL and failure', async () => {
    const { s } = await captured();
    const indexes = async (args: Record<string, unknown>): Promise<unknown> =>
      (await s.call('list_network_requests', args)).structured?.indexes;
    assert.deepEqual(await indexes({ method: 'post' }), [3]);
    assert.deepEqual(await indexes({ status: 404 }), [8]);
    assert.deepEqual(await indexes({ status: '3xx' }), [5, 6]);
    assert.deepEqual(await indexes({ status: '300-399' }), [5, 6]);
    assert.deepEqual(await indexes({ resourceType: 'xhr' }), [4]);
    assert.deepEqual(await indexes({ urlFilter: '/r*' }), [5, 6]);
    assert.deepEqual(await indexes({ urlFilter: '/\\/(final|gzip)$/' }), [7, 9]);
    assert.deepEqual(await indexes({ failedOnly: true }), [8, 11]);
    const text = (await s.call('list_network_requests', { method: 'POST' })).text;
    assert.equal(
      text,
      'Requests where method=POST (URLs relative to http://127.0.0.1:36067):\n[3] POST /api/login 200 json 41B 23ms\nShowing 1–1 of 1 (filtered from 14).',
    );
  });

  test('pages with offset and limit and names the next offset', async () => {
    const { s } = await captured();
    const first = await s.call('list_network_requests', { limit: 5 });
    assert.deepEqual(first.structured?.indexes, [0, 1, 2, 3, 4]);
    assert.equal(first.structured?.nextOffset, 5);
    assert.match(first.text, /\nShowing 1–5 of 14\. Next: offset=5$/);
    const last = await s.call('list_network_requests', { offset: 10, limit: 5 });
    assert.deepEqual(last.structured?.indexes, [10, 11, 12, 13]);
    assert.equal(last.structured?.nextOffset, undefined);
    const beyond = await s.call('list_network_requests', { offset: 100 });
    assert.deepEqual(beyond.structured?.indexes, []);
  });

  const badInputs: Array<[string, Record<string, unknown>, string]> = [
    ['status text', { status: 'abc' }, 'Invalid "status": '],
    ['status number', { status: 99 }, 'Invalid "status" for list_network_requests: expected >=100, got number 99.'],
    ['urlFilter', { urlFilter: '/[/' }, 'Invalid "urlFilter": '],
    ['method', { method: 'GE T' }, 'Invalid "method" for list_network_requests: an HTTP method like GET, got "GE T".'],
    ['resourceType', { resourceType: 'video' }, 'Invalid "resourceType" for list_network_requests: one of '],
    ['limit', { limit: 0 }, 'Invalid "limit" for list_network_requests: at least 1, got number 0.'],
    ['limit max', { limit: 501 }, 'Invalid "limit" for list_network_requests: at most 500, got number 501.'],
    ['offset', { offset: -1 }, 'Invalid "offset" for list_network_requests: 0 or more, got number -1.'],
  ];
  for (const [what, args, expected] of badInputs) {
    test(`refuses a bad ${what}`, async () => {
      const { s } = await captured();
      const result = await s.call('list_network_requests', args);
      assert.equal(result.isError, true);
      assert.ok(result.text.startsWith(expected), result.text);
    });
  }
});

describe('get_request_details and confirm_output', () => {
  test('a cut body offers a one-time token that saves exactly that body', async () => {
    const { s } = await captured();
    const details = await s.call('get_request_details', { index: 2 });
    assert.equal(details.isError, false, details.text);
    assert.ok(
      details.text.includes(`Response Body:\n${JSON_BODY.slice(0, 500)}\n... [${JSON_BODY.length - 500} more chars]`),
      details.text,
    );
    const token = String(details.structured?.confirmToken);
    assert.match(token, /^cfm_[0-9a-f]{16}$/);
    assert.deepEqual(details.structured?.truncatedBodies, ['response']);
    assert.ok(details.text.endsWith(`confirm_output {"token":"${token}"} (one use, expires in 10 min).`));
    const saved = await s.call('confirm_output', { token });
    assert.equal(saved.isError, false, saved.text);
    const path = join(s.outputDir, 'network-bodies', '2-response-api_json.json');
    assert.equal(saved.text, `Saved:\nresponse body → ${path} (${JSON_BODY.length} bytes)`);
    assert.equal(readFileSync(path, 'utf8'), JSON_BODY);
    const reused = await s.call('confirm_output', { token });
    assert.equal(reused.isError, true);
    assert.equal(
      reused.text,
      `Unknown or already used token "${token}". Call the tool that gave it (get_request_details, evaluate_script) again for a new one.`,
    );
  });

  test('secrets are redacted in details unless the session exposes them', async () => {
    const { s } = await captured();
    const redacted = await s.call('get_request_details', { index: 3 });
    assert.match(
      redacted.text,
      /Request Body:\n\{\n {2}"user": "ada",\n {2}"password": "<redacted>",\n {2}"nested": \{\n {4}"refresh_token": "<redacted>"\n {2}\}\n\}/,
    );
    assert.match(redacted.text, /Response Body:\n\{\n {2}"token": "<redacted>",\n {2}"user": "a"\n\}/);
    assert.equal(redacted.text.includes('tok-SECRET-123'), false);
    await s.close();
    const exposed = await captured([], { exposeSensitiveNetworkData: true });
    const shown = await exposed.s.call('get_request_details', { index: 3 });
    assert.match(shown.text, /"token": "tok-SECRET-123"/);
  });

  test('an index that is not there says which are', async () => {
    const { s } = await captured();
    const missing = await s.call('get_request_details', { index: 99 });
    assert.match(missing.text, /^No entry \[99\] in capture-\d+: valid indexes are 0–13\. Use list_network_requests to find one\.$/);
    await s.call('clear_network_capture');
    const empty = await s.call('get_request_details', { index: 0 });
    assert.match(empty.text, /^No entry \[0\] in capture-\d+: the capture is empty\./);
    const noIndex = await s.call('get_request_details', {});
    assert.equal(noIndex.text, 'Missing "index" for get_request_details: it is required.');
    const negative = await s.call('get_request_details', { index: -1 });
    assert.equal(negative.text, 'Invalid "index" for get_request_details: 0 or more, got number -1.');
  });

  test('a token outlives neither its entry, its capture nor its session', async () => {
    const { s, bidi } = await captured();
    const token = async (): Promise<string> => String((await s.call('get_request_details', { index: 2 })).structured?.confirmToken);
    const cleared = await token();
    await s.call('clear_network_capture');
    assert.match(
      (await s.call('confirm_output', { token: cleared })).text,
      /^Entry \[2\] is no longer in capture-\d+ \(the capture was cleared or maxEntries dropped it\); its bodies are gone\.$/,
    );

    bidi.bodies.set(`response:${JSON_REQUEST}`, { type: 'string', value: JSON_BODY });
    await s.call('stop_network_capture');
    await s.call('start_network_capture');
    bidi.replay(CHROMIUM);
    await waitForBodies(s);
    const listed = await s.call('list_network_requests', { urlFilter: '/api/json' });
    const index = (listed.structured?.indexes as number[])[0];
    const replacedToken = String((await s.call('get_request_details', { index })).structured?.confirmToken);
    await s.call('stop_network_capture');
    await s.call('start_network_capture');
    const kept = await s.call('confirm_output', { token: replacedToken });
    assert.equal(kept.isError, false, `a capture kept beside a newer one still serves its token: ${kept.text}`);
    const droppedToken = String((await s.call('get_request_details', { index })).structured?.confirmToken);
    for (let round = 0; round < 10; round += 1) {
      await s.call('stop_network_capture');
      await s.call('start_network_capture');
    }
    assert.match(
      (await s.call('confirm_output', { token: droppedToken })).text,
      /^Capture capture-\d+ was dropped from chrome-1 \(a session keeps at most 10 captures\); its entries are gone\.$/,
    );
  });

  test('a token of a closed session, and malformed tokens', async () => {
    const { s } = await captured();
    const token = String((await s.call('get_request_details', { index: 2 })).structured?.confirmToken);
    await s.call('close_session');
    assert.equal((await s.call('confirm_output', { token })).text, 'Session chrome-1 is closed; its bodies are gone.');
    assert.equal(
      (await s.call('confirm_output', { token: 'cfm_123' })).text,
      'Invalid "token" for confirm_output: a token like cfm_0123456789abcdef, got "cfm_123".',
    );
    assert.equal((await s.call('confirm_output', {})).text, 'Missing "token" for confirm_output: it is required.');
    assert.equal(
      (await s.call('confirm_output', { token: 'cfm_0123456789abcdef' })).text,
      'Unknown or already used token "cfm_0123456789abcdef". Call the tool that gave it (get_request_details, evaluate_script) again for a new one.',
    );
  });

  test('a disk error is reported and leaves no partial file', async () => {
    const { s } = await captured();
    const token = String((await s.call('get_request_details', { index: 2 })).structured?.confirmToken);
    writeFileSync(join(s.outputDir, 'network-bodies'), 'a file where the directory should be');
    const failed = await s.call('confirm_output', { token });
    assert.equal(failed.isError, true);
    assert.equal(
      failed.text,
      `confirm_output failed: Could not write ${join(s.outputDir, 'network-bodies', '2-response-api_json.json')}: ` +
        'a parent of the path is a file, not a directory. Nothing was saved there; free space or choose another --output-dir.',
    );
  });
});

describe('export_har', () => {
  test('writes HAR 1.2 inside the output directory, redacted', async () => {
    const { s } = await captured();
    const exported = await s.call('export_har', { path: 'har/page.har' });
    assert.equal(exported.isError, false, exported.text);
    const path = join(s.outputDir, 'har', 'page.har');
    assert.equal(exported.text, `Wrote HAR 1.2 with 14 entries (6 WebSocket messages, bodies included, redacted) to ${path}.`);
    const har = JSON.parse(readFileSync(path, 'utf8')) as {
      log: { version: string; entries: Array<{ response: { content: { text?: string } } }> };
    };
    assert.equal(har.log.version, '1.2');
    assert.equal(har.log.entries.length, 14);
    assert.equal(readFileSync(path, 'utf8').includes('tok-SECRET-123'), false);
    assert.equal(har.log.entries[2]?.response.content.text, JSON_BODY);
    const defaultPath = await s.call('export_har', { includeBodies: false });
    assert.match(String(defaultPath.structured?.path), new RegExp(`^${s.outputDir}/har/chrome-1-capture-\\d+\\.har$`));
    assert.match(defaultPath.text, /bodies omitted, redacted/);
  });

  test('refuses paths outside the output directory unless allowed', async () => {
    const { s } = await captured();
    const outside = await s.call('export_har', { path: '../escape.har' });
    assert.equal(outside.isError, true);
    assert.equal(
      outside.text,
      `export_har failed: Path "../escape.har" is outside the output directory ${s.outputDir}; give a path inside it (relative paths are resolved there).`,
    );
    const absolute = await s.call('export_har', { path: '/tmp/bidiscope-unit-absolute.har' });
    assert.match(absolute.text, /^export_har failed: Path "\/tmp\/bidiscope-unit-absolute\.har" is outside the output directory/);
    assert.equal(existsSync('/tmp/bidiscope-unit-absolute.har'), false);
    const nul = await s.call('export_har', { path: 'a\0b.har' });
    assert.equal(nul.text, 'Invalid "path" for export_har: a path without NUL characters, got "a\\u0000b.har".');
  });

  test('--allow-absolute-paths lets a path leave the output directory', async () => {
    const { s } = await captured(['--allow-absolute-paths']);
    const target = join(s.outputDir, '..', `bidiscope-unit-${process.pid}.har`);
    try {
      const exported = await s.call('export_har', { path: target });
      assert.equal(exported.isError, false, exported.text);
      assert.equal(existsSync(target), true);
    } finally {
      if (existsSync(target)) chmodSync(target, 0o600);
      await import('node:fs/promises').then((fs) => fs.rm(target, { force: true }));
    }
  });
});
