/**
 * Memory of the whole process tree one session costs: PSS (from /proc/<pid>/smaps_rollup) of the bidiscope server,
 * the driver and each browser process by type, at idle, after the test page (`/`) and after 1,000 sequential fetches
 * on `/many`, with the peak over the run sampled every 250 ms. Beside it, in the same run, a bare BiDi session of the
 * same browser through the same launcher (no capture: no preload shim, no data collector, no subscriptions), and on
 * Chromium a classic WebDriver session without BiDi, whose difference to the bare one is the BiDi mapper's cost.
 */
import { chromeArgs, launchChrome } from '../../src/browser/chrome.js';
import { launchFirefox } from '../../src/browser/firefox.js';
import { findExecutable } from '../../src/browser/find-executable.js';
import { findFreePort } from '../../src/browser/free-port.js';
import { createTempDir, delay, isolatedEnvironment, OwnedProcess, removeTempDir } from '../../src/browser/owned-process.js';
import { loadavg } from 'node:os';
import { captureCounters, loadManyPage, openSession, runBurst } from './page-run.js';
import { byPart, sampleTree, type PartFigures, type TreeProcess } from './process-tree.js';
import type { BenchServer } from './server.js';

type Browser = 'chrome' | 'firefox';

/** PSS by part at one point of the run. */
export type PartTable = Record<string, PartFigures>;

/** One variant's figures. */
export interface TreeRun {
  browser: Browser;
  variant: 'bidiscope' | 'bare BiDi' | 'classic (no BiDi)';
  points: Array<{ label: string; parts: PartTable; load: number[]; processes: TreeProcess[] }>;
  /** Highest tree total seen by the 250 ms sampler, and each part's own highest. */
  peak: { totalBytes: number; parts: Record<string, number> };
}

export const REQUESTS = 1000;
const SETTLE_MS = 1500;

