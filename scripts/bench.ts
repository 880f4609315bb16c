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
 *          --only overhead [--compare label=dir,…] (just capture overhead; with --compare, other checkouts of the
 *            repository — another commit, a change toggled — measured in interleaved rounds beside this one)
 *          --server-binary dist/bidiscope (the memory-tree piece runs the compiled server instead of tsx)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { REPO_ROOT } from '../test/helpers/mcp-server.js';
import { startTestSite, type TestSite } from '../test/site/server.js';
import { measureQueryLatency, measureThroughput } from './bench/in-process.js';
import { measureMemory } from './bench/memory.js';
import { measureMemoryTree, memoryTreeTables, type TreeRun } from './bench/memory-tree.js';
import { gridMarkdown, measureGrid, type GridResult } from './bench/grid.js';
import { measureOverhead, measureOverheadSideBySide, overheadComparisonTable, type OverheadComparison } from './bench/overhead.js';
import { openSession } from './bench/page-run.js';
import { markdownTables, TARGETS, type BenchResult, type BrowserResult } from './bench/report.js';
import { measureScriptResults, scriptResultTable, type ScriptBenchResult } from './bench/script-results.js';
import { startBenchServer, type BenchServer } from './bench/server.js';
import { measureTokens } from './bench/tokens.js';
import { measureShaping, shapingTable } from './bench/shaping.js';

type Browser = 'chrome' | 'firefox';

const ONLY_PIECES = ['scripts', 'shaping', 'memory-tree', 'overhead'] as const;
type OnlyPiece = (typeof ONLY_PIECES)[number];

function onlyPiece(name: string | undefined): OnlyPiece | undefined {
  if (name === undefined) return undefined;
  const piece = ONLY_PIECES.find((candidate) => candidate === name);
  if (!piece) throw new Error(`--only wants one of ${ONLY_PIECES.join(', ')}, got ${name}`);
  return piece;
}

interface Options {
  browsers: Browser[];
  repetitions: number;
  requests: number;
  memorySteps: number[];
  /** Run the Selenium Grid piece (grid vs local chromedriver); `only` skips everything else. */
  grid: 'yes' | 'no' | 'only';
  /** Run one piece alone (its table and JSON only). */
  only: OnlyPiece | undefined;
  /** `--only overhead`: other checkouts measured beside this one, interleaved (`label=dir`). */
  compare: Array<{ label: string; sourceDir: string }>;
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
    only: onlyPiece(value('--only')),
    compare: compareSides(value('--compare')),
    serverBinary: value('--server-binary'),
  };
}

