/**
 * Selenium Grid vs a local chromedriver, Chromium only: capture overhead on the same 1,000-fetch burst (each side's
 * capture ÷ its own no-capture baseline, and the grid's times ÷ the local ones) and session start-up
 * (initialize_session round trip, opened and closed in turn). The grid is a real standalone (test/helpers/grid.ts,
 * 2 Chromium slots) on loopback, so the figures show the grid's own cost — router, BiDi proxy, node — not a network's.
 */
import { startGrid } from '../../test/helpers/grid.js';
import { measureOverheadSideBySide, type OverheadOptions, type OverheadResult } from './overhead.js';
import { openSession } from './page-run.js';
import { startBenchServer, type BenchServer } from './server.js';
import { median, round } from './stats.js';

/** What the grid piece measured. */
export interface GridResult {
  gridVersion: string;
  browserVersion: string;
  local: OverheadResult;
  grid: OverheadResult;
  /** Grid ÷ local, medians of the in-page burst time per mode. */
  timeRatio: { baseline: number; none: number; text: number };
  /** The grid's capture overhead ÷ the local one (each side's capture ÷ its own baseline). */
  overheadRatio: { none: number; text: number };
  /** Median bidiscope server CPU per burst, ms (the BiDi socket's cost lands here). */
  serverCpuMs: { local: { none: number; text: number }; grid: { none: number; text: number } };
  startup: { localMs: number[]; gridMs: number[]; medianLocalMs: number; medianGridMs: number; ratio: number };
}

function missingSide(label: string): never {
  throw new Error(`no overhead result for ${label}`);
}

async function timedOpenClose(server: BenchServer): Promise<number> {
  const opened = await server.must('initialize_session', { browser: 'chrome', headless: true }, 120_000);
  await server.must('close_session', { sessionId: String(opened.structured?.['sessionId']) }, 60_000);
  return opened.ms;
}

/** Runs the grid piece: start-up first (`startups` pairs, interleaved), then overhead on each side. */
export async function measureGrid(
  origin: string,
  options: OverheadOptions & { startups: number },
  track: (server: BenchServer) => () => Promise<string[]>,
  progress: (line: string) => void,
): Promise<GridResult> {
  const grid = await startGrid({ slots: 2 });
  const leftovers: string[] = [];
  let closeLocal: (() => Promise<string[]>) | undefined;
  let closeGrid: (() => Promise<string[]>) | undefined;
  try {
    const local = await startBenchServer();
    closeLocal = track(local);
    const remote = await startBenchServer({ args: ['--webdriver-url', grid.url] });
    closeGrid = track(remote);
    progress(`grid: Selenium ${grid.version} at ${grid.url}; session start-up, ${options.startups} pairs (one warm-up each)`);
    await timedOpenClose(local);
    await timedOpenClose(remote);
    const localMs: number[] = [];
    const gridMs: number[] = [];
    for (let i = 0; i < options.startups; i++) {
      localMs.push(await timedOpenClose(local));
      gridMs.push(await timedOpenClose(remote));
    }
    progress(`  start-up local ${localMs.map(Math.round).join(', ')} ms; grid ${gridMs.map(Math.round).join(', ')} ms`);
    progress(`grid: capture overhead, ${options.repetitions} rounds of ${options.requests} fetches × 3 modes, local and grid in turn`);
    const localSession = await openSession(local, 'chrome');
    const gridSession = await openSession(remote, 'chrome');
    const sides = await measureOverheadSideBySide(
      [
        { label: 'local', server: local, sessionId: localSession.sessionId },
        { label: 'grid', server: remote, sessionId: gridSession.sessionId },
      ],
      origin,
      options,
      progress,
    );
    await local.must('close_session', { sessionId: localSession.sessionId }, 60_000);
    await remote.must('close_session', { sessionId: gridSession.sessionId }, 60_000);
    const l = sides.local ?? missingSide('local');
    const g = sides.grid ?? missingSide('grid');
    const medianLocalMs = round(median(localMs), 1);
    const medianGridMs = round(median(gridMs), 1);
    return {
      gridVersion: grid.version,
      browserVersion: gridSession.version,
      local: l,
      grid: g,
      timeRatio: {
        baseline: round(g.medianMs.baseline / l.medianMs.baseline, 3),
        none: round(g.medianMs.none / l.medianMs.none, 3),
        text: round(g.medianMs.text / l.medianMs.text, 3),
      },
      overheadRatio: { none: round(g.ratio.none / l.ratio.none, 3), text: round(g.ratio.text / l.ratio.text, 3) },
      serverCpuMs: {
        local: { none: l.medianServerCpuMs.none, text: l.medianServerCpuMs.text },
        grid: { none: g.medianServerCpuMs.none, text: g.medianServerCpuMs.text },
      },
      startup: {
        localMs: localMs.map((ms) => round(ms, 1)),
        gridMs: gridMs.map((ms) => round(ms, 1)),
        medianLocalMs,
        medianGridMs,
        ratio: round(medianGridMs / medianLocalMs, 3),
      },
    };
  } finally {
    if (closeGrid) leftovers.push(...(await closeGrid()));
    if (closeLocal) leftovers.push(...(await closeLocal()));
    await grid.stop();
    if (leftovers.length > 0) progress(`grid: left behind: ${leftovers.join('; ')}`);
  }
}

/** Markdown table of the grid piece. */
export function gridMarkdown(result: GridResult): string {
  const ms = (value: number): string => `${Math.round(value)} ms`;
  const { local: l, grid: g } = result;
  const rows = [
    `| figure (Chromium ${result.browserVersion.split('.')[0] ?? ''}, Selenium Grid ${result.gridVersion} standalone on loopback) | local chromedriver | through the grid | grid ÷ local |`,
    '| --- | ---: | ---: | ---: |',
    `| ${l.requests} fetches, no capture (in-page median) | ${ms(l.medianMs.baseline)} | ${ms(g.medianMs.baseline)} | ${result.timeRatio.baseline.toFixed(2)}× |`,
    `| same, capture headers only | ${ms(l.medianMs.none)} | ${ms(g.medianMs.none)} | ${result.timeRatio.none.toFixed(2)}× |`,
    `| same, capture text bodies | ${ms(l.medianMs.text)} | ${ms(g.medianMs.text)} | ${result.timeRatio.text.toFixed(2)}× |`,
    `| capture overhead, headers only (capture ÷ no capture) | ${l.ratio.none.toFixed(2)}× | ${g.ratio.none.toFixed(2)}× | ${result.overheadRatio.none.toFixed(2)}× |`,
    `| capture overhead, text bodies | ${l.ratio.text.toFixed(2)}× | ${g.ratio.text.toFixed(2)}× | ${result.overheadRatio.text.toFixed(2)}× |`,
    `| capture lag after the page finished (none / text) | ${ms(l.medianLagMs.none)} / ${ms(l.medianLagMs.text)} | ${ms(g.medianLagMs.none)} / ${ms(g.medianLagMs.text)} | — |`,
    `| bidiscope server CPU per burst (none / text) | ${ms(result.serverCpuMs.local.none)} / ${ms(result.serverCpuMs.local.text)} | ${ms(result.serverCpuMs.grid.none)} / ${ms(result.serverCpuMs.grid.text)} | — |`,
    `| session start-up, initialize_session round trip (median of ${result.startup.localMs.length}) | ${ms(result.startup.medianLocalMs)} | ${ms(result.startup.medianGridMs)} | ${result.startup.ratio.toFixed(2)}× |`,
  ];
  return rows.join('\n');
}
