/**
 * In-process figures: normalization throughput (recorded events → entries) and the query path of
 * list_network_requests / get_request_details over a 10k-entry log, without MCP or a browser.
 */
import { formatDetails, formatListPage, originOf } from '../../src/format/index.js';
import { compileEntryFilter, describeEntryFilter, type EntryFilterSpec } from '../../src/model/entry-filter.js';
import { NetworkLog } from '../../src/model/network-log.js';
import type { NetworkEntry } from '../../src/model/types.js';
import { redactEntry, redactUrl } from '../../src/redact/index.js';
import { median, nowMs, quantile, round } from './stats.js';
import { ingestAll, syntheticLog, syntheticStream } from './synthetic.js';

/** Events per second for one way of consuming the stream: by the wall clock, and per second of this process's CPU. */
export interface ThroughputFigure {
  eventsPerSecond: number;
  /** Events per CPU-second (user + system, all threads): steadier than wall time on a shared machine. */
  eventsPerCpuSecond: number;
  events: number;
  seconds: number;
}

/** Normalization throughput: ingest only, JSON.parse only, and parse + ingest (what the server does per event). */
export interface ThroughputResult {
  streamEvents: number;
  entriesPerPass: number;
  meanEventBytes: number;
  ingest: ThroughputFigure;
  parse: ThroughputFigure;
  parseAndIngest: ThroughputFigure;
  /** CPU cost of ingesting an event in units of JSON.parse of the same event: machine-independent. */
  ingestCostInParses: number;
}

function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** Repeats `pass` (after one warm-up pass) until at least `minMs` have gone by; returns events/s. */
function repeatFor(minMs: number, eventsPerPass: number, pass: () => void): ThroughputFigure {
  pass();
  let passes = 0;
  const start = nowMs();
  const cpuStart = cpuMs();
  let elapsed = 0;
  while (elapsed < minMs || passes < 3) {
    pass();
    passes++;
    elapsed = nowMs() - start;
  }
  const cpu = cpuMs() - cpuStart;
  const events = passes * eventsPerPass;
  return {
    eventsPerSecond: Math.round(events / (elapsed / 1000)),
    eventsPerCpuSecond: Math.round(events / (cpu / 1000)),
    events,
    seconds: round(elapsed / 1000, 3),
  };
}

/** Measures normalization throughput over copies of both fixtures, each figure for at least `minMs`. */
export function measureThroughput(minMs = 1_000, copies = 100): ThroughputResult {
  const stream = syntheticStream(copies);
  const messages = stream.map((event) => JSON.stringify({ type: 'event', method: event.name, params: event.p }));
  const bytes = messages.reduce((sum, message) => sum + Buffer.byteLength(message), 0);
  let sink = 0;
  const ingest = repeatFor(minMs, stream.length, () => {
    sink += ingestAll(stream).stats().retained;
  });
  const parse = repeatFor(minMs, messages.length, () => {
    for (const message of messages) sink += (JSON.parse(message) as { method: string }).method.length;
  });
  const parseAndIngest = repeatFor(minMs, messages.length, () => {
    const log = new NetworkLog();
    for (const message of messages) {
      const payload = JSON.parse(message) as { method: string; params: unknown };
      log.ingest(payload.method, payload.params, 0);
    }
    sink += log.stats().retained;
  });
  if (sink < 0) throw new Error('unreachable');
  return {
    streamEvents: stream.length,
    entriesPerPass: ingestAll(stream).stats().retained,
    meanEventBytes: Math.round(bytes / messages.length),
    ingest,
    parse,
    parseAndIngest,
    ingestCostInParses: round(parse.eventsPerCpuSecond / ingest.eventsPerCpuSecond, 2),
  };
}

/** Latency of one query kind, in ms. */
export interface LatencyFigure {
  medianMs: number;
  p95Ms: number;
  samples: number;
}

/** In-process query latencies at `entries` entries. */
export interface QueryLatencyResult {
  entries: number;
  listPage100: LatencyFigure;
  listPage100Filtered: LatencyFigure;
  details: LatencyFigure;
  detailsIndex: number;
}

function latency(samples: number, run: () => unknown): LatencyFigure {
  for (let i = 0; i < 5; i++) run();
  const durations: number[] = [];
  for (let i = 0; i < samples; i++) {
    const start = nowMs();
    run();
    durations.push(nowMs() - start);
  }
  return { medianMs: round(median(durations), 3), p95Ms: round(quantile(durations, 0.95), 3), samples };
}

/**
 * What list_network_requests does for one page, as in src/tools/inspect-tools.ts: filter, slice, redact the URL
 * (`listable` in src/tools/present.ts), format.
 */
export function listPage(log: NetworkLog, spec: EntryFilterSpec, offset: number, limit: number): string {
  const all = log.entries();
  const matching = all.filter(compileEntryFilter(spec));
  const page = matching.slice(offset, offset + limit).map((entry) => ({ ...entry, url: redactUrl(entry.url) }));
  const document = all.find((entry) => entry.resourceType === 'document') ?? all[0];
  const baseOrigin = document ? originOf(document.url) : undefined;
  return formatListPage(page, {
    offset,
    limit,
    total: matching.length,
    capturedTotal: all.length,
    filtersText: describeEntryFilter(spec),
    ...(baseOrigin ? { baseOrigin } : {}),
    dropped: log.stats().dropped,
  });
}

/** What get_request_details does for one entry (redact, format with redirect links). */
export function detailsOf(log: NetworkLog, entry: NetworkEntry): string {
  return formatDetails(redactEntry(entry), {
    resolveEntry: (id) => {
      const linked = log.findById(id);
      return linked ? { index: linked.index, url: redactEntry(linked).url } : undefined;
    },
  }).text;
}

/** Times list pages of 100 and details calls over a synthetic log of `entries` entries. */
export function measureQueryLatency(entries = 10_000, samples = 200): QueryLatencyResult {
  const log = syntheticLog(entries);
  const all = log.entries();
  const middle = Math.floor(all.length / 2);
  const login = all.slice(middle).find((entry) => entry.method === 'POST') ?? all[middle];
  if (!login) throw new Error('synthetic log is empty');
  return {
    entries: all.length,
    listPage100: latency(samples, () => listPage(log, {}, middle, 100)),
    listPage100Filtered: latency(samples, () => listPage(log, { urlFilter: 'api/', status: 200 }, 0, 100)),
    details: latency(samples, () => detailsOf(log, login)),
    detailsIndex: login.index,
  };
}
