/** The benchmark's result document (written as JSON) and its Markdown tables (printed, pasted into BENCHMARKS.md). */
import { CORE_TOOLS_LIST_MAX_BYTES, TOOLS_LIST_MAX_BYTES } from '../../test/helpers/tools-list-budget.js';
import type { GridResult } from './grid.js';
import type { QueryLatencyResult, ThroughputResult } from './in-process.js';
import type { MemoryResult } from './memory.js';
import type { OverheadResult } from './overhead.js';
import { scriptResultTable, type ScriptBenchResult } from './script-results.js';
import type { TokenResult } from './tokens.js';
import { shapingTable, type ShapingResult } from './shaping.js';

/** Everything measured for one browser. */
export interface BrowserResult {
  browser: 'chrome' | 'firefox';
  version: string;
  overhead: OverheadResult;
  tokens: TokenResult;
  memory: MemoryResult;
  scripts: ScriptBenchResult;
  shaping?: ShapingResult;
}

/** The whole run. */
export interface BenchResult {
  startedAt: string;
  durationSeconds: number;
  machine: { cpus: number; loadAverageAtStart: number[]; node: string; platform: string };
  targets: typeof TARGETS;
  inProcess: { throughput: ThroughputResult; queryLatency: QueryLatencyResult };
  browsers: BrowserResult[];
  /** Selenium Grid vs local chromedriver, or why that piece did not run. */
  grid?: GridResult | string;
  leftovers: string[];
}

/** The targets. */
export const TARGETS = {
  captureOverheadRatio: 1.3,
  eventsPerSecond: 200_000,
  bytesPerEntry: 2048,
  queryMedianMs: 10,
  listBytesPerRequest: 45,
  // The bounds test/unit/mcp/tool-schemas.test.ts holds.
  toolsListBytes: TOOLS_LIST_MAX_BYTES,
  coreToolsListBytes: CORE_TOOLS_LIST_MAX_BYTES,
} as const;

const mark = (ok: boolean): string => (ok ? '✓' : '✗');
const ms = (value: number): string => `${value.toFixed(value < 10 ? 2 : 0)} ms`;
const kb = (bytes: number): string => `${(bytes / 1024).toFixed(2)} KB`;
const mib = (bytes: number): string => `${(bytes / 1048576).toFixed(1)} MiB`;
const count = (value: number): string => value.toLocaleString('en-US');

function browserName(result: BrowserResult): string {
  return `${result.browser === 'chrome' ? 'Chromium' : 'Firefox'} ${result.version.split('.')[0] ?? ''}`.trim();
}

function cpu(result: BrowserResult, mode: 'baseline' | 'none' | 'text'): string {
  const o = result.overhead;
  return `${o.medianServerCpuMs[mode]} + ${o.medianBrowserCpuMs[mode]} ms`;
}

function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

type Cell = (result: BrowserResult) => { text: string; ok?: boolean };

function browserRows(results: readonly BrowserResult[], rows: ReadonlyArray<[string, Cell, string]>): string[] {
  const lines = [row(['figure', ...results.map(browserName), 'target']), row(['---', ...results.map(() => '---:'), '---'])];
  for (const [label, cell, target] of rows) {
    lines.push(
      row([
        label,
        ...results.map((result) => {
          const { text, ok } = cell(result);
          return ok === undefined ? text : `${text} ${mark(ok)}`;
        }),
        target,
      ]),
    );
  }
  return lines;
}

