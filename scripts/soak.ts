/**
 * Soak run (a script, not a CI test): `npx tsx scripts/soak.ts [--minutes N]` (default 3).
 * One bidiscope server over stdio with a Chromium and a Firefox session; the browsers take turns running captures of
 * `/many?n=1000&auto=1` on the local test site (start capture → load → list → details → export_har → stop → clear).
 * Prints the server's resident memory (VmRSS from /proc) after every capture, then a summary, and checks that no
 * browser, driver or temp dir is left behind. Ends by itself; a watchdog kills everything if a step wedges.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startTestSite } from '../test/site/server.js';
import {
  leftoverTempDirs,
  removeTestDirs,
  startServer,
  waitForNoProcessesMentioning,
  type ServerUnderTest,
} from '../test/helpers/mcp-server.js';
import { captureCounts, waitFor } from '../test/helpers/site-scenario.js';

const REQUESTS_PER_PAGE = 1000;
const BROWSERS = ['chrome', 'firefox'] as const;

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1] ?? Number.NaN);
  return kib / 1024;
}

async function must(server: ServerUnderTest, tool: string, args: Record<string, unknown>): Promise<Record<string, unknown>> {
  const outcome = await server.call(tool, args, 120_000);
  if (outcome.isError) throw new Error(`${tool} failed: ${outcome.text}`);
  return outcome.structured ?? {};
}

/** One capture of a 1,000-request page; returns how many entries it held. */
async function oneCapture(server: ServerUnderTest, sessionId: string, origin: string): Promise<number> {
  await must(server, 'start_network_capture', { sessionId });
  await must(server, 'navigate', { sessionId, url: `${origin}/many?n=${REQUESTS_PER_PAGE}&auto=1` });
  await waitFor(
    'the page to finish its requests',
    async () => {
      const done = await server.call('evaluate_script', { sessionId, expression: 'window.__manyDone ?? null' });
      return typeof done.structured?.result === 'number' ? true : undefined;
    },
    120_000,
  );
  await waitFor(
    'the capture to hold every request',
    async () => {
      const counts = await captureCounts(server, sessionId);
      return counts.responses > REQUESTS_PER_PAGE && counts.bodiesPending === 0 ? true : undefined;
    },
    60_000,
  );
  const listed = await must(server, 'list_network_requests', { sessionId, urlFilter: '/tiny', limit: 100, offset: 500 });
  await must(server, 'list_network_requests', { sessionId, failedOnly: true });
  const index = (listed.indexes as number[] | undefined)?.[0] ?? 0;
  await must(server, 'get_request_details', { sessionId, index });
  const har = await must(server, 'export_har', { sessionId, path: `soak-${sessionId}.har` });
  await must(server, 'stop_network_capture', { sessionId });
  await must(server, 'clear_network_capture', { sessionId });
  return Number(har.entries ?? 0);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { minutes: { type: 'string', default: '3' } } });
  const minutes = Number(values.minutes);
  if (!Number.isFinite(minutes) || minutes <= 0) throw new Error(`--minutes must be a positive number, got ${values.minutes}`);
  const deadline = Date.now() + minutes * 60_000;

  const site = await startTestSite();
  const outputDir = mkdtempSync(join(tmpdir(), 'bidiscope-soak-out-'));
  const server = await startServer({ args: ['--output-dir', outputDir] });
  const watchdog = setTimeout(
    () => {
      process.stderr.write('soak: watchdog fired (a step wedged); killing the server\n');
      process.kill(server.pid, 'SIGKILL');
      process.exit(2);
    },
    minutes * 60_000 + 180_000,
  );
  watchdog.unref();

  const samples: Array<{ at: number; rss: number }> = [];
  const perBrowser = new Map<string, { captures: number; entries: number; ms: number }>();
  let failure: unknown;
  const began = Date.now();
  try {
    const sessions: Record<string, string> = {};
    for (const browser of BROWSERS) sessions[browser] = String((await must(server, 'initialize_session', { browser })).sessionId);
    const baseline = rssMiB(server.pid);
    samples.push({ at: 0, rss: baseline });
    console.log(`soak: ${minutes} min, server pid ${server.pid}, RSS after opening both sessions ${baseline.toFixed(1)} MiB`);
    console.log('   t(s)  capture  browser   entries  took(s)  server RSS (MiB)');
    let round = 0;
    while (Date.now() < deadline) {
      const browser = BROWSERS[round % BROWSERS.length] ?? 'chrome';
      round += 1;
      const started = Date.now();
      const entries = await oneCapture(server, sessions[browser] ?? '', site.origin);
      const took = Date.now() - started;
      const rss = rssMiB(server.pid);
      const at = (Date.now() - began) / 1000;
      samples.push({ at, rss });
      const stats = perBrowser.get(browser) ?? { captures: 0, entries: 0, ms: 0 };
      perBrowser.set(browser, { captures: stats.captures + 1, entries: stats.entries + entries, ms: stats.ms + took });
      console.log(
        `${at.toFixed(0).padStart(7)}  ${String(round).padStart(7)}  ${browser.padEnd(8)}  ${String(entries).padStart(7)}  ${(took / 1000).toFixed(1).padStart(7)}  ${rss.toFixed(1).padStart(16)}`,
      );
    }
    for (const sessionId of Object.values(sessions)) await must(server, 'close_session', { sessionId });
  } catch (error) {
    failure = error;
  } finally {
    clearTimeout(watchdog);
    await server.close();
    await site.close();
  }
  const left = await waitForNoProcessesMentioning(`${server.tempRoot}/bidiscope-`, 15_000);
  const leftDirs = leftoverTempDirs(server.tempRoot);
  removeTestDirs(server);
  rmSync(outputDir, { recursive: true, force: true });

  const rss = samples.map((sample) => sample.rss);
  const firstHalf = samples.slice(1, Math.max(2, Math.ceil(samples.length / 2)));
  const secondHalf = samples.slice(Math.ceil(samples.length / 2));
  const mean = (items: typeof samples): number => items.reduce((sum, item) => sum + item.rss, 0) / Math.max(1, items.length);
  console.log('\nsummary');
  for (const [browser, stats] of perBrowser) {
    console.log(
      `  ${browser}: ${stats.captures} captures, ${stats.entries} entries, ${(stats.ms / Math.max(1, stats.captures) / 1000).toFixed(1)} s per capture`,
    );
  }
  if (rss.length > 0) {
    console.log(
      `  server RSS MiB: start ${rss[0]?.toFixed(1)}, min ${Math.min(...rss).toFixed(1)}, max ${Math.max(...rss).toFixed(1)}, ` +
        `end ${rss.at(-1)?.toFixed(1)}; mean of first half ${mean(firstHalf).toFixed(1)}, of second half ${mean(secondHalf).toFixed(1)}`,
    );
  }
  console.log(`  left behind: ${left.length} processes, ${leftDirs.length} temp dirs`);
  if (failure !== undefined) {
    console.error(`soak failed: ${failure instanceof Error ? failure.message : String(failure)}`);
    process.exitCode = 1;
  } else if (left.length > 0 || leftDirs.length > 0) {
    process.exitCode = 1;
  }
}

await main();