/** Samples the tree every 250 ms until stopped, keeping the peak total and each part's peak. */
class PeakSampler {
  readonly peak = { totalBytes: 0, parts: {} as Record<string, number> };
  #timer: NodeJS.Timeout;
  constructor(
    private readonly roots: () => number[],
    private readonly serverPid?: number,
  ) {
    this.#timer = setInterval(() => this.sample(), 250);
  }
  sample(): TreeProcess[] {
    const processes = sampleTree(this.roots(), this.serverPid);
    for (const [part, figures] of Object.entries(byPart(processes))) {
      if (part === 'total') this.peak.totalBytes = Math.max(this.peak.totalBytes, figures.pssBytes);
      else this.peak.parts[part] = Math.max(this.peak.parts[part] ?? 0, figures.pssBytes);
    }
    return processes;
  }
  stop(): void {
    clearInterval(this.#timer);
  }
}

async function point(label: string, sampler: PeakSampler): Promise<TreeRun['points'][number]> {
  await delay(SETTLE_MS);
  const processes = sampler.sample();
  return { label, parts: byPart(processes), processes, load: loadavg().map((value) => Math.round(value * 10) / 10) };
}

/** bidiscope's own session: capture on with its defaults, through the MCP server. */
export async function treeOfBidiscope(server: BenchServer, browser: Browser, origin: string): Promise<TreeRun> {
  const { sessionId } = await openSession(server, browser);
  const sampler = new PeakSampler(() => [server.pid], server.pid);
  try {
    const points = [await point('idle', sampler)];
    await server.must('start_network_capture', { sessionId });
    await server.must('navigate', { sessionId, url: `${origin}/`, wait: 'complete' });
    points.push(await point('test page', sampler));
    await loadManyPage(server, sessionId, origin);
    const before = await captureCounters(server, sessionId);
    await runBurst(server, sessionId, REQUESTS, 1);
    // The test page leaves requests that never get a response (a closed port, an aborted fetch): count from here.
    const deadline = Date.now() + 120_000;
    for (
      let now = await captureCounters(server, sessionId);
      now.responses < before.responses + REQUESTS || now.bodiesPending > 0;
      now = await captureCounters(server, sessionId)
    ) {
      if (Date.now() > deadline) throw new Error(`capture stuck at ${JSON.stringify(now)}, from ${JSON.stringify(before)}`);
      await delay(50);
    }
    points.push(await point(`${REQUESTS} requests`, sampler));
    sampler.sample();
    return { browser, variant: 'bidiscope', points, peak: sampler.peak };
  } finally {
    sampler.stop();
    await server.must('close_session', { sessionId }, 60_000);
  }
}

const RUN_MANY = 'async (n, c) => window.runMany(n, c)';

/** A bare BiDi session through the same launcher: navigation and script only, no subscriptions or collectors. */
export async function treeOfBare(browser: Browser, origin: string): Promise<TreeRun> {
  const launched = await (browser === 'chrome' ? launchChrome : launchFirefox)({ browser, headless: true });
  const sampler = new PeakSampler(() => launched.processes.map((owned) => owned.pid));
  try {
    const points = [await point('idle', sampler)];
    const tree = await launched.bidi.send<{ contexts: Array<{ context: string }> }>('browsingContext.getTree', {});
    const context = tree.contexts[0]?.context;
    if (context === undefined) throw new Error('bare session has no browsing context');
    const navigate = (url: string) => launched.bidi.send('browsingContext.navigate', { context, url, wait: 'complete' }, 60_000);
    await navigate(`${origin}/`);
    points.push(await point('test page', sampler));
    await navigate(`${origin}/many`);
    const result = await launched.bidi.send<{ type: string; result?: { value?: unknown } }>(
      'script.callFunction',
      {
        functionDeclaration: RUN_MANY,
        arguments: [
          { type: 'number', value: REQUESTS },
          { type: 'number', value: 1 },
        ],
        awaitPromise: true,
        target: { context },
      },
      300_000,
    );
    if (result.result?.value !== REQUESTS) throw new Error(`bare runMany: ${JSON.stringify(result)}`);
    points.push(await point(`${REQUESTS} requests`, sampler));
    return { browser, variant: 'bare BiDi', points, peak: sampler.peak };
  } finally {
    sampler.stop();
    await launched.close();
  }
}

/** Chromium through chromedriver's classic protocol only (no `webSocketUrl`, so no BiDi mapper tab). */
export async function treeOfClassicChrome(origin: string): Promise<TreeRun> {
  const tempDir = createTempDir('chrome');
  const port = await findFreePort();
  const driver = new OwnedProcess(
    'chromedriver',
    findExecutable('chromedriver', undefined),
    [`--port=${port}`, '--allowed-ips=127.0.0.1', '--log-level=SEVERE'],
    isolatedEnvironment(tempDir),
  );
  const sampler = new PeakSampler(() => [driver.pid]);
  const base = `http://127.0.0.1:${port}`;
  const post = async (path: string, body: unknown): Promise<{ value: Record<string, unknown> }> => {
    const response = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(300_000),
    });
    return (await response.json()) as { value: Record<string, unknown> };
  };
  let sessionId: string | undefined;
  try {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const ready = await fetch(`${base}/status`).then(
        (r) => r.ok,
        () => false,
      );
      if (ready) break;
      if (Date.now() > deadline) throw new Error('chromedriver did not start');
      await delay(50);
    }
    const args = chromeArgs({ browser: 'chrome', headless: true }, `${tempDir}/profile`);
    const created = await post('/session', {
      capabilities: { alwaysMatch: { browserName: 'chrome', 'goog:chromeOptions': { binary: findExecutable('chrome', undefined), args } } },
    });
    sessionId = String(created.value['sessionId']);
    const points = [await point('idle', sampler)];
    await post(`/session/${sessionId}/url`, { url: `${origin}/` });
    points.push(await point('test page', sampler));
    await post(`/session/${sessionId}/url`, { url: `${origin}/many` });
    const ran = await post(`/session/${sessionId}/execute/async`, {
      script: `const done = arguments[arguments.length - 1]; window.runMany(${REQUESTS}, 1).then(done);`,
      args: [],
    });
    if (ran.value !== (REQUESTS as unknown)) throw new Error(`classic runMany: ${JSON.stringify(ran)}`);
    points.push(await point(`${REQUESTS} requests`, sampler));
    return { browser: 'chrome', variant: 'classic (no BiDi)', points, peak: sampler.peak };
  } finally {
    sampler.stop();
    if (sessionId !== undefined)
      await fetch(`${base}/session/${sessionId}`, { method: 'DELETE', signal: AbortSignal.timeout(5000) }).catch(() => undefined);
    await driver.stop();
    removeTempDir(tempDir);
  }
}

