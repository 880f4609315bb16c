import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { jsonBodyText } from '../site/bodies.js';
import { startTestSite, type TestSite } from '../site/server.js';
import { BROWSERS, removeTestDirs, startServer, type ServerUnderTest } from '../helpers/mcp-server.js';
import {
  assertSitePageCaptured,
  mixedUpRedirectChain,
  captureCounts,
  capturedData,
  loadSitePage,
  pathOf,
  waitFor,
  type CapturedData,
} from '../helpers/site-scenario.js';

let site: TestSite;
let server: ServerUnderTest;
const captured = new Map<string, CapturedData>();

before(async () => {
  site = await startTestSite();
  server = await startServer();
});
after(async () => {
  await server.close();
  removeTestDirs(server);
  await site.close();
});

async function openSession(browser: string): Promise<string> {
  const opened = await server.call('initialize_session', { browser });
  assert.equal(opened.isError, false, opened.text);
  return String(opened.structured?.sessionId);
}

/** Calls a tool that must succeed; fails the test with its text otherwise. */
async function expectOk(name: string, args: Record<string, unknown>): Promise<void> {
  const result = await server.call(name, args);
  assert.equal(result.isError, false, `${name}: ${result.text}`);
}

/** Details of the first entry whose URL matches. */
async function detailsCall(
  sessionId: string,
  urlFilter: string,
): Promise<{ text: string; structured: Record<string, unknown> | undefined }> {
  const listed = await server.call('list_network_requests', { sessionId, urlFilter });
  const index = (listed.structured?.indexes as number[] | undefined)?.[0];
  assert.notEqual(index, undefined, `no entry matches ${urlFilter}: ${listed.text}`);
  const details = await server.call('get_request_details', { sessionId, index });
  assert.equal(details.isError, false, details.text);
  return details;
}

/** Details text of the first entry whose URL matches. */
async function detailsOf(sessionId: string, urlFilter: string): Promise<string> {
  return (await detailsCall(sessionId, urlFilter)).text;
}