/** `--compare label=dir,…`: labels must be distinct and not `this` (the checkout running the bench). */
function compareSides(text: string | undefined): Array<{ label: string; sourceDir: string }> {
  const sides = (text ?? '')
    .split(',')
    .filter((item) => item !== '')
    .map((item) => {
      const [label, sourceDir] = item.split('=');
      if (!label || !sourceDir) throw new Error(`--compare wants label=dir[,label=dir], got ${item}`);
      return { label, sourceDir: resolve(sourceDir) };
    });
  const labels = ['this', ...sides.map((side) => side.label)];
  const repeated = labels.find((label, i) => labels.indexOf(label) !== i);
  if (repeated !== undefined) throw new Error(`--compare: the label "${repeated}" is used twice ("this" is this checkout)`);
  return sides;
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
 * round trips at 10k entries; then a new session for capture overhead, and one for token cost.
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
    await server.must('close_session', { sessionId }, 60_000);
    // Token cost in a session of its own: indexes are never reused in a session, so after the overhead rounds they
    // would have five digits, not the two or three of a typical capture.
    const fresh = await openSession(server, browser);
    const tokens = await measureTokens(server, fresh.sessionId, origin);
    await server.must('close_session', { sessionId: fresh.sessionId }, 60_000);
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

/** The machine a run measured on, written beside its figures. */
function machineFacts() {
  return {
    cpus: cpus().length,
    loadAverageAtStart: loadavg(),
    node: process.versions.node,
    platform: `${process.platform}-${process.arch}`,
  };
}

function machineFooter(machine: ReturnType<typeof machineFacts>): string {
  return `${machine.cpus} CPUs, load average ${machine.loadAverageAtStart.map((value) => value.toFixed(1)).join(' ')} at start, Node ${machine.node}.`;
}

/** Writes a run's JSON to bench/results/<name>.json; returns the path. */
function writeResults(name: string, data: unknown): string {
  const directory = join(REPO_ROOT, 'bench', 'results');
  mkdirSync(directory, { recursive: true });
  const file = join(directory, `${name}.json`);
  writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
  return file;
}

function warnAboutLeftovers(): void {
  if (leftovers.length > 0) process.stdout.write(`WARNING: left behind: ${leftovers.join('; ')}\n`);
}

function browserName(browser: Browser, version: string): string {
  return `${browser === 'chrome' ? 'Chromium' : 'Firefox'} ${version.split('.')[0] ?? ''}`;
}

/** What one piece run alone measured: its figures for the JSON and its Markdown. */
interface PieceOutput {
  results: unknown;
  markdown: string;
}

/** Runs one piece alone against the test site, then writes its JSON and prints its table (`--only X`). */
async function runPieceAlone(name: string, measure: (site: TestSite) => Promise<PieceOutput>): Promise<void> {
  const startedAt = new Date();
  const machine = machineFacts();
  const site = await startTestSite();
  let output: PieceOutput;
  try {
    output = await measure(site);
  } finally {
    await site.close();
  }
  const file = writeResults(`${name}-${startedAt.toISOString().replace(/[:.]/g, '-')}`, {
    startedAt: startedAt.toISOString(),
    durationSeconds: (Date.now() - startedAt.getTime()) / 1000,
    machine,
    results: output.results,
    leftovers,
  });
  process.stdout.write(`${output.markdown}\n\n${machineFooter(machine)}\nJSON: ${file}\n`);
  warnAboutLeftovers();
}

/** `--only scripts`: just the evaluate_script piece, both browsers. */
async function scriptsAlone(site: TestSite, options: Options): Promise<PieceOutput> {
  const results: Array<{ name: string; browser: Browser; version: string; scripts: ScriptBenchResult }> = [];
  for (const browser of options.browsers) {
    await withServer(false, async (server) => {
      const { version, ...scripts } = await benchScripts(server, browser, site.origin, options);
      results.push({ name: browserName(browser, version), browser, version, scripts });
    });
  }
  return { results, markdown: scriptResultTable(results) };
}

async function benchShaping(server: BenchServer, browser: Browser, site: TestSite, options: Options) {
  const { sessionId } = await openSession(server, browser);
  const shaping = await measureShaping(server, sessionId, site, { requests: options.requests, repetitions: options.repetitions }, log);
  await server.must('close_session', { sessionId }, 60_000);
  return shaping;
}

/** `--only shaping`: the traffic-shaping piece alone, both browsers, one server each. */
async function shapingAlone(site: TestSite, options: Options): Promise<PieceOutput> {
  const results: Array<{ browser: Browser; version: string; name: string; shaping: Awaited<ReturnType<typeof measureShaping>> }> = [];
  for (const browser of options.browsers) {
    await withServer(false, async (server) => {
      log(`${browser}: traffic shaping (rules on ${options.requests} fetches, HAR replay vs live)`);
      const opened = await openSession(server, browser);
      await server.must('close_session', { sessionId: opened.sessionId }, 60_000);
      const shaping = await benchShaping(server, browser, site, options);
      results.push({ browser, version: opened.version, name: browserName(browser, opened.version), shaping });
    });
  }
  return { results, markdown: shapingTable(results) };
}

/** `--only memory-tree`: PSS of every process one session costs, bidiscope beside a bare BiDi session. */
async function memoryTreeAlone(site: TestSite, options: Options): Promise<PieceOutput> {
  const runs = await withServer(false, (server) => measureMemoryTree(server, options.browsers, site.origin, log), options.serverBinary);
  return { results: runs, markdown: memoryTreeTables(runs) };
}

/**
 * `--only overhead`: capture overhead alone; with `--compare label=dir,…` the same rounds on other checkouts (another
 * commit, a change toggled) interleaved with this one, so a regression shows against the same machine state.
 */
async function overheadAlone(site: TestSite, options: Options): Promise<PieceOutput> {
  const sides = [{ label: 'this', sourceDir: REPO_ROOT }, ...options.compare];
  const results: OverheadComparison[] = [];
  for (const browser of options.browsers) {
    const started: Array<{ label: string; server: BenchServer; close: () => Promise<string[]> }> = [];
    try {
      for (const side of sides) {
        const server = await startBenchServer({ sourceDir: side.sourceDir });
        started.push({ label: side.label, server, close: track(server) });
      }
      let version = '?';
      const opened = [];
      for (const side of started) {
        const session = await openSession(side.server, browser);
        version = session.version;
        opened.push({ label: side.label, server: side.server, sessionId: session.sessionId });
      }
      log(
        `${browser}: capture overhead, ${options.repetitions} rounds of ${options.requests} fetches × 3 modes on ${sides.map((side) => side.label).join(', ')}`,
      );
      const bySide = await measureOverheadSideBySide(
        opened,
        site.origin,
        { requests: options.requests, concurrency: 16, repetitions: options.repetitions },
        log,
      );
      for (const side of opened) await side.server.must('close_session', { sessionId: side.sessionId }, 60_000);
      results.push({
        browser,
        version,
        name: browserName(browser, version),
        // Checkouts are named relative to this one, so results name no machine's paths.
        sides: sides.map((side) => ({ ...side, sourceDir: relative(REPO_ROOT, side.sourceDir) || '.', overhead: bySide[side.label] })),
      });
    } finally {
      for (const side of started) await side.close();
    }
  }
  return { results, markdown: overheadComparisonTable(results) };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const alone = { scripts: scriptsAlone, shaping: shapingAlone, 'memory-tree': memoryTreeAlone, overhead: overheadAlone };
  if (options.only !== undefined) {
    const piece = alone[options.only];
    return runPieceAlone(options.only, (site) => piece(site, options));
  }
  if (options.grid === 'only') return runPieceAlone('grid', (site) => gridAlone(site, options));
  const startedAt = new Date();
  const machine = machineFacts();
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
  const file = writeResults(startedAt.toISOString().replace(/[:.]/g, '-'), { ...result, memoryTree });
  const gridText =
    typeof grid === 'object' ? `\n\n${gridMarkdown(grid)}` : typeof grid === 'string' ? `\n\nSelenium Grid piece not run: ${grid}` : '';
  process.stdout.write(`${markdownTables(result)}${treeText}${gridText}\n\nJSON: ${file}\n`);
  warnAboutLeftovers();
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

/** `--grid-only`: the grid piece alone. */
async function gridAlone(site: TestSite, options: Options): Promise<PieceOutput> {
  const grid = await gridPiece(site.origin, options);
  return { results: grid, markdown: typeof grid === 'string' ? `Selenium Grid piece not run: ${grid}` : gridMarkdown(grid) };
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
