/**
 * Traffic shaping cost, through the real MCP server:
 * - the same 1,000-fetch burst as the capture bench with no rule, with a rule that matches none of the fetches
 *   (bound to another origin, so its BiDi intercept pauses nothing), with a rule that matches none but cannot be
 *   written as a BiDi URL pattern (a path substring: every request is paused and continued), and with rules that
 *   match all of them (`modify` adding a header, `delay 0`); interleaved rounds in one session;
 * - the test site's main page loaded live vs replayed from a HAR recorded in the same browser (time from navigation
 *   start to the page's own "done", `window.__siteDoneMs`), with a check that no replayed request reached the site.
 */
import type { TestSite } from '../../test/site/server.js';
import { loadManyPage, runBurst } from './page-run.js';
import type { BenchServer } from './server.js';
import { median, round, sleep } from './stats.js';

/** Burst modes. */
export type ShapingMode = 'noRule' | 'noMatchOrigin' | 'noMatchPath' | 'modifyAll' | 'delay0All';
const MODES: readonly ShapingMode[] = ['noRule', 'noMatchOrigin', 'noMatchPath', 'modifyAll', 'delay0All'];

/** What the shaping piece measured in one browser. */
export interface ShapingResult {
  requests: number;
  repetitions: number;
  samplesMs: Record<ShapingMode, number[]>;
  medianMs: Record<ShapingMode, number>;
  /** Median of a mode ÷ median with no rule. */
  ratio: Record<Exclude<ShapingMode, 'noRule'>, number>;
  replay: {
    liveMs: number[];
    replayMs: number[];
    medianLiveMs: number;
    medianReplayMs: number;
    /** Steps of the page that did not complete when replayed (the WebSocket cannot be replayed). */
    failedStepsReplayed: string[];
    /** Requests that reached the site during replayed loads (should be 0). */
    requestsReachingSite: number;
  };
}

function ruleFor(mode: ShapingMode, origin: string): Record<string, unknown> | undefined {
  switch (mode) {
    case 'noRule':
      return undefined;
    case 'noMatchOrigin':
      return { urlFilter: 'http://127.0.0.1:9/never', action: { type: 'block' } };
    case 'noMatchPath':
      return { urlFilter: '/never-matches-anything', action: { type: 'block' } };
    case 'modifyAll':
      return { urlFilter: `${origin}/tiny`, action: { type: 'modify', setHeaders: { 'x-bench': '1' } } };
    case 'delay0All':
      return { urlFilter: `${origin}/tiny`, action: { type: 'delay', ms: 0 } };
  }
}

async function burst(server: BenchServer, sessionId: string, origin: string, mode: ShapingMode, requests: number): Promise<number> {
  await loadManyPage(server, sessionId, origin);
  const rule = ruleFor(mode, origin);
  if (rule) await server.must('add_network_rule', { sessionId, ...rule });
  try {
    return (await runBurst(server, sessionId, requests, 16)).pageMs;
  } finally {
    if (rule) await server.must('remove_network_rule', { sessionId, all: true });
  }
}

interface SiteRun {
  ms: number;
  failed: string[];
}

async function loadSite(server: BenchServer, sessionId: string, origin: string): Promise<SiteRun> {
  await server.must('navigate', { sessionId, url: `${origin}/`, wait: 'none' });
  const deadline = Date.now() + 90_000;
  for (;;) {
    const done = await server.must('evaluate_script', {
      sessionId,
      expression: 'window.__siteDone === true ? { ms: window.__siteDoneMs, results: window.__siteResults } : null',
    });
    const value = done.structured?.['result'] as { ms: number; results: Array<{ step: string; ok: boolean }> } | null;
    if (value) return { ms: value.ms, failed: value.results.filter((step) => !step.ok).map((step) => step.step) };
    if (Date.now() > deadline) throw new Error(`the site page did not finish in ${sessionId}`);
    await sleep(50);
  }
}

