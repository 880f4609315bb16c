/**
 * `npm run bench`: capture overhead, normalization throughput, server memory, query latency and token cost, measured
 * side by side on Chromium and Firefox in one run. Prints Markdown tables and writes JSON to bench/results/.
 * Figures are measurements, not tests: nothing here fails on a missed target.
 *
 * Options: --browsers chrome,firefox  --reps 5  --requests 1000  --memory-steps 1000,10000  --quick
 *          --no-grid (skip the Selenium Grid piece)  --grid-only (run only it)
 *          --only scripts (just evaluate_script at scale: results of 1 KB … 20 MB and arrays of 2k … 200k)
 *          --only shaping (just the traffic-shaping piece: rules on 1,000 fetches, HAR replay vs live)
 *          --only memory-tree (just the PSS of the whole process tree: bidiscope vs a bare BiDi session)
 *          --server-binary dist/bidiscope (the memory-tree piece runs the compiled server instead of tsx)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../test/helpers/mcp-server.js';
import { startTestSite, type TestSite } from '../test/site/server.js';
import { measureQueryLatency, measureThroughput } from './bench/in-process.js';
import { measureMemory } from './bench/memory.js';
import { measureMemoryTree, memoryTreeTables, type TreeRun } from './bench/memory-tree.js';
import { gridMarkdown, measureGrid, type GridResult } from './bench/grid.js';
import { measureOverhead } from './bench/overhead.js';
import { openSession } from './bench/page-run.js';
import { markdownTables, TARGETS, type BenchResult, type BrowserResult } from './bench/report.js';
import { measureScriptResults, scriptResultTable, type ScriptBenchResult } from './bench/script-results.js';
import { startBenchServer, type BenchServer } from './bench/server.js';
import { measureTokens } from './bench/tokens.js';
import { measureShaping, shapingTable } from './bench/shaping.js';

type Browser = 'chrome' | 'firefox';

interface Options {
  browsers: Browser[];
  repetitions: number;
  requests: number;
  memorySteps: number[];
  /** Run the Selenium Grid piece (grid vs local chromedriver); `only` skips everything else. */
  grid: 'yes' | 'no' | 'only';
  onlyScripts: boolean;
  onlyShaping: boolean;
  onlyMemoryTree: boolean;
  /** The compiled server for the memory-tree piece (what users run); undefined: Node from source. */
  serverBinary: string | undefined;
}

