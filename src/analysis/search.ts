/**
 * Search across a capture: URLs, headers, request and response bodies, WebSocket frames and SSE events, one hit per
 * place that matches. Pure. The caller passes entries already through the redaction gate, so a search can never find
 * (or reveal by its hits) a value the agent may not see.
 */
import { bodyMimeType, bodyText } from '../model/body-kind.js';
import type { NetworkEntry } from '../model/types.js';
import type { TextPattern } from '../model/url-filter.js';

/** Where a search looks. */
export const SEARCH_FIELDS = ['url', 'headers', 'requestBody', 'responseBody', 'frames'] as const;
export type SearchField = (typeof SEARCH_FIELDS)[number];

/** One place that matched. */
export interface SearchHit {
  index: number;
  method: string;
  url: string;
  /** e.g. `url`, `request header authorization`, `response body`, `frame 3 ↓`, `event 2 (message)`. */
  where: string;
  /** The text around the match, on one line. */
  snippet: string;
}

/** Everything one search found, and what it could not look at. */
export interface SearchOutcome {
  hits: SearchHit[];
  /** More hits exist than `maxHits` kept. */
  truncated: boolean;
  entriesSearched: number;
  /** Bodies not searched because they were not (yet) available: still being fetched, not kept, binary. */
  notSearched: { pending: number; unavailable: number; binary: number };
  /** The search stopped at its time bound before reaching every entry. */
  timedOut: boolean;
}

const SNIPPET_BEFORE = 40;
const SNIPPET_AFTER = 40;

/** A one-line snippet of `text` ending `SNIPPET_AFTER` characters after `end`. */
export function snippetAround(text: string, end: number, patternLength: number): string {
  const from = Math.max(0, end - Math.max(patternLength, 1) - SNIPPET_BEFORE);
  const to = Math.min(text.length, end + SNIPPET_AFTER);
  const body = text.slice(from, to).replace(/\r/g, '\\r').replace(/\n/g, '\\n').replace(/\t/g, ' ');
  return `${from > 0 ? '…' : ''}${body}${to < text.length ? '…' : ''}`;
}

interface SearchOptions {
  fields: readonly SearchField[];
  maxHits: number;
  /** Monotonic clock and a deadline, so a huge capture cannot hold a tool call for long. */
  now?: () => number;
  deadline?: number;
}

/** Runs `pattern` over `entries` (redacted) and collects hits in entry order. */
export function searchEntries(entries: readonly NetworkEntry[], pattern: TextPattern, options: SearchOptions): SearchOutcome {
  const outcome: SearchOutcome = {
    hits: [],
    truncated: false,
    entriesSearched: 0,
    notSearched: { pending: 0, unavailable: 0, binary: 0 },
    timedOut: false,
  };
  const fields = new Set(options.fields);
  const now = options.now ?? (() => performance.now());
  const length = pattern.source.length;
  // A regex with ^ or $ can match one header line but not the lines joined, so it skips the joined pre-check.
  const anchored = pattern.kind === 'regex' && /[\^$]/.test(pattern.source);
  let collecting = true;
  const look = (entry: NetworkEntry, where: string, text: string): void => {
    const end = pattern.matchEnd(text);
    if (end < 0) return;
    if (!collecting) {
      outcome.truncated = true;
      return;
    }
    outcome.hits.push({ index: entry.index, method: entry.method, url: entry.url, where, snippet: snippetAround(text, end, length) });
    if (outcome.hits.length >= options.maxHits) collecting = false;
  };
  const lookAtBody = (entry: NetworkEntry, which: 'request' | 'response'): void => {
    const body = which === 'request' ? entry.request.body : entry.response?.body;
    if (!body || body.state === 'not-captured') return;
    if (body.state === 'pending') {
      outcome.notSearched.pending += 1;
      return;
    }
    if (body.state === 'unavailable') {
      outcome.notSearched.unavailable += 1;
      return;
    }
    const text = bodyText(body, bodyMimeType(entry, which));
    if (text === undefined) outcome.notSearched.binary += 1;
    else look(entry, `${which} body`, text);
  };
  for (const entry of entries) {
    if (options.deadline !== undefined && now() > options.deadline) {
      outcome.timedOut = true;
      break;
    }
    outcome.entriesSearched += 1;
    if (fields.has('url')) look(entry, 'url', entry.url);
    if (fields.has('headers')) {
      // One pass over all header lines first: most entries have no hit, and one call per header costs more than its text.
      const lines = (headers: readonly { name: string; value: string }[]): string =>
        headers.map((header) => `${header.name}: ${header.value}`).join('\n');
      if (anchored || pattern.matchEnd(`${lines(entry.request.headers)}\n${lines(entry.response?.headers ?? [])}`) >= 0) {
        for (const header of entry.request.headers) look(entry, `request header ${header.name}`, `${header.name}: ${header.value}`);
        for (const header of entry.response?.headers ?? [])
          look(entry, `response header ${header.name}`, `${header.name}: ${header.value}`);
      }
    }
    if (fields.has('requestBody')) lookAtBody(entry, 'request');
    if (fields.has('responseBody')) lookAtBody(entry, 'response');
    if (fields.has('frames')) {
      entry.webSocket?.frames.forEach((frame, number) => {
        if (frame.data !== undefined && frame.opcode === 1)
          look(entry, `frame ${number} ${frame.direction === 'sent' ? '↑' : '↓'}`, frame.data);
      });
      entry.stream?.events.forEach((event, number) => {
        look(entry, `event ${number} (${event.event})`, event.data);
      });
    }
  }
  return outcome;
}
