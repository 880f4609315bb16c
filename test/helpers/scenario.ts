import assert from 'node:assert/strict';
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
