/**
 * BiDi header lists → the model's {@link Header} lists.
 * https://w3c.github.io/webdriver-bidi/#type-network-Header
 */
import type { BidiBytesValue, BidiHeader } from './bidi-types.js';
import type { Header } from './types.js';
import { base64ToBytes, decodeLatin1, decodeUtf8Strict } from './bytes.js';

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
 * such as two `Set-Cookie` lines, are kept. Order of first occurrence is preserved.
 */
export function headersFromBidi(headers: readonly BidiHeader[]): ConvertedHeaders {
  return dedupeHeaders(headers.map((header) => ({ name: header.name, value: bytesValueToText(header.value) })));
}

/** Drops exact duplicate headers (name compared ignoring case, value exactly), keeping the first occurrence. */
export function dedupeHeaders(headers: readonly Header[]): ConvertedHeaders {
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
  return headers.find((header) => header.name.toLowerCase() === wanted)?.value;
}

/** Values of every header called `name` (ignoring case), in order. */
export function findHeaders(headers: readonly Header[], name: string): string[] {
  const wanted = name.toLowerCase();
  return headers.filter((header) => header.name.toLowerCase() === wanted).map((header) => header.value);
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
