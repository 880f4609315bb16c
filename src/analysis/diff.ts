/**
 * Differences between two captures (two browsers, or before and after a change). Pure; the entries are already
 * redacted. Requests are paired by method and normalized URL, the k-th occurrence in one with the k-th in the other.
 *
 * Normalization, so that what differs is the page and not the browser:
 * - URL: the fragment is dropped and query parameters are compared as a set (order ignored); `ws:`/`wss:` pair with
 *   `http:`/`https:` (Firefox reports WebSocket handshakes with the latter); `ignoreQuery` compares parameter names
 *   only, `ignoreOrigin` drops scheme, host and port (staging vs production).
 * - Headers: names compared case-insensitively, order and duplicates ignored, values never compared (they are often
 *   redacted, dated or per-browser). Headers each browser sets its own way are left out: see {@link NOISE_HEADERS}.
 * - Sizes: the decoded body size (browsers report encoded sizes differently). Protocol details are not compared.
 * - Requests a browser makes on its own (`/favicon.ico`) are marked as such when they appear on one side only.
 */
import { bodyMimeType, bodyText, classifyText } from '../model/body-kind.js';
import type { NetworkEntry } from '../model/types.js';

/** Request and response headers whose presence depends on the browser or the moment, not on the page. */
export const NOISE_HEADERS: ReadonlySet<string> = new Set([
  'user-agent',
  'accept',
  'accept-language',
  'accept-encoding',
  'priority',
  'connection',
  'keep-alive',
  'te',
  'upgrade-insecure-requests',
  'cache-control',
  'pragma',
  'referer',
  'host',
  'content-length',
  'dnt',
  'sec-gpc',
  'if-none-match',
  'if-modified-since',
  'date',
  'age',
  'expires',
  'transfer-encoding',
  'server-timing',
  'via',
]);
const NOISE_PREFIXES = ['sec-ch-', 'sec-fetch-', ':'];

/** Changes below these are not reported. */
export const DIFF_THRESHOLDS = { sizeBytes: 1024, sizeRatio: 0.2, durationMs: 100, durationRatio: 0.5 } as const;

export interface DiffOptions {
  ignoreQuery?: boolean;
  ignoreOrigin?: boolean;
}

/** A request as the diff names it. */
export interface DiffEntryRef {
  index: number;
  method: string;
  url: string;
  status?: number;
  /** Set for requests a browser makes by itself. */
  note?: string;
}

/** What changed between two paired requests. */
export interface PairChange {
  a: number;
  b: number;
  method: string;
  url: string;
  status?: [number | undefined, number | undefined];
  resourceType?: [string, string];
  size?: [number, number];
  durationMs?: [number, number];
  headersAdded: string[];
  headersRemoved: string[];
  json?: { added: string[]; removed: string[]; typeChanged: string[] };
}

export interface CaptureDiff {
  paired: number;
  onlyInA: DiffEntryRef[];
  onlyInB: DiffEntryRef[];
  changed: PairChange[];
}

const BROWSER_OWN_PATHS = new Set(['/favicon.ico']);

function pairKey(entry: NetworkEntry, options: DiffOptions): string {
  let url: URL;
  try {
    url = new URL(entry.url);
  } catch {
    return `${entry.method} ${entry.url}`;
  }
  const params = [...url.searchParams.entries()]
    .map(([name, value]) => (options.ignoreQuery ? name : `${name}=${value}`))
    .sort()
    .join('&');
  // Firefox reports a WebSocket handshake as http(s), Chromium's page script as ws(s): the same request.
  const origin = options.ignoreOrigin ? '' : url.origin.replace(/^ws(s?):/, 'http$1:');
  return `${entry.method.toUpperCase()} ${origin}${url.pathname}${params ? `?${params}` : ''}`;
}

function ref(entry: NetworkEntry): DiffEntryRef {
  const item: DiffEntryRef = { index: entry.index, method: entry.method, url: entry.url };
  if (entry.response) item.status = entry.response.status;
  try {
    if (BROWSER_OWN_PATHS.has(new URL(entry.url).pathname)) item.note = "the browser's own request";
  } catch {
    // not a URL: no note
  }
  return item;
}

function isNoise(name: string): boolean {
  return NOISE_HEADERS.has(name) || NOISE_PREFIXES.some((prefix) => name.startsWith(prefix));
}

function headerNames(entry: NetworkEntry): Set<string> {
  const names = new Set<string>();
  for (const header of entry.request.headers) if (!isNoise(header.name.toLowerCase())) names.add(`request ${header.name.toLowerCase()}`);
  for (const header of entry.response?.headers ?? [])
    if (!isNoise(header.name.toLowerCase())) names.add(`response ${header.name.toLowerCase()}`);
  return names;
}

function bodySize(entry: NetworkEntry): number | undefined {
  return entry.response?.decodedBodySize ?? entry.response?.body?.size;
}

