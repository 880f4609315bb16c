/**
 * HAR 1.2 (already redacted) → the compact data the report page draws: one row per request on a common clock, a
 * summary, navigation markers, and per-request details within a size budget. Pure.
 */
import type { Har, HarEntry } from '../har/types.js';
import { bodyText } from '../model/body-kind.js';
import { barSegments, PHASES, type BarPhase } from './geometry.js';
import { isRedirectStatus } from '../model/http.js';

/** Codes for bar phases in the page data: index into {@link PHASE_CODES}. */
export const PHASE_CODES: readonly BarPhase[] = [...PHASES, 'unknown'];

/** One request as the page draws it (short keys: the data of 10k rows is embedded in the file). */
export interface ReportRow {
  /** ms from the report's start. */
  t: number;
  m: string;
  u: string;
  /** HTTP status; 0 when no response arrived. */
  s: number;
  /** Resource type. */
  k: string;
  /** Response body size in bytes; -1 unknown. */
  z: number;
  /** Total ms; -1 unknown. */
  d: number;
  /** Bar segments: [phase code, start ms from the request's start, duration ms]. */
  b: Array<[number, number, number]>;
  /** Error text of a failed request. */
  e?: string;
  /** Row this redirect leads to. */
  r?: number;
  /** WebSocket frame times (ms from the report's start); `o` marks the sent ones by index into `w`. */
  w?: number[];
  o?: number[];
  /** SSE event times (ms from the report's start). */
  v?: number[];
}

/** Headers, bodies and frames of one request, for the details panel. */
export interface ReportDetails {
  rq: Array<[string, string]>;
  rs: Array<[string, string]>;
  qb?: string;
  sb?: string;
  fr?: Array<[string, number, string]>;
}

export interface ReportSummary {
  requests: number;
  failed: number;
  bytes: number;
  /** ms from the first start to the last end. */
  span: number;
  byType: Record<string, number>;
  byStatus: Record<string, number>;
  byHost: Record<string, number>;
  slowest: number[];
  largest: number[];
}

export interface ReportData {
  title: string;
  /** Epoch ms of the report's time zero. */
  start: number;
  rows: ReportRow[];
  navs: number[];
  summary: ReportSummary;
  /**
   * The class of each status that rows without an error have (`0` → `no response`, `404` → `4xx`), as the summary
   * counts them and the page's filter matches them; a row with an error (`e`) is `failed`. Given once per status
   * rather than per row, so the data of 10k rows stays small.
   */
  statusClasses: Record<number, string>;
  /** Details by row; rows past the budget have none (`detailsOmitted` counts them). */
  details: Record<number, ReportDetails>;
  detailsOmitted: number;
  creator: string;
}

/** Limits that keep a report of 10k requests small and fast. */
export interface ReportLimits {
  /** Characters of each body shown in details. */
  bodyChars: number;
  /** Frames or events listed per request. */
  frames: number;
  /** Total characters of details embedded; later rows get none. */
  detailsBudget: number;
}

export const DEFAULT_REPORT_LIMITS: ReportLimits = { bodyChars: 2_000, frames: 50, detailsBudget: 600_000 };

