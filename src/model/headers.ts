/**
 * BiDi header lists → the model's {@link Header} lists.
 * https://w3c.github.io/webdriver-bidi/#type-network-Header
 */
import type { BidiBytesValue, BidiHeader } from './bidi/types.js';
import type { Header } from './types.js';
import { base64ToBytes, decodeLatin1, decodeUtf8Strict } from '../lib/bytes.js';
import { internHeader } from './intern.js';

/**
 * Text of a `network.BytesValue`: `string` values as they are; `base64` values decoded as UTF-8, or as Latin-1
 * when they are not valid UTF-8 (HTTP header bytes outside ASCII are historically Latin-1).
 * https://w3c.github.io/webdriver-bidi/#type-network-BytesValue
 */
export function bytesValueToText(value: BidiBytesValue): string {
  if (value.type === 'string') return value.value;
  const bytes = base64ToBytes(value.value);
  if (bytes === undefined) return value.value;
  return decodeUtf8Strict(bytes) ?? decodeLatin1(bytes);
}

/** Result of {@link headersFromBidi}: the headers and how many exact duplicates were dropped. */
export interface ConvertedHeaders {
  headers: Header[];
  duplicatesRemoved: number;
}

/**
 * Converts BiDi headers to text and drops exact duplicates (same name ignoring case, same value). Chromium 156
 * lists several request headers twice (Referer, User-Agent, sec-ch-ua…); repeated headers with different values,
 * such as two `Set-Cookie` lines, are kept. Order of first occurrence is preserved. Headers are pooled
 * ({@link internHeader}, frozen and shared): captures hold thousands of copies of the same headers.
 */
export function headersFromBidi(headers: readonly BidiHeader[]): ConvertedHeaders {
  const converted: Header[] = new Array<Header>(headers.length);
  for (let i = 0; i < headers.length; i++) {
    const header = headers[i] as BidiHeader;
    converted[i] = internHeader(header.name, bytesValueToText(header.value));
  }
  return dedupeHeaders(converted);
}

/**
 * {@link headersFromBidi}, but when `raw` converts to exactly `previous` (a list this function or
 * {@link headersFromBidi} made), returns `previous` itself: the request headers of a hop arrive again with every
 * event, usually unchanged, and need not be rebuilt each time.
 */
export function headersFromBidiReusing(raw: readonly BidiHeader[], previous: readonly Header[]): ConvertedHeaders {
  const duplicates = duplicatesIfUnchanged(raw, previous);
  if (duplicates !== undefined) return { headers: previous as Header[], duplicatesRemoved: duplicates };
  return headersFromBidi(raw);
}

/**
 * How many duplicates deduplicating `raw` drops, when the result would equal `kept` (same names, same values,
 * same order); undefined when it would differ (or when a value needs decoding, to keep this check cheap).
 */
function duplicatesIfUnchanged(raw: readonly BidiHeader[], kept: readonly Header[]): number | undefined {
  if (kept.length === 0 || raw.length < kept.length) return undefined;
  let matched = 0;
  for (const header of raw) {
    if (header.value.type !== 'string') return undefined;
    const value = header.value.value;
    const next = kept[matched];
    if (next !== undefined && next.name === header.name && next.value === value) {
      matched++;
      continue;
    }
    if (earlierDuplicate(kept, matched, { name: header.name, value }) < 0) return undefined;
  }
  return matched === kept.length ? raw.length - kept.length : undefined;
}

/** Header lists longer than this are deduplicated with a set; shorter ones by comparing pairs (no allocation). */
const PAIRWISE_DEDUPE_LIMIT = 64;

/** True when two header names are equal ignoring case (compares lengths before lower-casing anything). */
export function sameHeaderName(a: string, b: string): boolean {
  return a === b || (a.length === b.length && a.toLowerCase() === b.toLowerCase());
}

/** Index of the first header before `end` equal to `header` (name ignoring case, value exactly), or -1. */
function earlierDuplicate(headers: readonly Header[], end: number, header: Header): number {
  for (let j = 0; j < end; j++) {
    const other = headers[j] as Header;
    if (other.value === header.value && sameHeaderName(other.name, header.name)) return j;
  }
  return -1;
}

/**
 * Drops exact duplicate headers (name compared ignoring case, value exactly), keeping the first occurrence. Returns
 * the input array itself when nothing was dropped.
 */
export function dedupeHeaders(headers: readonly Header[]): ConvertedHeaders {
  if (headers.length > PAIRWISE_DEDUPE_LIMIT) return dedupeWithSet(headers);
  let firstDuplicate = -1;
  for (let i = 1; i < headers.length && firstDuplicate < 0; i++) {
    if (earlierDuplicate(headers, i, headers[i] as Header) >= 0) firstDuplicate = i;
  }
  if (firstDuplicate < 0) return { headers: headers as Header[], duplicatesRemoved: 0 };
  const kept: Header[] = headers.slice(0, firstDuplicate);
  for (let i = firstDuplicate + 1; i < headers.length; i++) {
    const header = headers[i] as Header;
    if (earlierDuplicate(kept, kept.length, header) < 0) kept.push(header);
  }
  return { headers: kept.slice(), duplicatesRemoved: headers.length - kept.length };
}

function dedupeWithSet(headers: readonly Header[]): ConvertedHeaders {
  const seen = new Set<string>();
  const kept: Header[] = [];
  for (const header of headers) {
    const key = `${header.name.toLowerCase()}\n${header.value}`;
    if (seen.has(key)) continue;
    seen.add(key);
    kept.push(header);
  }
  return { headers: kept, duplicatesRemoved: headers.length - kept.length };
}

/** Value of the first header called `name` (ignoring case), or undefined. */
export function findHeader(headers: readonly Header[], name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const header of headers) if (sameHeaderName(header.name, wanted)) return header.value;
  return undefined;
}

/** Text of the first BiDi header called `name` (ignoring case), or undefined: for raw events and intercepts. */
export function findBidiHeader(headers: readonly BidiHeader[], name: string): string | undefined {
  for (const header of headers) if (sameHeaderName(header.name, name)) return bytesValueToText(header.value);
  return undefined;
}

/** Value of the header called `name` (ignoring case) in a `{name: value}` map, as tools and rules take them. */
export function findHeaderInMap(headers: Readonly<Record<string, string>>, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) if (sameHeaderName(key, name)) return value;
  return undefined;
}

/** Values of every header called `name` (ignoring case), in order. */
export function findHeaders(headers: readonly Header[], name: string): string[] {
  const wanted = name.toLowerCase();
  const values: string[] = [];
  for (const header of headers) if (sameHeaderName(header.name, wanted)) values.push(header.value);
  return values;
}

/** True when a comma-separated header (e.g. `Connection: keep-alive, Upgrade`) contains `token`, ignoring case. */
export function headerHasToken(headers: readonly Header[], name: string, token: string): boolean {
  const wanted = token.toLowerCase();
  return findHeaders(headers, name).some((value) =>
    value
      .split(',')
      .map((part) => part.trim().toLowerCase())
      .includes(wanted),
  );
}
