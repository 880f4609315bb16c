import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startTestSite, type TestSite } from '../site/server.js';
import { BROWSERS, removeTestDirs, startServer, type ServerUnderTest } from '../helpers/mcp-server.js';
import { waitFor } from '../helpers/site-scenario.js';
import { ANSWER_FROM_ANOTHER_HOP_NOTE } from '../../src/model/bidi/redirect-race.js';

let site: TestSite;
let server: ServerUnderTest;

before(async () => {
  site = await startTestSite();
  server = await startServer();
});
after(async () => {
  await server.close();
  removeTestDirs(server);
  await site.close();
});

/** What the page's fetch of `url` gave: `status body` or `error Name`, and how long it took (page clock). */
interface Fetched {
  outcome: string;
  ms: number;
}

const FETCH = `async (url, init) => {
  const start = performance.now();
  try {
    const response = await fetch(url, init ?? {});
    const text = await response.text();
    return { outcome: response.status + ' ' + text, ms: performance.now() - start };
  } catch (error) {
    return { outcome: 'error ' + error.name, ms: performance.now() - start };
  }
}`;

async function pageFetch(sessionId: string, url: string, init?: Record<string, unknown>): Promise<Fetched> {
  const result = await server.call('evaluate_script', { sessionId, function: FETCH, args: init ? [url, init] : [url] });
  assert.equal(result.isError, false, result.text);
  return result.structured?.result as Fetched;
}

async function addRule(sessionId: string, rule: Record<string, unknown>): Promise<string> {
  const added = await server.call('add_network_rule', { sessionId, ...rule });
  assert.equal(added.isError, false, added.text);
  return String(added.structured?.ruleId);
}

function receivedPaths(): string[] {
  return site.received.map((request) => request.path);
}