const mb = (bytes: number): string => (bytes / 1e6).toFixed(0);

/** The peers' peak PSS on the same 1,000-request page (Chromium 156, measured elsewhere; see BENCHMARKS.md). */
export const PEERS = [
  { name: 'chrome-devtools-mcp', peakMB: 546 },
  { name: 'playwright-mcp', peakMB: 554 },
];

/** Markdown: one table per run (parts × points + peak), then a summary with sessions per GiB. */
export function memoryTreeTables(runs: readonly TreeRun[]): string {
  const out: string[] = [];
  for (const run of runs) {
    const parts = [...new Set(run.points.flatMap((p) => Object.keys(p.parts)))].filter((part) => part !== 'total').sort();
    out.push(`**${run.browser === 'chrome' ? 'Chromium' : 'Firefox'}, ${run.variant}** (PSS, MB; processes in brackets)\n`);
    out.push(`| part | ${run.points.map((p) => p.label).join(' | ')} | peak |`);
    out.push(`|---|${run.points.map(() => '---:').join('|')}|---:|`);
    for (const part of [...parts, 'total']) {
      const cells = run.points.map((p) => (p.parts[part] ? `${mb(p.parts[part].pssBytes)} (${p.parts[part].count})` : '–'));
      const peak = part === 'total' ? run.peak.totalBytes : (run.peak.parts[part] ?? 0);
      out.push(`| ${part === 'total' ? '**tree**' : part} | ${cells.join(' | ')} | ${mb(peak)} |`);
    }
    out.push(`| tree, private only (USS) | ${run.points.map((p) => mb(p.parts['total']?.privateBytes ?? 0)).join(' | ')} | – |`);
    out.push(`\nload average at the points: ${run.points.map((p) => p.load.join(' ')).join('; ')}\n`);
  }
  out.push('| browser | variant | tree after 1,000 requests (MB) | peak (MB) | sessions per GiB (at peak) |');
  out.push('|---|---|---:|---:|---:|');
  for (const run of runs) {
    const last = run.points.at(-1)?.parts['total']?.pssBytes ?? 0;
    out.push(
      `| ${run.browser} | ${run.variant} | ${mb(last)} | ${mb(run.peak.totalBytes)} | ${(1073741824 / run.peak.totalBytes).toFixed(2)} |`,
    );
  }
  for (const peer of PEERS)
    out.push(
      `| Chromium 156 | ${peer.name} (as reported in issue 16) | – | ${peer.peakMB} | ${(1073741824 / (peer.peakMB * 1e6)).toFixed(2)} |`,
    );
  return out.join('\n');
}

/** The whole piece for the given browsers: bidiscope's session, the bare one and (Chromium) the classic one. */
export async function measureMemoryTree(
  server: BenchServer,
  browsers: readonly Browser[],
  origin: string,
  progress: (line: string) => void,
): Promise<TreeRun[]> {
  const runs: TreeRun[] = [];
  const report = (run: TreeRun): void => {
    runs.push(run);
    progress(
      `  ${run.browser} ${run.variant}: tree ${mb(run.points.at(-1)?.parts['total']?.pssBytes ?? 0)} MB after ${REQUESTS} requests, peak ${mb(run.peak.totalBytes)} MB`,
    );
  };
  for (const browser of browsers) {
    progress(`${browser}: process-tree memory (bidiscope, bare BiDi${browser === 'chrome' ? ', classic' : ''})`);
    report(await treeOfBidiscope(server, browser, origin));
    report(await treeOfBare(browser, origin));
    if (browser === 'chrome') report(await treeOfClassicChrome(origin));
  }
  return runs;
}
