/**
 * Matching requests to HAR entries. Pure. A request matches an entry with the same method, origin, path and query
 * parameters in any order; a query value the HAR holds redacted (`<redacted>`, as bidiscope writes secrets) matches
 * any value. Several entries for one request are served in recorded order; after the last, the last is served
 * again (a reload sees the final state). With `matchBody`, an entry whose POST body equals the request's is
 * preferred; when the browser does not report the request body (Firefox at this phase), method + URL decide.
 */
import { REDACTED } from '../redact/index.js';
import { originOfFilter } from './rules.js';
import type { ReplayEntry } from './har-reader.js';
import type { ReplayRequest, ReplaySource, ServedResponse } from './replay-source.js';
import { compileUrlFilter } from '../model/url-filter.js';

interface Candidate {
  entry: ReplayEntry;
  params: Array<[string, string]>;
}

interface Slot {
  candidates: Candidate[];
  /** How many times each candidate (by position) was served. */
  served: number[];
}

function sortedParams(url: URL): Array<[string, string]> {
  return [...url.searchParams.entries()].sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
}

function slotKey(method: string, url: URL): string {
  const names = [...new Set(url.searchParams.keys())].sort().join('&');
  return `${method.toUpperCase()} ${url.origin}${url.pathname}?${names}`;
}

function paramsMatch(recorded: ReadonlyArray<[string, string]>, live: ReadonlyArray<[string, string]>): boolean {
  if (recorded.length !== live.length) return false;
  const remaining = [...live];
  for (const [name, value] of recorded) {
    const at = remaining.findIndex(([liveName, liveValue]) => liveName === name && (value === REDACTED || value === liveValue));
    if (at < 0) return false;
    remaining.splice(at, 1);
  }
  return true;
}

/** The response an entry serves (status 0 = network error, handled by the caller). */
function served(entry: ReplayEntry, body: string | undefined): ServedResponse {
  return {
    status: entry.status,
    statusText: entry.statusText,
    headers: entry.headers,
    ...(body !== undefined ? { body: { type: 'base64' as const, value: body } } : {}),
  };
}

/** Options of one replay. */
export interface ReplayOptions {
  label: string;
  notFound: 'abort' | 'passthrough';
  matchBody: boolean;
  /** Side-file bodies (Playwright `_file`), already read, as base64 by file name. */
  files?: ReadonlyMap<string, string>;
}

/** Builds the replay the shaper consults for every paused request. */
export function buildReplay(entries: readonly ReplayEntry[], options: ReplayOptions): ReplaySource {
  const slots = new Map<string, Slot>();
  const origins = new Map<string, ReturnType<typeof originOfFilter>>();
  for (const entry of entries) {
    const url = new URL(entry.url);
    const key = slotKey(entry.method, url);
    let slot = slots.get(key);
    if (!slot) {
      slot = { candidates: [], served: [] };
      slots.set(key, slot);
    }
    slot.candidates.push({ entry, params: sortedParams(url) });
    slot.served.push(0);
    if (url.protocol === 'http:' || url.protocol === 'https:') origins.set(url.origin, originOfFilter(compileUrlFilter(`${url.origin}/`)));
  }
  const counts = { served: 0, unmatched: 0 };

  const bodyOf = (entry: ReplayEntry): string | undefined => {
    if (!entry.body) return undefined;
    if ('base64' in entry.body) return entry.body.base64;
    return options.files?.get(entry.body.file);
  };

  return {
    label: options.label,
    notFound: options.notFound,
    origins: [...origins.values()].filter((origin) => origin !== undefined),
    counts,
    answer(request: ReplayRequest): ServedResponse | undefined {
      let url: URL;
      try {
        url = new URL(request.url);
      } catch {
        counts.unmatched += 1;
        return undefined;
      }
      const slot = slots.get(slotKey(request.method, url));
      const live = sortedParams(url);
      const matching = (slot?.candidates ?? [])
        .map((candidate, position) => ({ candidate, position }))
        .filter(({ candidate }) => paramsMatch(candidate.params, live));
      let pool = matching;
      if (options.matchBody && request.body !== undefined) {
        const sameBody = matching.filter(({ candidate }) => candidate.entry.requestBody === request.body);
        if (sameBody.length > 0) pool = sameBody;
      }
      if (!slot || pool.length === 0) {
        counts.unmatched += 1;
        return undefined;
      }
      const next = pool.find(({ position }) => slot.served[position] === 0) ?? pool[pool.length - 1];
      if (!next) return undefined;
      slot.served[next.position] = (slot.served[next.position] ?? 0) + 1;
      counts.served += 1;
      return served(next.candidate.entry, bodyOf(next.candidate.entry));
    },
  };
}