function beyond(a: number, b: number, absolute: number, ratio: number): boolean {
  const delta = Math.abs(a - b);
  return delta >= absolute && delta >= ratio * Math.max(Math.abs(a), Math.abs(b));
}

const MAX_JSON_CHARS = 1_000_000;
const MAX_JSON_PATHS = 500;

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** JSON path → type, arrays as `[]` (element shapes merged), bounded. */
export function jsonShape(value: unknown, path = '$', shape = new Map<string, string>()): Map<string, string> {
  if (shape.size >= MAX_JSON_PATHS) return shape;
  const type = jsonType(value);
  const seen = shape.get(path);
  shape.set(path, seen === undefined || seen === type ? type : `${seen}|${type}`);
  if (type === 'array') for (const item of value as unknown[]) jsonShape(item, `${path}[]`, shape);
  else if (type === 'object')
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) jsonShape(item, `${path}.${key}`, shape);
  return shape;
}

function responseJson(entry: NetworkEntry): unknown {
  const body = entry.response?.body;
  const mimeType = bodyMimeType(entry, 'response');
  const text = bodyText(body, mimeType);
  if (text === undefined || text.length > MAX_JSON_CHARS || body?.truncated || classifyText(text, mimeType) !== 'json') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function jsonChanges(a: NetworkEntry, b: NetworkEntry): PairChange['json'] {
  const left = responseJson(a);
  const right = responseJson(b);
  if (left === undefined || right === undefined) return undefined;
  const shapeA = jsonShape(left);
  const shapeB = jsonShape(right);
  const added = [...shapeB.keys()].filter((path) => !shapeA.has(path));
  const removed = [...shapeA.keys()].filter((path) => !shapeB.has(path));
  const typeChanged = [...shapeA.entries()]
    .filter(([path, type]) => shapeB.has(path) && shapeB.get(path) !== type)
    .map(([path, type]) => `${path} ${type}→${shapeB.get(path)}`);
  return added.length + removed.length + typeChanged.length === 0 ? undefined : { added, removed, typeChanged };
}

function comparePair(a: NetworkEntry, b: NetworkEntry): PairChange | undefined {
  const change: PairChange = { a: a.index, b: b.index, method: a.method, url: b.url, headersAdded: [], headersRemoved: [] };
  let changed = false;
  const statusA = a.error !== undefined ? undefined : a.response?.status;
  const statusB = b.error !== undefined ? undefined : b.response?.status;
  if (statusA !== statusB) {
    change.status = [statusA, statusB];
    changed = true;
  }
  if (a.resourceType !== b.resourceType) {
    change.resourceType = [a.resourceType, b.resourceType];
    changed = true;
  }
  const sizeA = bodySize(a);
  const sizeB = bodySize(b);
  if (sizeA !== undefined && sizeB !== undefined && beyond(sizeA, sizeB, DIFF_THRESHOLDS.sizeBytes, DIFF_THRESHOLDS.sizeRatio)) {
    change.size = [sizeA, sizeB];
    changed = true;
  }
  const durationA = a.timings.total;
  const durationB = b.timings.total;
  if (
    durationA !== undefined &&
    durationB !== undefined &&
    beyond(durationA, durationB, DIFF_THRESHOLDS.durationMs, DIFF_THRESHOLDS.durationRatio)
  ) {
    change.durationMs = [Math.round(durationA), Math.round(durationB)];
    changed = true;
  }
  const namesA = headerNames(a);
  const namesB = headerNames(b);
  change.headersAdded = [...namesB].filter((name) => !namesA.has(name)).sort();
  change.headersRemoved = [...namesA].filter((name) => !namesB.has(name)).sort();
  if (change.headersAdded.length + change.headersRemoved.length > 0) changed = true;
  const json = jsonChanges(a, b);
  if (json) {
    change.json = json;
    changed = true;
  }
  return changed ? change : undefined;
}

/** Pairs the requests of two captures and reports what differs. */
export function diffEntries(a: readonly NetworkEntry[], b: readonly NetworkEntry[], options: DiffOptions = {}): CaptureDiff {
  const queues = new Map<string, NetworkEntry[]>();
  for (const entry of b) {
    const key = pairKey(entry, options);
    const queue = queues.get(key);
    if (queue) queue.push(entry);
    else queues.set(key, [entry]);
  }
  const diff: CaptureDiff = { paired: 0, onlyInA: [], onlyInB: [], changed: [] };
  const pairedB = new Set<NetworkEntry>();
  for (const entry of a) {
    const partner = queues.get(pairKey(entry, options))?.shift();
    if (!partner) {
      diff.onlyInA.push(ref(entry));
      continue;
    }
    pairedB.add(partner);
    diff.paired += 1;
    const change = comparePair(entry, partner);
    if (change) diff.changed.push(change);
  }
  for (const entry of b) if (!pairedB.has(entry)) diff.onlyInB.push(ref(entry));
  return diff;
}