const round = (value: number): number => Math.round(value * 10) / 10;

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… [${text.length - max} more chars]`;
}

/** The class of a row: `failed` (it has an error), `no response` (e.g. pending), `2xx`…. */
function statusClass(row: ReportRow): string {
  if (row.e !== undefined) return 'failed';
  return row.s === 0 ? 'no response' : `${Math.floor(row.s / 100)}xx`;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host || new URL(url).protocol;
  } catch {
    return '(invalid URL)';
  }
}

function increment(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

function top(rows: readonly ReportRow[], key: (row: ReportRow) => number, count: number): number[] {
  return rows
    .map((row, index) => ({ index, value: key(row) }))
    .filter((item) => item.value > 0)
    .sort((a, b) => b.value - a.value)
    .slice(0, count)
    .map((item) => item.index);
}

function responseSize(entry: HarEntry): number {
  const size = entry.response.content.size;
  return Number.isFinite(size) && size >= 0 ? size : entry.response.bodySize >= 0 ? entry.response.bodySize : -1;
}

function bodyPreview(text: string | undefined, encoding: 'base64' | undefined, mimeType: string, max: number): string | undefined {
  if (text === undefined) return undefined;
  const readable = bodyText({ state: 'available', encoding: encoding === 'base64' ? 'base64' : 'text', data: text }, mimeType);
  if (readable === undefined) return `<binary ${mimeType || 'data'}>`;
  return cut(readable, max);
}

function detailsOf(entry: HarEntry, start: number, limits: ReportLimits): ReportDetails {
  const details: ReportDetails = {
    rq: entry.request.headers.map((header) => [header.name, header.value]),
    rs: entry.response.headers.map((header) => [header.name, header.value]),
  };
  const postData = entry.request.postData;
  const requestBody = bodyPreview(postData?.text, undefined, postData?.mimeType ?? '', limits.bodyChars);
  if (requestBody !== undefined) details.qb = requestBody;
  const content = entry.response.content;
  const responseBody = bodyPreview(content.text, content.encoding, content.mimeType, limits.bodyChars);
  if (responseBody !== undefined) details.sb = responseBody;
  const frames: Array<[string, number, string]> = [
    ...(entry._webSocketMessages ?? []).map((frame): [string, number, string] => [
      frame.type === 'send' ? '↑' : '↓',
      round(frame.time * 1000 - start),
      frame.opcode === 1 ? cut(frame.data, 200) : `<binary ${frame.data.length} chars base64>`,
    ]),
    ...(entry._eventSourceMessages ?? []).map((event): [string, number, string] => [
      event.eventName,
      round(event.time * 1000 - start),
      cut(event.data, 200),
    ]),
  ];
  if (frames.length > 0) details.fr = frames.slice(0, limits.frames);
  return details;
}

/** Builds the report's data from a redacted HAR. */
export function reportData(har: Har, title: string, limits: ReportLimits = DEFAULT_REPORT_LIMITS): ReportData {
  const entries = [...har.log.entries].sort((a, b) => Date.parse(a.startedDateTime) - Date.parse(b.startedDateTime));
  const starts = entries.map((entry) => Date.parse(entry.startedDateTime));
  const pageStarts = har.log.pages.map((page) => Date.parse(page.startedDateTime)).filter(Number.isFinite);
  const start = Math.min(...starts, ...pageStarts, Number.POSITIVE_INFINITY);
  const zero = Number.isFinite(start) ? start : 0;
  const rows: ReportRow[] = entries.map((entry, index) => {
    const t = round((starts[index] ?? zero) - zero);
    const row: ReportRow = {
      t,
      m: entry.request.method,
      u: entry.request.url,
      s: entry.response.status,
      k: entry._resourceType || 'other',
      z: responseSize(entry),
      d: entry.time >= 0 ? round(entry.time) : -1,
      b: barSegments(entry.timings, entry.time).map((segment) => [
        PHASE_CODES.indexOf(segment.phase),
        round(segment.start),
        round(segment.duration),
      ]),
    };
    if (entry._error !== undefined) row.e = entry._error;
    const frames = entry._webSocketMessages ?? [];
    if (frames.length > 0) {
      row.w = frames.map((frame) => round(frame.time * 1000 - zero));
      row.o = frames.flatMap((frame, frameIndex) => (frame.type === 'send' ? [frameIndex] : []));
    }
    const events = entry._eventSourceMessages ?? [];
    if (events.length > 0) row.v = events.map((event) => round(event.time * 1000 - zero));
    return row;
  });
  entries.forEach((entry, index) => {
    const target = entry.response.redirectURL;
    if (!target || !isRedirectStatus(entry.response.status)) return;
    const absolute = (() => {
      try {
        return new URL(target, entry.request.url).href;
      } catch {
        return target;
      }
    })();
    const next = entries.findIndex((candidate, candidateIndex) => candidateIndex > index && candidate.request.url === absolute);
    const row = rows[index];
    if (next !== -1 && row) row.r = next;
  });
  const navs = (
    pageStarts.length > 0 ? pageStarts.map((time) => time - zero) : rows.filter((row) => row.k === 'document').map((row) => row.t)
  ).map(round);

  const summary: ReportSummary = {
    requests: rows.length,
    failed: 0,
    bytes: 0,
    span: 0,
    byType: {},
    byStatus: {},
    byHost: {},
    slowest: [],
    largest: [],
  };
  const statusClasses: Record<number, string> = {};
  for (const row of rows) {
    increment(summary.byType, row.k);
    const klass = statusClass(row);
    if (row.e === undefined) statusClasses[row.s] = klass;
    increment(summary.byStatus, klass);
    if (klass === 'failed' || row.s >= 400) summary.failed += 1;
    increment(summary.byHost, hostOf(row.u));
    if (row.z > 0) summary.bytes += row.z;
    summary.span = Math.max(summary.span, row.t + Math.max(0, row.d), ...(row.w ?? []), ...(row.v ?? []));
  }
  summary.span = round(summary.span);
  summary.slowest = top(rows, (row) => row.d, 5);
  summary.largest = top(rows, (row) => row.z, 5);

  const details: Record<number, ReportDetails> = {};
  let used = 0;
  let detailsOmitted = 0;
  entries.forEach((entry, index) => {
    if (used >= limits.detailsBudget) {
      detailsOmitted += 1;
      return;
    }
    const item = detailsOf(entry, zero, limits);
    used += JSON.stringify(item).length;
    details[index] = item;
  });
  const creator = `${har.log.creator.name} ${har.log.creator.version}`.trim();
  return { title, start: zero, rows, navs, summary, statusClasses, details, detailsOmitted, creator };
}
