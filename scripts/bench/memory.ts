/**
 * Server memory and query latency at scale: RSS (and V8 heap, after a GC forced through the inspector) of the server
 * after the session opened, after 1k and after 10k captured requests without bodies; then list/details round trips
 * through the MCP client at 10k entries.
 */
import { captureCounters, loadManyPage, runBurst, waitForCapture } from './page-run.js';
import type { BenchServer, HeapFigures, TimedCall } from './server.js';
import { median, quantile, round, sleep } from './stats.js';

/** Memory after a forced GC at one point of the capture. */
export interface MemoryPoint {
  entries: number;
  rssBytes: number;
  heapUsedBytes: number;
  /** (RSS − baseline RSS) ÷ entries. */
  rssPerEntry: number;
  /** (heapUsed − baseline heapUsed) ÷ entries. */
  heapPerEntry: number;
  /** Growth since the previous point ÷ entries added since then (RSS, then heap): the cost of one more entry. */
  marginalRssPerEntry?: number;
  marginalHeapPerEntry?: number;
}

/** Round-trip latency of one tool, measured by the MCP client. */
export interface RoundTrip {
  medianMs: number;
  p95Ms: number;
  samples: number;
  meanTextBytes: number;
}

export interface MemoryResult {
  baseline: { rssBytes: number; heapUsedBytes: number };
  points: MemoryPoint[];
  roundTrip: { listPage100: RoundTrip; listPage100Filtered: RoundTrip; details: RoundTrip; statusCall: RoundTrip };
}

function point(entries: number, base: HeapFigures, now: HeapFigures): MemoryPoint {
  return {
    entries,
    rssBytes: now.rss,
    heapUsedBytes: now.heapUsed,
    rssPerEntry: Math.round((now.rss - base.rss) / entries),
    heapPerEntry: Math.round((now.heapUsed - base.heapUsed) / entries),
  };
}

/** RSS counts as settled once two readings a second apart (each after a full GC) differ by less than this. */
const RSS_SETTLED_BYTES = 512 * 1024;
const SETTLE_MAX_MS = 12_000;

/**
 * Memory once the idle server's RSS has settled: V8 gives back young-generation and unused old-space pages some
 * seconds after a burst of allocation, so RSS read right after a GC can be ~20 MB above where it settles.
 */
async function settledMemory(server: BenchServer): Promise<HeapFigures> {
  const deadline = Date.now() + SETTLE_MAX_MS;
  let last = await server.collectGarbage();
  let steady = 0;
  while (steady < 2 && Date.now() < deadline) {
    await sleep(1_000);
    const now = await server.collectGarbage();
    steady = Math.abs(now.rss - last.rss) < RSS_SETTLED_BYTES ? steady + 1 : 0;
    last = now;
  }
  return last;
}

async function roundTrips(count: number, call: (i: number) => Promise<TimedCall>): Promise<RoundTrip> {
  await call(0);
  const ms: number[] = [];
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const outcome = await call(i);
    if (outcome.isError) throw new Error(outcome.text);
    ms.push(outcome.ms);
    bytes += outcome.textBytes;
  }
  return { medianMs: round(median(ms), 2), p95Ms: round(quantile(ms, 0.95), 2), samples: count, meanTextBytes: Math.round(bytes / count) };
}

/** Captures `steps` (cumulative request counts, e.g. [1000, 10000]) and measures memory at each, then latency. */
export async function measureMemory(
  server: BenchServer,
  sessionId: string,
  origin: string,
  steps: readonly number[],
  progress: (line: string) => void,
): Promise<MemoryResult> {
  await loadManyPage(server, sessionId, origin);
  // Warm the page and the server's code paths (a short capture, cleared) so start-up garbage is gone by the baseline.
  await server.must('start_network_capture', { sessionId, captureBodies: 'none' });
  await runBurst(server, sessionId, 200, 16);
  await waitForCapture(server, sessionId, 200);
  await server.must('stop_network_capture', { sessionId }, 120_000);
  await server.must('clear_network_capture', { sessionId });
  const base = await settledMemory(server);
  progress(`  baseline RSS ${(base.rss / 1048576).toFixed(1)} MiB, heap ${(base.heapUsed / 1048576).toFixed(1)} MiB`);
  await server.must('start_network_capture', { sessionId, captureBodies: 'none' });
  const points: MemoryPoint[] = [];
  let done = 0;
  for (const target of steps) {
    await runBurst(server, sessionId, target - done, 16);
    done = target;
    await waitForCapture(server, sessionId, target);
    const retained = (await captureCounters(server, sessionId)).retained;
    const measured = point(retained, base, await settledMemory(server));
    const previous = points.at(-1);
    if (previous !== undefined && retained > previous.entries) {
      measured.marginalRssPerEntry = Math.round((measured.rssBytes - previous.rssBytes) / (retained - previous.entries));
      measured.marginalHeapPerEntry = Math.round((measured.heapUsedBytes - previous.heapUsedBytes) / (retained - previous.entries));
    }
    points.push(measured);
    progress(
      `  ${retained} entries: RSS +${measured.rssPerEntry} B/entry, heap +${measured.heapPerEntry} B/entry (marginal RSS ${measured.marginalRssPerEntry ?? '–'}, heap ${measured.marginalHeapPerEntry ?? '–'})`,
    );
  }
  const entries = (await captureCounters(server, sessionId)).retained;
  // Indexes continue across a session's captures: the first retained one is not 0.
  const firstListed = await server.call('list_network_requests', { sessionId, limit: 1 });
  const firstIndex = (firstListed.structured?.['indexes'] as number[] | undefined)?.[0] ?? 0;
  const samples = 30;
  const roundTrip = {
    listPage100: await roundTrips(samples, (i) =>
      server.call('list_network_requests', { sessionId, offset: (i * 997) % Math.max(1, entries - 100), limit: 100 }),
    ),
    listPage100Filtered: await roundTrips(samples, () =>
      server.call('list_network_requests', { sessionId, urlFilter: 'i=9', status: 200, limit: 100 }),
    ),
    details: await roundTrips(samples, (i) => server.call('get_request_details', { sessionId, index: firstIndex + ((i * 331) % entries) })),
    statusCall: await roundTrips(samples, () => server.call('get_network_capture_status', { sessionId })),
  };
  await server.must('stop_network_capture', { sessionId }, 120_000);
  return { baseline: { rssBytes: base.rss, heapUsedBytes: base.heapUsed }, points, roundTrip };
}
