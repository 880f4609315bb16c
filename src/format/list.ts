/** One compact line per request, and the paged listing around them (`list_network_requests`). */
import type { NetworkEntry } from '../model/types.js';
import { listKind } from './kinds.js';
import { formatBytes, formatDuration } from './units.js';
import { shortenUrl } from './url.js';

export interface ListLineOptions {
  /** Origin whose URLs are shown as path + query only (say which in the page header). */
  baseOrigin?: string;
  /** Longest URL part in characters (middle cut with `…`). Default 100. */
  maxUrlLength?: number;
}

/** `net::ERR_CONNECTION_REFUSED` and `NS_ERROR_CONNECTION_REFUSED` both → `CONNECTION_REFUSED`. */
export function shortErrorName(error: string | undefined): string {
  if (error === undefined || error.trim().length === 0) return 'unknown';
  const stripped = error
    .trim()
    .replace(/^net::ERR_/, '')
    .replace(/^NS_ERROR_/, '')
    .replace(/^NS_/, '');
  const oneLine = stripped.replace(/\s+/g, ' ');
  return oneLine.length > 40 ? `${oneLine.slice(0, 39)}…` : oneLine;
}

function statusToken(entry: NetworkEntry): string | undefined {
  const status = entry.response ? String(entry.response.status) : undefined;
  if (entry.state === 'failed') {
    const failure = `ERR ${shortErrorName(entry.error)}`;
    return status === undefined ? failure : `${status} ${failure}`;
  }
  if (entry.state === 'pending') return status === undefined ? 'pending' : `${status} pending`;
  if (status !== undefined) return entry.response?.fromCache ? `${status} cached` : status;
  return entry.webSocket || entry.stream ? undefined : '?';
}

function bodySize(entry: NetworkEntry): number | undefined {
  const response = entry.response;
  if (!response) return undefined;
  return response.decodedBodySize ?? response.body?.size ?? response.encodedBodySize;
}

function channelMarker(entry: NetworkEntry): string | undefined {
  if (entry.webSocket) {
    let sent = 0;
    let received = 0;
    for (const frame of entry.webSocket.frames) {
      if (frame.direction === 'sent') sent += 1;
      else received += 1;
    }
    const error = entry.webSocket.error === undefined ? '' : ` ws-ERR ${shortErrorName(entry.webSocket.error)}`;
    return `ws:${sent}↑${received}↓${error}`;
  }
  if (entry.stream) {
    const error = entry.stream.error === undefined ? '' : ` sse-ERR ${shortErrorName(entry.stream.error)}`;
    return `sse:${entry.stream.events.length}${error}`;
  }
  return undefined;
}

/**
 * One line per request, e.g. `[4] POST /api/login 200 json 120B 8ms`:
 * `[index] METHOD url status|pending|ERR NAME [kind] [size] [duration] [ws:3↑3↓|sse:3] [(rule r1: block)]`.
 * Unknown facts are omitted, never shown as zero; an estimated duration reads `~305ms`. The kind is left out when the URL already says it (`/logo.png`).
 */
export function formatListLine(entry: NetworkEntry, options: ListLineOptions = {}): string {
  const url = shortenUrl(entry.url, {
    ...(options.baseOrigin !== undefined ? { baseOrigin: options.baseOrigin } : {}),
    maxLength: options.maxUrlLength ?? 100,
  });
  const marker = channelMarker(entry);
  const size = bodySize(entry);
  const total = entry.timings.total;
  const parts = [
    `[${entry.index}]`,
    entry.method,
    url,
    statusToken(entry),
    marker === undefined ? listKind(entry) : undefined,
    size === undefined || marker !== undefined ? undefined : formatBytes(size),
    total === undefined ? undefined : `${entry.estimatedTimings?.includes('total') === true ? '~' : ''}${formatDuration(total)}`,
    marker,
    entry.shapedBy === undefined ? undefined : `(${entry.shapedBy})`,
  ];
  return parts.filter((part): part is string => part !== undefined && part.length > 0).join(' ');
}

export interface ListPageOptions extends ListLineOptions {
  /** 0-based position of the first shown entry among the matching ones. */
  offset: number;
  /** Page size asked for. */
  limit: number;
  /** How many entries match the filters. */
  total: number;
  /** How many entries the capture holds (before filtering), to say `(filtered from m)`. */
  capturedTotal?: number;
  /** Human-readable active filters (`method=POST status=4xx`); empty or undefined when none. */
  filtersText?: string;
  /** Entries evicted by `maxEntries` before this listing. */
  dropped?: number;
}

function droppedLine(dropped: number | undefined): string | undefined {
  if (dropped === undefined || dropped <= 0) return undefined;
  const noun = dropped === 1 ? 'older entry was' : 'older entries were';
  return `${dropped} ${noun} dropped (maxEntries); restart capture with a higher maxEntries to keep more.`;
}

/**
 * The whole listing: a header line, one line per entry, `Showing a–b of n (filtered from m)`, `Next: offset=K` when
 * more remain, and a line when entries were evicted by `maxEntries`. An empty page says why it is empty.
 * `entries` is the page itself (already filtered and sliced); `a`–`b` are 1-based positions among the matches.
 */
export function formatListPage(entries: readonly NetworkEntry[], options: ListPageOptions): string {
  const filters = options.filtersText?.trim() ?? '';
  const lines: string[] = [];
  const filteredFrom = filters.length > 0 && options.capturedTotal !== undefined ? ` (filtered from ${options.capturedTotal})` : '';
  const page = entries.slice(0, Math.max(0, options.limit));

  if (options.total === 0) {
    if (filters.length > 0) {
      const captured = options.capturedTotal === undefined ? '' : ` (${options.capturedTotal} captured)`;
      lines.push(`No requests match ${filters}${captured}. Loosen or remove filters to see more.`);
    } else {
      lines.push('No requests captured yet. Only requests made after start_network_capture are recorded.');
    }
  } else if (page.length === 0) {
    lines.push(`No requests at offset=${options.offset}: ${options.total} match${filteredFrom}. Use offset 0–${options.total - 1}.`);
  } else {
    const where = filters.length > 0 ? ` where ${filters}` : '';
    const relative = options.baseOrigin !== undefined ? ` (URLs relative to ${options.baseOrigin})` : '';
    lines.push(`Requests${where}${relative}:`);
    for (const entry of page) lines.push(formatListLine(entry, options));
    const first = options.offset + 1;
    const last = options.offset + page.length;
    const next = last < options.total ? ` Next: offset=${last}` : '';
    lines.push(`Showing ${first}–${last} of ${options.total}${filteredFrom}.${next}`);
  }
  const dropped = droppedLine(options.dropped);
  if (dropped !== undefined) lines.push(dropped);
  return lines.join('\n');
}