for (const browser of BROWSERS) {
  describe(`network capture on ${browser}`, () => {
    test('the test page yields every request, body, WebSocket frame and SSE event', async () => {
      const sessionId = await openSession(browser);
      const started = await server.call('start_network_capture', { sessionId, captureBodies: 'all' });
      assert.equal(started.isError, false, started.text);
      const again = await server.call('start_network_capture', { sessionId });
      assert.equal(again.isError, true);
      assert.match(again.text, /already active/);
      const before = await captureCounts(server, sessionId);
      assert.equal(before.requests, 0);

      await loadSitePage(server, sessionId, site.origin);
      const moving = await captureCounts(server, sessionId);
      assert.ok(moving.requests >= 13, `requests counted while active: ${JSON.stringify(moving)}`);

      // Bodies: JSON, gzip (decoded), POST request body.
      // /api/json: the preview is the body's first 500 characters, and the full body saved is the one the site sent.
      const json = await detailsCall(sessionId, '/api/json');
      const jsonBody = jsonBodyText();
      assert.ok(
        json.text.includes(`Response Body:\n${jsonBody.slice(0, 500)}\n... [${jsonBody.length - 500} more chars] (previewCoverage≈23%)\n`),
        json.text,
      );
      assert.deepEqual(json.structured?.truncatedBodies, ['response'], json.text);
      const saved = await server.call('confirm_output', { token: json.structured?.confirmToken });
      assert.equal(saved.isError, false, saved.text);
      const savedPath = (saved.structured?.files as Array<{ path: string }>)[0]?.path;
      assert.equal(readFileSync(String(savedPath), 'utf8'), jsonBody);
      const gzip = await detailsOf(sessionId, '/gzip');
      assert.match(gzip, /Response Body:\n\{/);
      const login = await detailsOf(sessionId, '/api/login');
      assert.match(login, /Request Body:[\s\S]*"user": "ada"/);

      const stopped = await server.call('stop_network_capture', { sessionId });
      assert.equal(stopped.isError, false, stopped.text);
      const stopTwice = await server.call('stop_network_capture', { sessionId });
      assert.equal(stopTwice.isError, true);
      assert.match(stopTwice.text, /already stopped/);

      const data = capturedData(stopped.structured);
      captured.set(browser, data);
      assertSitePageCaptured(data);

      await expectOk('close_session', { sessionId });
    });

    test('capture survives navigation, clears, and a 1,000-request page is captured completely', async () => {
      const sessionId = await openSession(browser);
      await expectOk('start_network_capture', { sessionId, captureBodies: 'none' });
      await expectOk('navigate', { sessionId, url: `${site.origin}/blank` });
      const first = await server.call('list_network_requests', { sessionId, urlFilter: '/blank' });
      const firstIndex = (first.structured?.indexes as number[])[0];
      await expectOk('navigate', { sessionId, url: `${site.origin}/many?n=1000&auto=1` });
      await waitFor(
        '1000 fetches',
        async () => {
          const done = await server.call('evaluate_script', { sessionId, expression: 'window.__manyDone' });
          return done.structured?.result === 1000 ? true : undefined;
        },
        90_000,
      );
      const tiny = await waitFor('1000 completed entries', async () => {
        const listed = await server.call('list_network_requests', { sessionId, urlFilter: '/tiny?', status: 200, limit: 1 });
        return listed.structured?.total === 1000 ? listed : undefined;
      });
      assert.equal(tiny.structured?.total, 1000);
      const stillFirst = await server.call('list_network_requests', { sessionId, urlFilter: '/blank' });
      assert.equal((stillFirst.structured?.indexes as number[])[0], firstIndex, 'indexes are stable across navigation');

      const cleared = await server.call('clear_network_capture', { sessionId });
      assert.equal(cleared.isError, false, cleared.text);
      assert.ok(Number(cleared.structured?.cleared) >= 1002);
      const empty = await captureCounts(server, sessionId);
      assert.equal(empty.retained, 0);
      await expectOk('navigate', { sessionId, url: `${site.origin}/blank` });
      const afterClear = await waitFor('recording after clear', async () => {
        const listed = await server.call('list_network_requests', { sessionId, urlFilter: '/blank' });
        return listed.structured?.total === 1 ? (listed.structured.indexes as number[])[0] : undefined;
      });
      assert.ok(afterClear >= Number(cleared.structured?.cleared), `the entry after clear got a new index: ${afterClear}`);
      await expectOk('close_session', { sessionId });
    });

    test('maxEntries bounds the store and filters apply while recording', async () => {
      const sessionId = await openSession(browser);
      await expectOk('start_network_capture', { sessionId, captureBodies: 'none', maxEntries: 100, urlFilter: '/tiny' });
      await expectOk('navigate', { sessionId, url: `${site.origin}/many?n=500&auto=1` });
      await waitFor(
        '500 fetches',
        async () => {
          const done = await server.call('evaluate_script', { sessionId, expression: 'window.__manyDone' });
          return done.structured?.result === 500 ? true : undefined;
        },
        60_000,
      );
      const counts = await waitFor('500 requests counted', async () => {
        const current = await captureCounts(server, sessionId);
        return current.requests >= 500 ? current : undefined;
      });
      assert.equal(counts.retained, 100);
      assert.equal(counts.dropped, 400);
      assert.ok(counts.filtered >= 1, 'the page itself was filtered out');
      const listed = await server.call('list_network_requests', { sessionId, limit: 5 });
      assert.match(listed.text, /400 older entries were dropped/);
      const gone = await server.call('get_request_details', { sessionId, index: 0 });
      assert.equal(gone.isError, true);
      assert.match(gone.text, /dropped by maxEntries/);
      await expectOk('close_session', { sessionId });
    });
  });
}

test('Chromium and Firefox agree on method, URL, status and bodies for the same page', () => {
  const chrome = captured.get('chrome');
  const firefox = captured.get('firefox');
  assert.ok(chrome && firefox, 'both browsers captured the page');
  // A redirect chain Chromium's mapper mixed up (flagged by the model) is left out of the comparison, in both.
  const mixedUp = new Set([...mixedUpRedirectChain(chrome), ...mixedUpRedirectChain(firefox)]);
  const summarize = (data: CapturedData) =>
    new Map(
      data.requests
        .filter((request) => !request.url.includes('/dead') && !request.url.endsWith('/favicon.ico') && !request.url.endsWith('/ws'))
        .filter((request) => !mixedUp.has(pathOf(request.url)))
        .map((request) => {
          const response = data.responses.find((item) => item.index === request.index);
          return [pathOf(request.url), `${request.method} ${response?.status ?? request.state} ${response?.bodyState ?? '-'}`];
        }),
    );
  assert.deepEqual(summarize(chrome), summarize(firefox));
});

test('two sessions capture independently', async () => {
  const chromeId = await openSession('chrome');
  const firefoxId = await openSession('firefox');
  try {
    await expectOk('start_network_capture', { sessionId: chromeId, captureBodies: 'none' });
    await expectOk('start_network_capture', { sessionId: firefoxId, captureBodies: 'none' });
    await expectOk('navigate', { sessionId: chromeId, url: `${site.origin}/many?n=20&auto=1` });
    await waitFor('20 fetches in Chromium', async () => {
      const listed = await server.call('list_network_requests', { sessionId: chromeId, urlFilter: '/tiny', limit: 1 });
      return listed.structured?.total === 20 ? true : undefined;
    });
    await expectOk('navigate', { sessionId: firefoxId, url: `${site.origin}/blank` });
    const firefoxTiny = await server.call('list_network_requests', { sessionId: firefoxId, urlFilter: '/tiny', limit: 1 });
    assert.equal(firefoxTiny.structured?.total, 0);
    const firefoxBlank = await server.call('list_network_requests', { sessionId: firefoxId, urlFilter: '/blank', limit: 1 });
    assert.equal(firefoxBlank.structured?.total, 1);
    const chromeBlank = await server.call('list_network_requests', { sessionId: chromeId, urlFilter: '/blank', limit: 1 });
    assert.equal(chromeBlank.structured?.total, 0);
  } finally {
    await expectOk('close_session', { sessionId: chromeId });
    await expectOk('close_session', { sessionId: firefoxId });
  }
});

for (const browser of BROWSERS) {
  test(`maxTotalBodyBytes on ${browser}: once the budget is used, a later text body is not kept and is counted`, async () => {
    const sessionId = await openSession(browser);
    try {
      const started = await server.call('start_network_capture', { sessionId, captureBodies: 'text', maxTotalBodyBytes: 1024 });
      assert.equal(started.isError, false, started.text);
      // First a ~2 KB JSON document: kept whole, and the budget (1 KB) is used up by it.
      const first = await server.call('navigate', { sessionId, url: `${site.origin}/api/json` });
      assert.equal(first.isError, false, first.text);
      await waitFor('the first body fetched', async () => {
        const counts = await captureCounts(server, sessionId);
        const listed = await server.call('list_network_requests', { sessionId, urlFilter: '/api/json' });
        return counts.bodiesPending === 0 && listed.structured?.total === 1 ? true : undefined;
      });
      const kept = await server.call('get_network_capture_status', { sessionId });
      assert.equal((kept.structured?.extraStats as Record<string, number>).bodiesSkippedForBudget, 0, kept.text);
      // Then a text body over the budget: not kept, and said so.
      const second = await server.call('navigate', { sessionId, url: `${site.origin}/gzip` });
      assert.equal(second.isError, false, second.text);
      const status = await waitFor('the second body settled', async () => {
        const current = await server.call('get_network_capture_status', { sessionId });
        const extra = current.structured?.extraStats as Record<string, number>;
        return extra.bodiesPending === 0 && (extra.bodiesSkippedForBudget ?? 0) >= 1 ? current : undefined;
      });
      const extra = status.structured?.extraStats as Record<string, number>;
      assert.equal(extra.bodiesSkippedForBudget, 1, status.text);
      assert.equal(extra.bodiesStoredBytes, jsonBodyText().length, status.text);
      assert.match(status.text, /, 1 bodies over budget\.$/);
      const details = await detailsOf(sessionId, '/gzip');
      assert.match(details, /Response Body:\n\(unavailable: the capture's total body budget is used up; the body was not kept\)/);
    } finally {
      await expectOk('close_session', { sessionId });
    }
  });
}