for (const browser of BROWSERS) {
  describe(`traffic shaping on ${browser}`, () => {
    test('block, respond, modify, delay, times, first match, remove — and captured entries say what acted', async () => {
      const opened = await server.call('initialize_session', { browser });
      assert.equal(opened.isError, false, opened.text);
      const sessionId = String(opened.structured?.sessionId);
      await server.call('navigate', { sessionId, url: `${site.origin}/blank` });
      const started = await server.call('start_network_capture', { sessionId });
      assert.equal(started.isError, false, started.text);
      const tag = `${browser}-${Date.now()}`;

      // block: the page's fetch rejects; the server never sees it.
      const blockId = await addRule(sessionId, { urlFilter: `${site.origin}/tiny?i=block-${tag}`, action: { type: 'block' } });
      const blocked = await pageFetch(sessionId, `/tiny?i=block-${tag}`);
      assert.equal(blocked.outcome, 'error TypeError');
      assert.ok(!receivedPaths().includes(`/tiny?i=block-${tag}`), 'a blocked request reached the server');

      // respond: the page gets the mocked answer; the server never sees the request. Its token is not listed in clear.
      const mocked = JSON.stringify({ mocked: true, token: 'sk-shaping-secret-0123456789' });
      const respondId = await addRule(sessionId, {
        urlFilter: `/api/xhr?q=mock-${tag}`,
        methods: ['GET'],
        action: { type: 'respond', status: 503, headers: { 'content-type': 'application/json' }, body: mocked },
      });
      const answered = await pageFetch(sessionId, `/api/xhr?q=mock-${tag}`);
      assert.equal(answered.outcome, `503 ${mocked}`);
      assert.ok(!receivedPaths().includes(`/api/xhr?q=mock-${tag}`), 'a mocked request reached the server');

      // modify: the server sees the header.
      await addRule(sessionId, {
        urlFilter: `*/tiny?i=modify-${tag}`,
        action: { type: 'modify', setHeaders: { 'x-shaped': 'yes' }, removeHeaders: ['x-drop-me'] },
      });
      const modified = await pageFetch(sessionId, `/tiny?i=modify-${tag}`, { headers: { 'x-drop-me': '1' } });
      assert.match(modified.outcome, /^200 /);
      const seen = site.received.find((request) => request.path === `/tiny?i=modify-${tag}`);
      assert.equal(seen?.headers['x-shaped'], 'yes');
      assert.equal(seen?.headers['x-drop-me'], undefined);

      // delay: the page measures at least the delay.
      await addRule(sessionId, { urlFilter: `/tiny?i=delay-${tag}`, action: { type: 'delay', ms: 800 } });
      const delayed = await pageFetch(sessionId, `/tiny?i=delay-${tag}`);
      assert.match(delayed.outcome, /^200 /);
      assert.ok(delayed.ms >= 795, `delayed fetch took ${delayed.ms} ms`);

      // times + first match wins: the first rule answers twice, then the second takes over.
      await addRule(sessionId, { urlFilter: `/tiny?i=times-${tag}`, times: 2, action: { type: 'respond', status: 418, body: 'first' } });
      await addRule(sessionId, { urlFilter: `/tiny?i=times-${tag}`, action: { type: 'respond', status: 202, body: 'second' } });
      const outcomes: string[] = [];
      for (let i = 0; i < 3; i++) outcomes.push((await pageFetch(sessionId, `/tiny?i=times-${tag}`)).outcome);
      assert.deepEqual(outcomes, ['418 first', '418 first', '202 second']);

      const listed = await server.call('list_network_rules', { sessionId });
      assert.equal(listed.isError, false, listed.text);
      assert.ok(!listed.text.includes('sk-shaping-secret'), `a respond body's token is listed in clear: ${listed.text}`);
      const rules = listed.structured?.rules as Array<{ ruleId: string; hits: number; state: string; times?: number }>;
      assert.deepEqual(
        rules.map((rule) => [rule.hits, rule.state]),
        [
          [1, 'active'],
          [1, 'active'],
          [1, 'active'],
          [1, 'active'],
          [2, 'expired'],
          [1, 'active'],
        ],
      );
      assert.equal(rules[0]?.ruleId, blockId);

      // The capture says what acted: list line, details, HAR.
      const line = await waitFor('the mocked entry in the capture', async () => {
        const found = await server.call('list_network_requests', { sessionId, urlFilter: `q=mock-${tag}` });
        return found.text.includes(`(rule ${respondId}: respond 503)`) ? found : undefined;
      });
      const index = (line.structured?.indexes as number[])[0];
      const details = await server.call('get_request_details', { sessionId, index });
      assert.match(details.text, new RegExp(`Shaped: rule ${respondId}: respond 503`));
      const har = await server.call('export_har', { sessionId, path: `har/shaping-${tag}.har` });
      assert.equal(har.isError, false, har.text);
      const harJson = JSON.parse(readFileSync(String(har.structured?.path), 'utf8')) as {
        log: { entries: Array<{ request: { url: string }; _bidiscope?: { shapedBy: string } }> };
      };
      const harEntry = harJson.log.entries.find((entry) => entry.request.url.includes(`q=mock-${tag}`));
      assert.equal(harEntry?._bidiscope?.shapedBy, `rule ${respondId}: respond 503`);

      // remove: the blocked URL goes through again.
      const removed = await server.call('remove_network_rule', { sessionId, ruleId: blockId });
      assert.deepEqual(removed.structured?.removed, [blockId]);
      assert.match((await pageFetch(sessionId, `/tiny?i=block-${tag}`)).outcome, /^200 /);
      const unknown = await server.call('remove_network_rule', { sessionId, ruleId: blockId });
      assert.equal(unknown.isError, true);
      assert.match(unknown.text, /"ruleId"/);
      const all = await server.call('remove_network_rule', { sessionId, all: true });
      assert.equal((all.structured?.removed as string[]).length, 5);
      assert.match((await pageFetch(sessionId, `/api/xhr?q=mock-${tag}`)).outcome, /^200 /);

      await server.call('close_session', { sessionId });
      const onClosed = await server.call('add_network_rule', { sessionId, urlFilter: '/x', action: { type: 'block' } });
      assert.equal(onClosed.isError, true);
    });

    test('modify rewrites the method and body (and, in Chromium, the URL); Firefox refuses a URL rewrite and says why', async () => {
      const opened = await server.call('initialize_session', { browser });
      const sessionId = String(opened.structured?.sessionId);
      await server.call('navigate', { sessionId, url: `${site.origin}/blank` });
      const tag = `${browser}-${Date.now()}`;
      await addRule(sessionId, {
        urlFilter: `/tiny?i=body-${tag}`,
        action: { type: 'modify', method: 'PUT', body: '{"rewritten":true}', setHeaders: { 'content-type': 'application/json' } },
      });
      assert.match((await pageFetch(sessionId, `/tiny?i=body-${tag}`, { method: 'POST', body: 'orig' })).outcome, /^200 /);
      const seen = await waitFor('the rewritten request at the server', async () => {
        const found = site.received.find((request) => request.path === `/tiny?i=body-${tag}`);
        return found?.body !== undefined ? found : undefined;
      });
      assert.equal(seen.method, 'PUT', JSON.stringify(site.received.filter((request) => request.path.includes(`body-${tag}`))));
      assert.equal(seen.body, '{"rewritten":true}', 'the whole new body arrives (content-length follows it)');

      const rewrite = { urlFilter: `/tiny?i=from-${tag}`, action: { type: 'modify', url: `${site.origin}/tiny?i=to-${tag}` } };
      if (browser === 'firefox') {
        const refused = await server.call('add_network_rule', { sessionId, ...rewrite });
        assert.equal(refused.isError, true, refused.text);
        assert.match(refused.text, /"action\.url": Firefox aborts[\s\S]*"respond","status":307/);
      } else {
        await addRule(sessionId, rewrite);
        assert.match((await pageFetch(sessionId, `/tiny?i=from-${tag}`)).outcome, /^200 /);
        assert.ok(receivedPaths().includes(`/tiny?i=to-${tag}`), 'the new URL reached the server');
        assert.ok(!receivedPaths().includes(`/tiny?i=from-${tag}`), 'the original URL reached the server');
      }
      // A redirect answered by a rule works in both browsers.
      await addRule(sessionId, {
        urlFilter: `/tiny?i=moved-${tag}`,
        action: { type: 'respond', status: 307, headers: { location: `/tiny?i=target-${tag}` } },
      });
      assert.match((await pageFetch(sessionId, `/tiny?i=moved-${tag}`)).outcome, /^200 /);
      assert.ok(receivedPaths().includes(`/tiny?i=target-${tag}`));
      assert.ok(!receivedPaths().includes(`/tiny?i=moved-${tag}`));
      await server.call('close_session', { sessionId });
    });

    test('offline, extra headers and latency', async () => {
      const opened = await server.call('initialize_session', { browser });
      const sessionId = String(opened.structured?.sessionId);
      await server.call('navigate', { sessionId, url: `${site.origin}/blank` });
      const tag = `${browser}-${Date.now()}`;

      const offline = await server.call('set_network_conditions', { sessionId, offline: true });
      assert.equal(offline.isError, false, offline.text);
      assert.equal(offline.structured?.offline, true);
      assert.equal((await pageFetch(sessionId, `/tiny?i=offline-${tag}`)).outcome, 'error TypeError');
      assert.ok(!receivedPaths().includes(`/tiny?i=offline-${tag}`));
      await server.call('set_network_conditions', { sessionId, offline: false });
      assert.match((await pageFetch(sessionId, `/tiny?i=online-${tag}`)).outcome, /^200 /);

      const headers = await server.call('set_network_conditions', {
        sessionId,
        extraHeaders: { 'x-extra': 'on' },
        cache: 'bypass',
        latencyMs: 600,
      });
      assert.equal(headers.isError, false, headers.text);
      const slowed = await pageFetch(sessionId, `/tiny?i=extra-${tag}`);
      assert.match(slowed.outcome, /^200 /);
      assert.ok(slowed.ms >= 595, `latency 600 ms, fetch took ${slowed.ms} ms`);
      assert.equal(site.received.find((request) => request.path === `/tiny?i=extra-${tag}`)?.headers['x-extra'], 'on');
      await server.call('set_network_conditions', { sessionId, latencyMs: 0, extraHeaders: {} });
      assert.match((await pageFetch(sessionId, `/tiny?i=plain-${tag}`)).outcome, /^200 /);
      assert.equal(site.received.find((request) => request.path === `/tiny?i=plain-${tag}`)?.headers['x-extra'], undefined);
      await server.call('close_session', { sessionId });
    });

    test('bad rules are refused naming the field; a held request does not stall close', async () => {
      const opened = await server.call('initialize_session', { browser });
      const sessionId = String(opened.structured?.sessionId);
      await server.call('navigate', { sessionId, url: `${site.origin}/blank` });
      const cases: Array<[Record<string, unknown>, RegExp]> = [
        [{ urlFilter: '/(a/', action: { type: 'block' } }, /"urlFilter"/],
        [{ urlFilter: '/x', action: { type: 'explode' } }, /"action(\.type)?"/],
        [{ urlFilter: '/x', action: { type: 'respond', status: 200, body: 'a', bodyBase64: 'YQ==' } }, /"action\.bodyBase64"/],
        [{ urlFilter: '/x', action: { type: 'modify', setHeaders: { 'bad name': 'v' } } }, /"action\.setHeaders"/],
      ];
      for (const [args, field] of cases) {
        const refused = await server.call('add_network_rule', { sessionId, ...args });
        assert.equal(refused.isError, true, JSON.stringify(args));
        assert.match(refused.text, field);
      }
      const none = await server.call('list_network_rules', { sessionId });
      assert.deepEqual(none.structured?.rules, [], 'nothing half-installed');

      await addRule(sessionId, { urlFilter: 'i=slow-held', action: { type: 'delay', ms: 60_000 } });
      await server.call('evaluate_script', { sessionId, expression: `void fetch('/tiny?i=slow-held'); 1` });
      await waitFor('the request to be held', async () => {
        const listed = await server.call('list_network_rules', { sessionId });
        return (listed.structured?.rules as Array<{ hits: number }>)[0]?.hits === 1 ? true : undefined;
      });
      const startedAt = Date.now();
      const closed = await server.call('close_session', { sessionId });
      assert.equal(closed.isError, false, closed.text);
      assert.ok(Date.now() - startedAt < 20_000, `close took ${Date.now() - startedAt} ms with a held request`);
    });
  });
}

