import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { leftoverTempDirs, waitForNoProcessesMentioning, type ServerUnderTest } from './mcp-server.js';

/** The tools the short scenario needs. */
const SCENARIO_TOOLS = ['initialize_session', 'navigate', 'evaluate_script', 'list_sessions', 'close_session'];

/** Asserts that nothing the server started is left: no process mentions its TMPDIR profiles, no profile dir remains. */
export async function assertNothingLeft(server: ServerUnderTest): Promise<void> {
  const left = await waitForNoProcessesMentioning(`${server.tempRoot}/bidiscope-`);
  assert.deepEqual(left, [], `processes left behind: ${JSON.stringify(left)}`);
  assert.deepEqual(leftoverTempDirs(server.tempRoot), [], 'temp profile dirs left behind');
}

/**
 * Closes the client and asserts the server and everything below it exited: no process (server, runtime wrapper,
 * driver, browser) still has the server's private TMPDIR in its command line or environment.
 */
export async function closeAndAssertGone(server: ServerUnderTest): Promise<void> {
  await server.close();
  const left = await waitForNoProcessesMentioning(server.tempRoot);
  assert.deepEqual(left, [], `processes left after the client closed: ${JSON.stringify(left)}`);
}

/**
 * The short end-to-end scenario: list tools, initialize_session → navigate to `<origin>/blank` → evaluate
 * document.title → list_sessions → close_session, then nothing of the session is left.
 */
export async function runShortScenario(server: ServerUnderTest, browser: 'chrome' | 'firefox', origin: string): Promise<void> {
  const why = (text: string): string => `${text}\n--- server stderr ---\n${server.stderr()}`;
  const { tools } = await server.client.listTools();
  const names = tools.map((tool) => tool.name);
  for (const name of SCENARIO_TOOLS) assert.ok(names.includes(name), `tool ${name} missing from ${names.join(', ')}`);

  const opened = await server.call('initialize_session', { browser });
  assert.equal(opened.isError, false, why(opened.text));
  const sessionId = String(opened.structured?.sessionId);
  assert.equal(opened.structured?.browser, browser);

  const navigated = await server.call('navigate', { sessionId, url: `${origin}/blank` });
  assert.equal(navigated.isError, false, why(navigated.text));

  const title = await server.call('evaluate_script', { sessionId, expression: 'document.title' });
  assert.equal(title.isError, false, why(title.text));
  assert.equal(title.structured?.result, 'blank');

  const listed = await server.call('list_sessions');
  const sessions = listed.structured?.sessions as Array<Record<string, unknown>> | undefined;
  assert.equal(sessions?.length, 1, why(listed.text));
  assert.equal(sessions[0]?.sessionId, sessionId);

  const closed = await server.call('close_session', { sessionId });
  assert.equal(closed.isError, false, why(closed.text));
  await assertNothingLeft(server);
}

/**
 * After the browser side died (browser, driver or grid gone): calls that need it fail clearly, the capture stays
 * readable and exportable (it must hold the entry whose URL contains `marker`), and close_session cleans up.
 */
export async function assertGoneButKept(server: ServerUnderTest, sessionId: string, marker: string, origin: string): Promise<void> {
  const nav = await server.call('navigate', { sessionId, url: `${origin}/blank` });
  assert.equal(nav.isError, true, nav.text);
  assert.match(nav.text, /browser of session .* is gone/);
  const evaluated = await server.call('evaluate_script', { sessionId, expression: '1' });
  assert.equal(evaluated.isError, true);
  assert.match(evaluated.text, /is gone/);

  const listed = await server.call('list_network_requests', { sessionId, urlFilter: marker });
  assert.equal(listed.isError, false, listed.text);
  assert.equal(listed.structured?.total, 1, listed.text);
  const har = await server.call('export_har', { sessionId });
  assert.equal(har.isError, false, har.text);
  const written = JSON.parse(readFileSync(String(har.structured?.path), 'utf8')) as {
    log: { entries: Array<{ request: { url: string } }> };
  };
  assert.ok(
    written.log.entries.some((entry) => entry.request.url.includes(marker)),
    'the HAR lacks the entry recorded before the fault',
  );
  const status = await server.call('get_network_capture_status', { sessionId });
  assert.equal(status.structured?.status, 'inactive');

  const closed = await server.call('close_session', { sessionId });
  assert.equal(closed.isError, false, closed.text);
  const sessions = await server.call('list_sessions', {}, 10_000);
  assert.equal(sessions.isError, false, sessions.text);
}
