/**
 * bidiscope from source under each supported runtime: Node (tsx), Bun (`bun run src/main.ts`) and Deno
 * (`deno task start`, configured by deno.json), each driven by the MCP SDK client over stdio through the same short
 * scenario on one browser. The compiled binary has its own test (binary.test.ts); both browsers under Node are covered
 * by sessions.test.ts.
 */
import assert from 'node:assert/strict';
import { delimiter, dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { startTestSite, type TestSite } from '../site/server.js';
import { BUN_PATH, DENO_PATH } from '../helpers/binary.js';
import { REPO_ROOT, removeTestDirs, startServer } from '../helpers/mcp-server.js';
import { closeAndAssertGone, runShortScenario } from '../helpers/scenario.js';

const MAIN = join(REPO_ROOT, 'src', 'main.ts');

interface RuntimeCase {
  runtime: 'node' | 'bun' | 'deno';
  command: { command: string; args: string[] };
  browser: 'chrome' | 'firefox';
  env?: Record<string, string>;
}

const CASES: readonly RuntimeCase[] = [
  { runtime: 'node', command: { command: process.execPath, args: ['--import', 'tsx', MAIN] }, browser: 'chrome' },
  { runtime: 'bun', command: { command: BUN_PATH, args: ['run', MAIN] }, browser: 'chrome' },
  // deno.json's task; --quiet keeps deno's "Task start ..." line off stderr.
  {
    runtime: 'deno',
    command: { command: DENO_PATH, args: ['task', '--quiet', 'start'] },
    browser: 'firefox',
    env: { DENO_NO_UPDATE_CHECK: '1', PATH: `${dirname(DENO_PATH)}${delimiter}${process.env.PATH ?? ''}` },
  },
];

let site: TestSite;
before(async () => {
  site = await startTestSite();
});
after(async () => {
  await site.close();
});

for (const { runtime, command, browser, env } of CASES) {
  test(`${runtime} from source serves MCP: ${browser} session, navigate, title, close`, async () => {
    const server = await startServer({ command, cwd: REPO_ROOT, ...(env ? { env } : {}) });
    try {
      await runShortScenario(server, browser, site.origin);
      assert.match(server.stderr(), new RegExp(`serving MCP over stdio \\(${runtime} `));
    } finally {
      await closeAndAssertGone(server);
      removeTestDirs(server);
    }
  });
}