/** Markdown tables of a run (browser figures side by side, then the in-process figures). */
export function markdownTables(result: BenchResult): string {
  const t = TARGETS;
  const last = (r: BrowserResult) => r.memory.points.at(-1);
  const first = (r: BrowserResult) => r.memory.points[0];
  const steps = (result.browsers[0]?.memory.points ?? []).map((point) => count(point.entries)).join(' / ');
  const browsers = browserRows(result.browsers, [
    [
      `capture overhead, headers only (${result.browsers[0]?.overhead.requests ?? 0} fetches)`,
      (r) => ({
        text: `${r.overhead.ratio.none.toFixed(2)}× (${ms(r.overhead.medianMs.none)} vs ${ms(r.overhead.medianMs.baseline)})`,
        ok: r.overhead.ratio.none <= t.captureOverheadRatio,
      }),
      `≤ ${t.captureOverheadRatio}×`,
    ],
    [
      'capture overhead, text bodies',
      (r) => ({
        text: `${r.overhead.ratio.text.toFixed(2)}× (${ms(r.overhead.medianMs.text)})`,
        ok: r.overhead.ratio.text <= t.captureOverheadRatio,
      }),
      `≤ ${t.captureOverheadRatio}×`,
    ],
    [
      'CPU per burst, server + browser: baseline / none / text',
      (r) => ({ text: `${cpu(r, 'baseline')} / ${cpu(r, 'none')} / ${cpu(r, 'text')}` }),
      '—',
    ],
    [
      'overhead in CPU work (none / text)',
      (r) => ({ text: `${r.overhead.cpuRatio.none.toFixed(2)}× / ${r.overhead.cpuRatio.text.toFixed(2)}×` }),
      '—',
    ],
    [
      'capture lag after the page finished (none / text)',
      (r) => ({ text: `${ms(r.overhead.medianLagMs.none)} / ${ms(r.overhead.medianLagMs.text)}` }),
      '—',
    ],
    ['server RSS after the session opened', (r) => ({ text: mib(r.memory.baseline.rssBytes) }), '—'],
    [
      `server heap per entry at ${steps} (after a forced full GC)`,
      (r) => ({
        text: `${kb(first(r)?.heapPerEntry ?? NaN)} / ${kb(last(r)?.heapPerEntry ?? NaN)}`,
        ok: (last(r)?.heapPerEntry ?? Infinity) <= t.bytesPerEntry,
      }),
      `≤ ${kb(t.bytesPerEntry)}`,
    ],
    [
      `server RSS per entry at ${steps} (RSS − baseline) ÷ entries`,
      (r) => ({ text: `${kb(first(r)?.rssPerEntry ?? NaN)} / ${kb(last(r)?.rssPerEntry ?? NaN)}` }),
      'see notes',
    ],
    [
      'marginal cost of an entry from 1k to 10k (heap / RSS)',
      (r) => ({ text: `${kb(last(r)?.marginalHeapPerEntry ?? NaN)} / ${kb(last(r)?.marginalRssPerEntry ?? NaN)}` }),
      '—',
    ],
    [
      'list_network_requests, page of 100 at 10k, round trip (median)',
      (r) => ({ text: ms(r.memory.roundTrip.listPage100.medianMs), ok: r.memory.roundTrip.listPage100.medianMs <= t.queryMedianMs }),
      `≤ ${t.queryMedianMs} ms`,
    ],
    [
      'same, filtered (urlFilter + status)',
      (r) => ({
        text: ms(r.memory.roundTrip.listPage100Filtered.medianMs),
        ok: r.memory.roundTrip.listPage100Filtered.medianMs <= t.queryMedianMs,
      }),
      `≤ ${t.queryMedianMs} ms`,
    ],
    [
      'get_request_details at 10k, round trip (median)',
      (r) => ({ text: ms(r.memory.roundTrip.details.medianMs), ok: r.memory.roundTrip.details.medianMs <= t.queryMedianMs }),
      `≤ ${t.queryMedianMs} ms`,
    ],
    ['get_network_capture_status, round trip (MCP floor)', (r) => ({ text: ms(r.memory.roundTrip.statusCall.medianMs) }), '—'],
    [
      'list bytes per request, page of 100 fetches',
      (r) => ({
        text: `${r.tokens.listOf100.textBytesPerRequest} B (whole result ${r.tokens.listOf100.resultBytesPerRequest} B)`,
        ok: r.tokens.listOf100.textBytesPerRequest <= t.listBytesPerRequest,
      }),
      `≤ ${t.listBytesPerRequest} B`,
    ],
    [
      'list bytes per request, test-site main page',
      (r) => ({
        text: `${r.tokens.listSitePage.textBytesPerRequest} B over ${r.tokens.listSitePage.lines} (whole ${r.tokens.listSitePage.resultBytesPerRequest} B)`,
        ok: r.tokens.listSitePage.textBytesPerRequest <= t.listBytesPerRequest,
      }),
      `≤ ${t.listBytesPerRequest} B`,
    ],
    [
      'tools/list bytes (compact JSON): all tools',
      (r) => ({ text: `${count(r.tokens.toolsListBytes)} B`, ok: r.tokens.toolsListBytes < t.toolsListBytes }),
      `< ${count(t.toolsListBytes)} B`,
    ],
    [
      'same, the core tools (session, page, capture, inspection)',
      (r) => ({ text: `${count(r.tokens.coreToolsListBytes)} B`, ok: r.tokens.coreToolsListBytes < t.coreToolsListBytes }),
      `< ${count(t.coreToolsListBytes)} B`,
    ],
    [
      'get_request_details bytes, login POST',
      (r) => ({ text: `${count(r.tokens.loginDetails.textBytes)} B (whole ${count(r.tokens.loginDetails.resultBytes)} B)` }),
      '—',
    ],
  ]);
  const ip = result.inProcess;
  const q = ip.queryLatency;
  const inProcess = [
    row(['figure (in process, no browser)', 'value', 'target']),
    row(['---', '---:', '---']),
    row([
      'normalization, NetworkLog.ingest (per CPU-second / wall)',
      `${count(ip.throughput.ingest.eventsPerCpuSecond)} / ${count(ip.throughput.ingest.eventsPerSecond)} events/s ${mark(ip.throughput.ingest.eventsPerCpuSecond >= t.eventsPerSecond)}`,
      `≥ ${count(t.eventsPerSecond)}/s`,
    ]),
    row([
      `JSON.parse of the same events (mean ${count(ip.throughput.meanEventBytes)} B), the machine's yardstick`,
      `${count(ip.throughput.parse.eventsPerCpuSecond)} / ${count(ip.throughput.parse.eventsPerSecond)} events/s`,
      '—',
    ]),
    row(['ingest cost in JSON.parses of the same event', `${ip.throughput.ingestCostInParses.toFixed(2)}×`, '—']),
    row([
      'JSON.parse + ingest (what the server does per event)',
      `${count(ip.throughput.parseAndIngest.eventsPerCpuSecond)} / ${count(ip.throughput.parseAndIngest.eventsPerSecond)} events/s`,
      '—',
    ]),
    row([
      `list page of 100 at ${count(q.entries)} entries (median / p95)`,
      `${ms(q.listPage100.medianMs)} / ${ms(q.listPage100.p95Ms)} ${mark(q.listPage100.medianMs <= t.queryMedianMs)}`,
      `≤ ${t.queryMedianMs} ms`,
    ]),
    row([
      'same, filtered (urlFilter + status)',
      `${ms(q.listPage100Filtered.medianMs)} / ${ms(q.listPage100Filtered.p95Ms)} ${mark(q.listPage100Filtered.medianMs <= t.queryMedianMs)}`,
      `≤ ${t.queryMedianMs} ms`,
    ]),
    row([
      'request details (redact + format)',
      `${ms(q.details.medianMs)} / ${ms(q.details.p95Ms)} ${mark(q.details.medianMs <= t.queryMedianMs)}`,
      `≤ ${t.queryMedianMs} ms`,
    ]),
  ];
  const m = result.machine;
  const footer = `${m.cpus} CPUs, load average ${m.loadAverageAtStart.map((value) => value.toFixed(1)).join(' ')} at start, Node ${m.node}, ${result.durationSeconds.toFixed(0)} s total.`;
  const scripts = scriptResultTable(result.browsers.map((r) => ({ name: browserName(r), scripts: r.scripts })));
  const shaped = result.browsers.flatMap((r) => (r.shaping ? [{ name: browserName(r), shaping: r.shaping }] : []));
  const shaping = shaped.length > 0 ? ['', shapingTable(shaped)] : [];
  return [...browsers, ...shaping, '', ...inProcess, '', scripts, '', footer].join('\n');
}
