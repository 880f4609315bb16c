/**
 * Capture overhead: the same 1,000-fetch burst (`runMany(n, 16)` on `/many`, timed inside the page) with no network
 * subscription, with capture of headers only (`captureBodies: 'none'`) and with text bodies (`'text'`), interleaved
 * in one session so that drift on a shared machine hits every mode alike.
 */
import { captureCounters, loadManyPage, runBurst, waitForCapture } from './page-run.js';
import type { BenchServer } from './server.js';
import { median, round, sleep } from './stats.js';

/** A measured mode: no capture, or capture with this captureBodies. */
export type OverheadMode = 'baseline' | 'none' | 'text';
const MODES: readonly OverheadMode[] = ['baseline', 'none', 'text'];

/** Per-mode samples and medians, and the ratios to the baseline median. */
export interface OverheadResult {
  requests: number;
  concurrency: number;
  repetitions: number;
  samplesMs: Record<OverheadMode, number[]>;
  medianMs: Record<OverheadMode, number>;
  /** Median time the capture needed after the page finished to hold every entry (and body). */
  medianLagMs: { none: number; text: number };
  ratio: { none: number; text: number };
  /** Median CPU ms per burst used by the server process, and by the browser and driver processes. */
  medianServerCpuMs: Record<OverheadMode, number>;
  medianBrowserCpuMs: Record<OverheadMode, number>;
  /** (server + browser CPU with capture) ÷ (the same without): the overhead in work rather than in time. */
  cpuRatio: { none: number; text: number };
}

export interface OverheadOptions {
  requests: number;
  concurrency: number;
  repetitions: number;
  /** Shifts the rotation of mode orders (for callers that interleave single rounds of several sessions). */
  roundOffset?: number;
}

interface RunSample {
  ms: number;
  lagMs?: number;
  serverCpuMs: number;
  browserCpuMs: number;
}

async function oneRun(
  server: BenchServer,
  sessionId: string,
  origin: string,
  mode: OverheadMode,
  options: OverheadOptions,
): Promise<RunSample> {
  await loadManyPage(server, sessionId, origin);
  if (mode !== 'baseline') await server.must('start_network_capture', { sessionId, captureBodies: mode });
  const serverCpu = server.cpuMs();
  const browserCpu = server.browserCpuMs();
  const burst = await runBurst(server, sessionId, options.requests, options.concurrency);
  let lagMs: number | undefined;
  if (mode !== 'baseline') lagMs = (await waitForCapture(server, sessionId, options.requests)).lagMs;
  const sample: RunSample = { ms: burst.pageMs, serverCpuMs: server.cpuMs() - serverCpu, browserCpuMs: server.browserCpuMs() - browserCpu };
  if (lagMs !== undefined) sample.lagMs = lagMs;
  if (mode === 'baseline') return sample;
  await sleep(150);
  const counters = await captureCounters(server, sessionId);
  if (counters.bodiesPending > 0) await waitForCapture(server, sessionId, options.requests);
  await server.must('stop_network_capture', { sessionId }, 120_000);
  await server.must('clear_network_capture', { sessionId });
  return sample;
}

/**
 * One warm-up burst, then `repetitions` rounds of the three modes; the order rotates each round so no mode always
 * runs first (or right after a capture).
 */
export async function measureOverhead(
  server: BenchServer,
  sessionId: string,
  origin: string,
  options: OverheadOptions,
  progress: (line: string) => void,
): Promise<OverheadResult> {
  const samples: Record<OverheadMode, number[]> = { baseline: [], none: [], text: [] };
  const serverCpu: Record<OverheadMode, number[]> = { baseline: [], none: [], text: [] };
  const browserCpu: Record<OverheadMode, number[]> = { baseline: [], none: [], text: [] };
  const lags: { none: number[]; text: number[] } = { none: [], text: [] };
  await oneRun(server, sessionId, origin, 'baseline', { ...options, requests: Math.min(200, options.requests) });
  for (let round = 0; round < options.repetitions; round++) {
    const order = MODES.map((_, i) => MODES[(i + round + (options.roundOffset ?? 0)) % MODES.length] ?? 'baseline');
    const line: string[] = [];
    for (const mode of order) {
      const run = await oneRun(server, sessionId, origin, mode, options);
      samples[mode].push(run.ms);
      serverCpu[mode].push(run.serverCpuMs);
      browserCpu[mode].push(run.browserCpuMs);
      if (mode !== 'baseline' && run.lagMs !== undefined) lags[mode].push(run.lagMs);
      line.push(`${mode} ${Math.round(run.ms)} ms (cpu server ${Math.round(run.serverCpuMs)}, browser ${Math.round(run.browserCpuMs)})`);
    }
    progress(`  round ${round + 1}/${options.repetitions}: ${line.join(', ')}`);
  }
  const medianMs = { baseline: median(samples.baseline), none: median(samples.none), text: median(samples.text) };
  const medians = (values: Record<OverheadMode, number[]>): Record<OverheadMode, number> => ({
    baseline: round(median(values.baseline), 0),
    none: round(median(values.none), 0),
    text: round(median(values.text), 0),
  });
  const medianServerCpuMs = medians(serverCpu);
  const medianBrowserCpuMs = medians(browserCpu);
  const totalCpu = (mode: OverheadMode): number => medianServerCpuMs[mode] + medianBrowserCpuMs[mode];
  return {
    requests: options.requests,
    concurrency: options.concurrency,
    repetitions: options.repetitions,
    samplesMs: {
      baseline: samples.baseline.map((ms) => round(ms, 1)),
      none: samples.none.map((ms) => round(ms, 1)),
      text: samples.text.map((ms) => round(ms, 1)),
    },
    medianMs: { baseline: round(medianMs.baseline, 1), none: round(medianMs.none, 1), text: round(medianMs.text, 1) },
    medianLagMs: { none: round(median(lags.none), 1), text: round(median(lags.text), 1) },
    ratio: { none: round(medianMs.none / medianMs.baseline, 3), text: round(medianMs.text / medianMs.baseline, 3) },
    medianServerCpuMs,
    medianBrowserCpuMs,
    cpuRatio: { none: round(totalCpu('none') / totalCpu('baseline'), 3), text: round(totalCpu('text') / totalCpu('baseline'), 3) },
  };
}