/** Runs the shaping piece in one open session. */
export async function measureShaping(
  server: BenchServer,
  sessionId: string,
  site: TestSite,
  options: { requests: number; repetitions: number },
  progress: (line: string) => void,
): Promise<ShapingResult> {
  const origin = site.origin;
  const samples = Object.fromEntries(MODES.map((mode) => [mode, [] as number[]])) as Record<ShapingMode, number[]>;
  await burst(server, sessionId, origin, 'noRule', Math.min(200, options.requests));
  for (let round = 0; round < options.repetitions; round++) {
    const order = MODES.map((_, i) => MODES[(i + round) % MODES.length] ?? 'noRule');
    const line: string[] = [];
    for (const mode of order) {
      const ms = await burst(server, sessionId, origin, mode, options.requests);
      samples[mode].push(ms);
      line.push(`${mode} ${Math.round(ms)} ms`);
    }
    progress(`  round ${round + 1}/${options.repetitions}: ${line.join(', ')}`);
  }
  const medianMs = Object.fromEntries(MODES.map((mode) => [mode, round(median(samples[mode]), 1)])) as Record<ShapingMode, number>;
  const ratioOf = (mode: ShapingMode): number => round(medianMs[mode] / medianMs.noRule, 3);

  // Record the main page once, then alternate live and replayed loads.
  await server.must('start_network_capture', { sessionId, captureBodies: 'all' });
  const recorded = await loadSite(server, sessionId, origin);
  if (recorded.failed.length > 0) throw new Error(`the live page failed steps ${recorded.failed.join(', ')}`);
  for (let i = 0; i < 100; i++) {
    const status = await server.must('get_network_capture_status', { sessionId });
    if ((status.structured?.['extraStats'] as { bodiesPending?: number } | undefined)?.bodiesPending === 0) break;
    await sleep(100);
  }
  const harPath = `har/bench-replay-${sessionId}.har`;
  await server.must('export_har', { sessionId, path: harPath });
  await server.must('stop_network_capture', { sessionId }, 120_000);
  await server.must('clear_network_capture', { sessionId });
  const liveMs: number[] = [];
  const replayMs: number[] = [];
  const failed = new Set<string>();
  let reaching = 0;
  for (let round = 0; round < options.repetitions; round++) {
    liveMs.push((await loadSite(server, sessionId, origin)).ms);
    await server.must('replay_har', { sessionId, path: harPath });
    const before = site.received.length;
    const replayed = await loadSite(server, sessionId, origin);
    reaching += site.received.length - before;
    for (const step of replayed.failed) failed.add(step);
    replayMs.push(replayed.ms);
    await server.must('replay_har', { sessionId, stop: true });
    progress(
      `  replay round ${round + 1}/${options.repetitions}: live ${Math.round(liveMs.at(-1) ?? 0)} ms, replayed ${Math.round(replayed.ms)} ms`,
    );
  }
  return {
    requests: options.requests,
    repetitions: options.repetitions,
    samplesMs: samples,
    medianMs,
    ratio: {
      noMatchOrigin: ratioOf('noMatchOrigin'),
      noMatchPath: ratioOf('noMatchPath'),
      modifyAll: ratioOf('modifyAll'),
      delay0All: ratioOf('delay0All'),
    },
    replay: {
      liveMs: liveMs.map((ms) => round(ms, 1)),
      replayMs: replayMs.map((ms) => round(ms, 1)),
      medianLiveMs: round(median(liveMs), 1),
      medianReplayMs: round(median(replayMs), 1),
      failedStepsReplayed: [...failed],
      requestsReachingSite: reaching,
    },
  };
}

/** The shaping table, browsers side by side. */
export function shapingTable(results: ReadonlyArray<{ name: string; shaping: ShapingResult }>): string {
  const mark = (ok: boolean): string => (ok ? '✓' : '✗');
  const row = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  const lines = [row(['figure', ...results.map((r) => r.name), 'target']), row(['---', ...results.map(() => '---:'), '---'])];
  const ratioRow = (label: string, mode: Exclude<ShapingMode, 'noRule'>, target: number | undefined): void => {
    lines.push(
      row([
        label,
        ...results.map(({ shaping }) => {
          const ratio = shaping.ratio[mode];
          return `${ratio.toFixed(2)}× (${Math.round(shaping.medianMs[mode])} vs ${Math.round(shaping.medianMs.noRule)} ms)${target === undefined ? '' : ` ${mark(ratio <= target)}`}`;
        }),
        target === undefined ? '—' : `≤ ${target}×`,
      ]),
    );
  };
  ratioRow(`rule matching none of ${results[0]?.shaping.requests ?? 0} fetches (origin-bound: nothing paused)`, 'noMatchOrigin', 1.1);
  ratioRow('rule matching none, path substring (every request paused)', 'noMatchPath', undefined);
  ratioRow('`modify` rule matching all', 'modifyAll', 2);
  ratioRow('`delay 0` rule matching all', 'delay0All', 2);
  lines.push(
    row([
      'test-site page, live vs replayed (median, page clock)',
      ...results.map(({ shaping }) => {
        const r = shaping.replay;
        return `${Math.round(r.medianLiveMs)} vs ${Math.round(r.medianReplayMs)} ms ${mark(r.medianReplayMs <= r.medianLiveMs)}`;
      }),
      'replay ≤ live',
    ]),
  );
  lines.push(
    row([
      'requests reaching the site while replaying; steps not replayed',
      ...results.map(({ shaping }) => `${shaping.replay.requestsReachingSite}; ${shaping.replay.failedStepsReplayed.join(', ') || 'none'}`),
      '0',
    ]),
  );
  return lines.join('\n');
}
