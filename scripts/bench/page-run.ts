/** Driving the test site's `/many` page through MCP tools: timed fetch bursts and waiting for the capture to catch up. */
import type { BenchServer } from './server.js';
import { nowMs, sleep } from './stats.js';

/** What one `runMany` burst reported, timed inside the page with performance.now(). */
export interface BurstResult {
  pageMs: number;
  ok: number;
}

const RUN_MANY =
  'async (n, c) => { const t0 = performance.now(); const ok = await window.runMany(n, c); return { ms: performance.now() - t0, ok }; }';

/** Runs `window.runMany(n, concurrency)` in the session's page and returns the in-page duration. */
export async function runBurst(server: BenchServer, sessionId: string, n: number, concurrency: number): Promise<BurstResult> {
  const outcome = await server.must(
    'evaluate_script',
    { sessionId, function: RUN_MANY, args: [n, concurrency], timeoutMs: 300_000 },
    320_000,
  );
  const result = outcome.structured?.['result'] as { ms?: unknown; ok?: unknown } | undefined;
  const pageMs = Number(result?.ms);
  const ok = Number(result?.ok);
  if (!Number.isFinite(pageMs) || ok !== n) throw new Error(`runMany(${n}) in ${sessionId}: ${outcome.text}`);
  return { pageMs, ok };
}

/** Capture counters from get_network_capture_status. */
export interface CaptureCounters {
  requests: number;
  responses: number;
  bodiesPending: number;
  retained: number;
}

/** Current capture counters of the session. */
export async function captureCounters(server: BenchServer, sessionId: string): Promise<CaptureCounters> {
  const status = await server.must('get_network_capture_status', { sessionId });
  const current = (status.structured?.['currentStats'] ?? {}) as Record<string, unknown>;
  const extra = (status.structured?.['extraStats'] ?? {}) as Record<string, unknown>;
  const number = (value: unknown): number => (typeof value === 'number' ? value : 0);
  return {
    requests: number(current['requests']),
    responses: number(current['responses']),
    bodiesPending: number(extra['bodiesPending']),
    retained: number(extra['retained']),
  };
}

/**
 * Waits until the capture holds at least `requests` requests with as many responses and no body fetch pending;
 * returns how long that took (the event lag after the page finished) and the counters.
 */
export async function waitForCapture(
  server: BenchServer,
  sessionId: string,
  requests: number,
  timeoutMs = 120_000,
): Promise<{ lagMs: number; counters: CaptureCounters }> {
  const start = nowMs();
  let counters = await captureCounters(server, sessionId);
  while (counters.responses < requests || counters.requests < requests || counters.bodiesPending > 0) {
    if (nowMs() - start > timeoutMs)
      throw new Error(`capture in ${sessionId} stuck at ${JSON.stringify(counters)}, waiting for ${requests}`);
    await sleep(25);
    counters = await captureCounters(server, sessionId);
  }
  return { lagMs: nowMs() - start, counters };
}

/** Opens a headless session of `browser`; returns its id. */
export async function openSession(server: BenchServer, browser: 'chrome' | 'firefox'): Promise<{ sessionId: string; version: string }> {
  const opened = await server.must('initialize_session', { browser, headless: true }, 120_000);
  return { sessionId: String(opened.structured?.['sessionId']), version: String(opened.structured?.['browserVersion'] ?? '?') };
}

/** Loads `/many` (without auto-run) in the session's tab. */
export async function loadManyPage(server: BenchServer, sessionId: string, origin: string): Promise<void> {
  await server.must('navigate', { sessionId, url: `${origin}/many`, wait: 'complete' });
}
