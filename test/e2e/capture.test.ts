import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestSite, type TestSite } from '../site/server.js';
import { BROWSERS, removeTestDirs, startServer, type ServerUnderTest } from '../helpers/mcp-server.js';
import { assertSitePageCaptured, captureCounts, capturedData, loadSitePage, pathOf, waitFor, type CapturedData } from '../helpers/site-scenario.js';

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

/** Details text of the first entry whose URL matches. */
async function detailsOf(sessionId: string, urlFilter: string): Promise<string> {
  const listed = await server.call('list_network_requests', { sessionId, urlFilter });
  const index = (listed.structured?.indexes as number[] | undefined)?.[0];
  assert.notEqual(index, undefined, `no entry matches ${urlFilter}: ${listed.text}`);
  const details = await server.call('get_request_details', { sessionId, index });
  assert.equal(details.isError, false, details.text);
  return details.text;
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
      assert.match(await detailsOf(sessionId, '/api/json'), /"items"|"name"|\{/);
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

      await server.call('close_session', { sessionId });
    });

    test('capture survives navigation, clears, and a 1,000-request page is captured completely', async () => {
      const sessionId = await openSession(browser);
      await server.call('start_network_capture', { sessionId, captureBodies: 'none' });
      await server.call('navigate', { sessionId, url: `${site.origin}/blank` });
      const first = await server.call('list_network_requests', { sessionId, urlFilter: '/blank' });
      const firstIndex = (first.structured?.indexes as number[])[0];
      await server.call('navigate', { sessionId, url: `${site.origin}/many?n=1000&auto=1` });
      await waitFor('1000 fetches', async () => {
        const done = await server.call('evaluate_script', { sessionId, expression: 'window.__manyDone' });
        return done.structured?.result === 1000 ? true : undefined;
      }, 90_000);
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
      await server.call('navigate', { sessionId, url: `${site.origin}/blank` });
      const afterClear = await waitFor('recording after clear', async () => {
        const counts = await captureCounts(server, sessionId);
        return counts.retained >= 1 ? counts : undefined;
      });
      assert.ok(afterClear.retained >= 1);
      await server.call('close_session', { sessionId });
    });

    test('maxEntries bounds the store and filters apply while recording', async () => {
      const sessionId = await openSession(browser);
      await server.call('start_network_capture', { sessionId, captureBodies: 'none', maxEntries: 100, urlFilter: '/tiny' });
      await server.call('navigate', { sessionId, url: `${site.origin}/many?n=500&auto=1` });
      await waitFor('500 fetches', async () => {
        const done = await server.call('evaluate_script', { sessionId, expression: 'window.__manyDone' });
        return done.structured?.result === 500 ? true : undefined;
      }, 60_000);
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
      await server.call('close_session', { sessionId });
    });
  });
}

test('Chromium and Firefox agree on method, URL, status and bodies for the same page', () => {
  const chrome = captured.get('chrome');
  const firefox = captured.get('firefox');
  assert.ok(chrome && firefox, 'both browsers captured the page');
  const summarize = (data: CapturedData) =>
    new Map(
      data.requests
        .filter((request) => !request.url.includes('/dead') && !request.url.endsWith('/favicon.ico') && !request.url.endsWith('/ws'))
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
    await server.call('start_network_capture', { sessionId: chromeId, captureBodies: 'none' });
    await server.call('start_network_capture', { sessionId: firefoxId, captureBodies: 'none' });
    await server.call('navigate', { sessionId: chromeId, url: `${site.origin}/many?n=20&auto=1` });
    await waitFor('20 fetches in Chromium', async () => {
      const listed = await server.call('list_network_requests', { sessionId: chromeId, urlFilter: '/tiny', limit: 1 });
      return listed.structured?.total === 20 ? true : undefined;
    });
    await server.call('navigate', { sessionId: firefoxId, url: `${site.origin}/blank` });
    const firefoxTiny = await server.call('list_network_requests', { sessionId: firefoxId, urlFilter: '/tiny', limit: 1 });
    assert.equal(firefoxTiny.structured?.total, 0);
    const firefoxBlank = await server.call('list_network_requests', { sessionId: firefoxId, urlFilter: '/blank', limit: 1 });
    assert.equal(firefoxBlank.structured?.total, 1);
    const chromeBlank = await server.call('list_network_requests', { sessionId: chromeId, urlFilter: '/blank', limit: 1 });
    assert.equal(chromeBlank.structured?.total, 0);
  } finally {
    await server.call('close_session', { sessionId: chromeId });
    await server.call('close_session', { sessionId: firefoxId });
  }
});

test('maxTotalBodyBytes stops keeping bodies once the budget is used and says how many', async () => {
  const sessionId = await openSession('chrome');
  try {
    await server.call('start_network_capture', { sessionId, captureBodies: 'all', maxTotalBodyBytes: 4096 });
    await loadSitePage(server, sessionId, site.origin);
    const status = await server.call('get_network_capture_status', { sessionId });
    const extra = status.structured?.extraStats as Record<string, number>;
    assert.ok((extra.bodiesSkippedForBudget ?? 0) >= 1, status.text);
    assert.match(status.text, /\d+ bodies over budget/);
    const details = await detailsOf(sessionId, '/large');
    assert.match(details, /total body budget is used up|binary application\/octet-stream/);
  } finally {
    await server.call('close_session', { sessionId });
  }
});