/** One result from single rounds measured separately: samples pooled, medians and ratios taken again. */
export function poolOverheadRounds(rounds: readonly OverheadResult[]): OverheadResult {
  const first = rounds[0];
  if (!first) throw new Error('no rounds to pool');
  const perMode = <T>(pick: (mode: OverheadMode) => T): Record<OverheadMode, T> => ({
    baseline: pick('baseline'),
    none: pick('none'),
    text: pick('text'),
  });
  const samplesMs = perMode((mode) => rounds.flatMap((r) => r.samplesMs[mode]));
  const medianMs = perMode((mode) => round(median(samplesMs[mode]), 1));
  const medianServerCpuMs = perMode((mode) => round(median(rounds.map((r) => r.medianServerCpuMs[mode])), 0));
  const medianBrowserCpuMs = perMode((mode) => round(median(rounds.map((r) => r.medianBrowserCpuMs[mode])), 0));
  const cpu = (mode: OverheadMode): number => medianServerCpuMs[mode] + medianBrowserCpuMs[mode];
  return {
    requests: first.requests,
    concurrency: first.concurrency,
    repetitions: rounds.reduce((sum, r) => sum + r.repetitions, 0),
    samplesMs,
    medianMs,
    medianLagMs: {
      none: round(median(rounds.map((r) => r.medianLagMs.none)), 1),
      text: round(median(rounds.map((r) => r.medianLagMs.text)), 1),
    },
    ratio: { none: round(medianMs.none / medianMs.baseline, 3), text: round(medianMs.text / medianMs.baseline, 3) },
    medianServerCpuMs,
    medianBrowserCpuMs,
    cpuRatio: { none: round(cpu('none') / cpu('baseline'), 3), text: round(cpu('text') / cpu('baseline'), 3) },
  };
}

/** A server and one of its open sessions, measured under a label. */
export interface OverheadSide {
  label: string;
  server: BenchServer;
  sessionId: string;
}

/**
 * The overhead of several servers (another tree, another endpoint) measured in turn, one round each at a time, so
 * drift on a shared machine hits every side alike: each round rotates both the mode order and which side goes first.
 */
export async function measureOverheadSideBySide(
  sides: readonly OverheadSide[],
  origin: string,
  options: OverheadOptions,
  progress: (line: string) => void,
): Promise<Record<string, OverheadResult>> {
  const rounds = new Map<string, OverheadResult[]>(sides.map((side) => [side.label, []]));
  const width = Math.max(...sides.map((side) => side.label.length));
  for (let r = 0; r < options.repetitions; r++) {
    for (let i = 0; i < sides.length; i++) {
      const side = sides[(i + r) % sides.length];
      if (!side) continue;
      const one = { ...options, repetitions: 1, roundOffset: r + (options.roundOffset ?? 0) };
      const result = await measureOverhead(side.server, side.sessionId, origin, one, (line) =>
        progress(`  ${side.label.padEnd(width)} round ${r + 1}/${options.repetitions}: ${line.replace(/^\s*round \d+\/\d+: /, '')}`),
      );
      rounds.get(side.label)?.push(result);
    }
  }
  return Object.fromEntries([...rounds].map(([label, results]) => [label, poolOverheadRounds(results)]));
}

/** `--only overhead`: one browser's overhead on each side (this checkout and the ones compared with it). */
export interface OverheadComparison {
  browser: string;
  version: string;
  name: string;
  sides: Array<{ label: string; sourceDir: string; overhead: OverheadResult | undefined }>;
}

/** Markdown: a row per browser and side, with the side's capture ÷ no capture and its CPU. */
export function overheadComparisonTable(results: readonly OverheadComparison[]): string {
  const ms = (value: number): string => `${Math.round(value)} ms`;
  const rows = [
    '| browser | side | no capture / headers only / text (in-page median) | overhead headers only / text | CPU server + browser per burst: baseline / none / text | overhead in CPU (none / text) | lag (none / text) |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const result of results) {
    for (const side of result.sides) {
      const o = side.overhead;
      if (!o) continue;
      const cpu = (mode: OverheadMode): string => `${o.medianServerCpuMs[mode]} + ${o.medianBrowserCpuMs[mode]}`;
      rows.push(
        `| ${result.name} | ${side.label} | ${ms(o.medianMs.baseline)} / ${ms(o.medianMs.none)} / ${ms(o.medianMs.text)} | ${o.ratio.none.toFixed(2)}× / ${o.ratio.text.toFixed(2)}× | ${cpu('baseline')} / ${cpu('none')} / ${cpu('text')} | ${o.cpuRatio.none.toFixed(2)}× / ${o.cpuRatio.text.toFixed(2)}× | ${ms(o.medianLagMs.none)} / ${ms(o.medianLagMs.text)} |`,
      );
    }
  }
  const rounds = results[0]?.sides[0]?.overhead?.repetitions ?? 0;
  return `${rows.join('\n')}\n\n${rounds} rounds per side, interleaved (each round rotates the mode order and which side goes first).`;
}