/** True when some captured entry says the browser gave it another hop's answer (get_request_details notes). */
async function hasMixedUpAnswer(sessionId: string): Promise<boolean> {
  const listed = await server.call('list_network_requests', { sessionId, limit: 100 });
  for (const index of (listed.structured?.indexes as number[] | undefined) ?? []) {
    const details = await server.call('get_request_details', { sessionId, index });
    if (details.text.includes(ANSWER_FROM_ANOTHER_HOP_NOTE)) return true;
  }
  return false;
}

/** Step results of the test site's main page (`window.__siteResults`). */
async function siteResults(sessionId: string): Promise<Array<{ step: string; ok: boolean; detail: string }>> {
  await waitFor(
    'the replayed page to finish',
    async () => {
      const done = await server.call('evaluate_script', { sessionId, expression: 'window.__siteDone === true' });
      return done.structured?.result === true ? true : undefined;
    },
    60_000,
  );
  const results = await server.call('evaluate_script', { sessionId, expression: 'window.__siteResults' });
  return results.structured?.result as Array<{ step: string; ok: boolean; detail: string }>;
}

for (const [recorder, replayer] of [
  ['chrome', 'firefox'],
  ['firefox', 'chrome'],
] as const) {
  describe(`a HAR recorded in ${recorder} replays in ${replayer} with the server gone`, () => {
    test('every step but the WebSocket completes from the HAR', async () => {
      const own = await startTestSite();
      // Chromium's mapper sometimes mixes up the redirect chain's answers (flagged in the entries' notes,
      // docs/browser-facts.md): such a recording cannot replay the chain, so it is recorded again (at most 3 times).
      let harPath = '';
      let harDir = '';
      for (let attempt = 1; attempt <= 3; attempt++) {
        const recording = await server.call('initialize_session', { browser: recorder });
        const recordId = String(recording.structured?.sessionId);
        await server.call('start_network_capture', { sessionId: recordId, captureBodies: 'all' });
        await server.call('navigate', { sessionId: recordId, url: `${own.origin}/` });
        const live = await siteResults(recordId);
        assert.deepEqual(
          live.filter((step) => !step.ok),
          [],
          'the live page works',
        );
        await waitFor('bodies fetched', async () => {
          const status = await server.call('get_network_capture_status', { sessionId: recordId });
          return (status.structured?.extraStats as { bodiesPending: number }).bodiesPending === 0 ? true : undefined;
        });
        harPath = `har/replay-${recorder}-${Date.now()}.har`;
        const exported = await server.call('export_har', { sessionId: recordId, path: harPath });
        assert.equal(exported.isError, false, exported.text);
        harDir = dirname(String(exported.structured?.path));
        const mixedUp = await hasMixedUpAnswer(recordId);
        await server.call('close_session', { sessionId: recordId });
        if (!mixedUp) break;
        assert.ok(attempt < 3, 'the redirect chain was mixed up in three recordings');
      }
      await own.close();

      const replaying = await server.call('initialize_session', { browser: replayer });
      const sessionId = String(replaying.structured?.sessionId);
      const replayed = await server.call('replay_har', { sessionId, path: harPath });
      assert.equal(replayed.isError, false, replayed.text);
      assert.ok(Number(replayed.structured?.servable) >= 12, replayed.text);
      assert.match(replayed.text, /WebSocket/);
      await server.call('start_network_capture', { sessionId });
      // Chromium (chromedriver's BiDi) sometimes reports and pauses no hop after a 3xx answered by provideResponse, so
      // that hop goes to the (stopped) server: docs/browser-facts.md. Only that may fail, and a reload must succeed.
      let failed: string[] = [];
      for (let attempt = 1; attempt <= 4; attempt++) {
        const nav = await server.call('navigate', { sessionId, url: `${own.origin}/` });
        assert.equal(nav.isError, false, nav.text);
        const results = await siteResults(sessionId);
        assert.equal(results.length, 11);
        failed = results.filter((step) => !step.ok && step.step !== 'ws').map((step) => `${step.step}: ${step.detail}`);
        const knownChromiumGap = replayer === 'chrome' && failed.length === 1 && failed[0]?.startsWith('redirect:');
        if (failed.length === 0 || !knownChromiumGap) break;
      }
      if (failed.length > 0) {
        const entries = await server.call('list_network_requests', { sessionId, limit: 100 });
        assert.fail(`steps failed when replayed: ${failed.join('; ')}\n${entries.text}\n${replayed.text}`);
      }
      const redirected = await server.call('list_network_requests', { sessionId, urlFilter: '/final' });
      assert.match(redirected.text, /\(replayed from replay-/, 'the redirect chain was served from the HAR');
      const listed = await server.call('list_network_requests', { sessionId, urlFilter: '/api/json' });
      assert.match(listed.text, /\(replayed from replay-/);

      const bad = await server.call('replay_har', { sessionId, path: '../outside.har' });
      assert.equal(bad.isError, true);
      assert.match(bad.text, /"path"/);
      writeFileSync(join(harDir, 'not-json.har'), '{"log": [');
      writeFileSync(join(harDir, 'not-har.har'), '{"entries": []}');
      for (const [name, why] of [
        ['not-json.har', /not JSON/],
        ['not-har.har', /not a HAR 1\.2 file/],
        ['missing.har', /no such file/],
      ] as const) {
        const refused = await server.call('replay_har', { sessionId, path: `har/${name}` });
        assert.equal(refused.isError, true, refused.text);
        assert.match(refused.text, /Invalid "path"/);
        assert.match(refused.text, why);
      }
      const still = await server.call('list_network_rules', { sessionId });
      assert.match(
        String((still.structured?.replay as { file?: string } | undefined)?.file),
        /^replay-/,
        'a refused HAR leaves the replay in force',
      );
      await server.call('close_session', { sessionId });
    });
  });
}