function parseOptions(argv: readonly string[]): Options {
  const value = (flag: string): string | undefined => {
    const at = argv.indexOf(flag);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const quick = argv.includes('--quick');
  const browsers = (value('--browsers') ?? 'chrome,firefox').split(',').map((name) => name.trim());
  for (const name of browsers) if (name !== 'chrome' && name !== 'firefox') throw new Error(`unknown browser ${name}`);
  return {
    browsers: browsers as Browser[],
    repetitions: Number(value('--reps') ?? (quick ? 2 : 5)),
    requests: Number(value('--requests') ?? 1000),
    memorySteps: (value('--memory-steps') ?? (quick ? '1000,2000' : '1000,10000')).split(',').map(Number),
    grid: argv.includes('--grid-only') ? 'only' : argv.includes('--no-grid') || !browsers.includes('chrome') ? 'no' : 'yes',
    onlyScripts: value('--only') === 'scripts',
    onlyShaping: value('--only') === 'shaping',
    onlyMemoryTree: value('--only') === 'memory-tree',
    serverBinary: value('--server-binary'),
  };
}

const benchStart = Date.now();
const log = (line: string): void => {
  process.stderr.write(`[${((Date.now() - benchStart) / 1000).toFixed(0).padStart(3)} s] ${line}\n`);
};

const servers = new Set<BenchServer>();
const leftovers: string[] = [];

/** Registers a server started elsewhere for the SIGINT/failure clean-up; returns its closer. */
function track(server: BenchServer): () => Promise<string[]> {
  servers.add(server);
  return async () => {
    servers.delete(server);
    const left = await server.close();
    leftovers.push(...left);
    return left;
  };
}

async function withServer<T>(inspect: boolean, run: (server: BenchServer) => Promise<T>, binary?: string): Promise<T> {
  const server = await startBenchServer({ inspect, ...(binary !== undefined ? { binary } : {}) });
  servers.add(server);
  try {
    return await run(server);
  } finally {
    servers.delete(server);
    leftovers.push(...(await server.close()));
  }
}

/**
 * One server per browser (with the inspector, for forced GCs): memory first, while the server is fresh, then query
 * round trips at 10k entries; then a new session for capture overhead and token cost.
 */
async function benchBrowser(browser: Browser, site: TestSite, options: Options): Promise<BrowserResult> {
  const origin = site.origin;
  return withServer(true, async (server) => {
    log(`${browser}: server memory at ${options.memorySteps.join(', ')} entries, then query round trips`);
    const first = await openSession(server, browser);
    const memory = await measureMemory(server, first.sessionId, origin, options.memorySteps, log);
    await server.must('close_session', { sessionId: first.sessionId }, 60_000);
    log(`${browser}: capture overhead (${options.repetitions} rounds of ${options.requests} fetches × 3 modes) and token cost`);
    const { sessionId, version } = await openSession(server, browser);
    const overhead = await measureOverhead(
      server,
      sessionId,
      origin,
      { requests: options.requests, concurrency: 16, repetitions: options.repetitions },
      log,
    );
    const tokens = await measureTokens(server, sessionId, origin);
    await server.must('close_session', { sessionId }, 60_000);
    const { rows } = await benchScripts(server, browser, origin, options);
    log(`${browser}: traffic shaping (rules on ${options.requests} fetches, HAR replay vs live)`);
    const shaping = await benchShaping(server, browser, site, options);
    return { browser, version, overhead, tokens, memory, scripts: { rows }, shaping };
  });
}

/** evaluate_script at scale, in a session of its own. */
async function benchScripts(
  server: BenchServer,
  browser: Browser,
  origin: string,
  options: Options,
): Promise<ScriptBenchResult & { version: string }> {
  log(`${browser}: evaluate_script results of 1 KB … 20 MB and arrays of 2k … 200k, then confirm_output`);
  const { sessionId, version } = await openSession(server, browser);
  const scripts = await measureScriptResults(server, sessionId, origin, Math.min(options.repetitions, 3), log);
  await server.must('close_session', { sessionId }, 60_000);
  return { ...scripts, version };
}

/** `--only scripts`: just the evaluate_script piece, both browsers, its table and JSON. */
async function mainScriptsOnly(options: Options): Promise<void> {
  const startedAt = new Date();
  const site = await startTestSite();
  const results: Array<{ name: string; browser: Browser; version: string; scripts: ScriptBenchResult }> = [];
  try {
    for (const browser of options.browsers) {
      await withServer(false, async (server) => {
        const { version, ...scripts } = await benchScripts(server, browser, site.origin, options);
        results.push({
          name: `${browser === 'chrome' ? 'Chromium' : 'Firefox'} ${version.split('.')[0] ?? ''}`,
          browser,
          version,
          scripts,
        });
      });
    }
  } finally {
    await site.close();
  }
  const directory = join(REPO_ROOT, 'bench', 'results');
  mkdirSync(directory, { recursive: true });
  const file = join(directory, `scripts-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
  const machine = { cpus: cpus().length, loadAverageAtStart: loadavg(), node: process.versions.node };
  writeFileSync(file, `${JSON.stringify({ startedAt: startedAt.toISOString(), machine, results, leftovers }, null, 2)}\n`);
  process.stdout.write(
    `${scriptResultTable(results)}\n\nload average ${machine.loadAverageAtStart.map((v) => v.toFixed(1)).join(' ')} at start\nJSON: ${file}\n`,
  );
  if (leftovers.length > 0) process.stdout.write(`WARNING: left behind: ${leftovers.join('; ')}\n`);
}

async function benchShaping(server: BenchServer, browser: Browser, site: TestSite, options: Options) {
  const { sessionId } = await openSession(server, browser);
  const shaping = await measureShaping(server, sessionId, site, { requests: options.requests, repetitions: options.repetitions }, log);
  await server.must('close_session', { sessionId }, 60_000);
  return shaping;
}

/** `--only shaping`: the traffic-shaping piece alone, both browsers, one server each. */
async function mainShaping(options: Options): Promise<void> {
  const startedAt = new Date();
  const machine = {
    cpus: cpus().length,
    loadAverageAtStart: loadavg(),
    node: process.versions.node,
    platform: `${process.platform}-${process.arch}`,
  };
  const site = await startTestSite();
  const results: Array<{ browser: Browser; version: string; name: string; shaping: Awaited<ReturnType<typeof measureShaping>> }> = [];
  try {
    for (const browser of options.browsers) {
      await withServer(false, async (server) => {
        log(`${browser}: traffic shaping (rules on ${options.requests} fetches, HAR replay vs live)`);
        const { version } = await openSession(server, browser).then(async (opened) => {
          await server.must('close_session', { sessionId: opened.sessionId }, 60_000);
          return opened;
        });
        const shaping = await benchShaping(server, browser, site, options);
        results.push({
          browser,
          version,
          name: `${browser === 'chrome' ? 'Chromium' : 'Firefox'} ${version.split('.')[0] ?? ''}`,
          shaping,
        });
      });
    }
  } finally {
    await site.close();
  }
  const directory = join(REPO_ROOT, 'bench', 'results');
  mkdirSync(directory, { recursive: true });
  const file = join(directory, `shaping-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(
    file,
    `${JSON.stringify({ startedAt: startedAt.toISOString(), durationSeconds: (Date.now() - startedAt.getTime()) / 1000, machine, results, leftovers }, null, 2)}\n`,
  );
  const footer = `${machine.cpus} CPUs, load average ${machine.loadAverageAtStart.map((value) => value.toFixed(1)).join(' ')} at start, Node ${machine.node}.`;
  process.stdout.write(`${shapingTable(results)}\n\n${footer}\nJSON: ${file}\n`);
  if (leftovers.length > 0) process.stdout.write(`WARNING: left behind: ${leftovers.join('; ')}\n`);
}

/** `--only memory-tree`: PSS of every process one session costs, bidiscope beside a bare BiDi session. */
async function mainMemoryTree(options: Options): Promise<void> {
  const startedAt = new Date();
  const machine = {
    cpus: cpus().length,
    loadAverageAtStart: loadavg(),
    node: process.versions.node,
    platform: `${process.platform}-${process.arch}`,
  };
  const site = await startTestSite();
  let runs: TreeRun[];
  try {
    runs = await withServer(false, (server) => measureMemoryTree(server, options.browsers, site.origin, log), options.serverBinary);
  } finally {
    await site.close();
  }
  const directory = join(REPO_ROOT, 'bench', 'results');
  mkdirSync(directory, { recursive: true });
  const file = join(directory, `memory-tree-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify({ startedAt: startedAt.toISOString(), machine, runs, leftovers }, null, 2)}\n`);
  const footer = `${machine.cpus} CPUs, load average ${machine.loadAverageAtStart.map((value) => value.toFixed(1)).join(' ')} at start, Node ${machine.node}.`;
  process.stdout.write(`${memoryTreeTables(runs)}\n\n${footer}\nJSON: ${file}\n`);
  if (leftovers.length > 0) process.stdout.write(`WARNING: left behind: ${leftovers.join('; ')}\n`);
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (options.onlyScripts) {
    await mainScriptsOnly(options);
    return;
  }
  if (options.onlyShaping) return mainShaping(options);
  if (options.onlyMemoryTree) return mainMemoryTree(options);
  const startedAt = new Date();
  const machine = {
    cpus: cpus().length,
    loadAverageAtStart: loadavg(),
    node: process.versions.node,
    platform: `${process.platform}-${process.arch}`,
  };
  if (options.grid === 'only') {
    await gridOnly(options, startedAt);
    return;
  }
  log('in process: normalization throughput and query latency over fixture-built entries');
  const throughput = measureThroughput();
  const queryLatency = measureQueryLatency();
  const site = await startTestSite();
  const browsers: BrowserResult[] = [];
  let grid: GridResult | string | undefined;
  let memoryTree: TreeRun[] = [];
  try {
    for (const browser of options.browsers) browsers.push(await benchBrowser(browser, site, options));
    memoryTree = await withServer(false, (server) => measureMemoryTree(server, options.browsers, site.origin, log), options.serverBinary);
    if (options.grid === 'yes') grid = await gridPiece(site.origin, options);
  } finally {
    await site.close();
  }
  const result: BenchResult = {
    startedAt: startedAt.toISOString(),
    durationSeconds: (Date.now() - startedAt.getTime()) / 1000,
    machine,
    targets: TARGETS,
    inProcess: { throughput, queryLatency },
    browsers,
    ...(grid !== undefined ? { grid } : {}),
    leftovers,
  };
  const treeText = `\n\n${memoryTreeTables(memoryTree)}`;
  const directory = join(REPO_ROOT, 'bench', 'results');
  mkdirSync(directory, { recursive: true });
  const file = join(directory, `${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify({ ...result, memoryTree }, null, 2)}\n`);
  const gridText =
    typeof grid === 'object' ? `\n\n${gridMarkdown(grid)}` : typeof grid === 'string' ? `\n\nSelenium Grid piece not run: ${grid}` : '';
  process.stdout.write(`${markdownTables(result)}${treeText}${gridText}\n\nJSON: ${file}\n`);
  if (leftovers.length > 0) process.stdout.write(`WARNING: left behind: ${leftovers.join('; ')}\n`);
}

/** The grid piece; when it cannot run (no jar, no Java) the reason, so the rest of the bench still reports. */
async function gridPiece(origin: string, options: Options): Promise<GridResult | string> {
  try {
    return await measureGrid(
      origin,
      { requests: options.requests, concurrency: 16, repetitions: Math.min(options.repetitions, 4), startups: 5 },
      track,
      log,
    );
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    log(`grid piece failed: ${reason}`);
    return reason;
  }
}

/** `--grid-only`: the grid piece alone, printed and written like a full run. */
async function gridOnly(options: Options, startedAt: Date): Promise<void> {
  const machine = {
    cpus: cpus().length,
    loadAverageAtStart: loadavg(),
    node: process.versions.node,
    platform: `${process.platform}-${process.arch}`,
  };
  const site = await startTestSite();
  let grid: GridResult | string;
  try {
    grid = await gridPiece(site.origin, options);
  } finally {
    await site.close();
  }
  const result = {
    startedAt: startedAt.toISOString(),
    durationSeconds: (Date.now() - startedAt.getTime()) / 1000,
    machine,
    grid,
    leftovers,
  };
  const directory = join(REPO_ROOT, 'bench', 'results');
  mkdirSync(directory, { recursive: true });
  const file = join(directory, `${startedAt.toISOString().replace(/[:.]/g, '-')}-grid.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  const m = machine;
  const footer = `${m.cpus} CPUs, load average ${m.loadAverageAtStart.map((value) => value.toFixed(1)).join(' ')} at start, Node ${m.node}, ${result.durationSeconds.toFixed(0)} s total.`;
  process.stdout.write(
    `${typeof grid === 'string' ? `Selenium Grid piece not run: ${grid}` : gridMarkdown(grid)}\n\n${footer}\nJSON: ${file}\n`,
  );
  if (leftovers.length > 0) process.stdout.write(`WARNING: left behind: ${leftovers.join('; ')}\n`);
}

async function closeAll(): Promise<void> {
  await Promise.allSettled([...servers].map(async (server) => leftovers.push(...(await server.close()))));
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: closing servers and browsers`);
    void closeAll().finally(() => process.exit(130));
  });
}

try {
  await main();
} catch (error) {
  log(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  await closeAll();
  process.exitCode = 1;
}
