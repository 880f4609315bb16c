/**
 * Response body sizes from `network.ResponseData`, corrected for what each browser actually sends.
 * https://w3c.github.io/webdriver-bidi/#type-network-ResponseData
 *
 * Spec: `bodySize` = encoded body size, `content.size` = decoded body size, `bytesReceived` = everything.
 * - Chromium 156: `bodySize` equals `bytesReceived`, i.e. it counts the header bytes and chunked-transfer framing
 *   (fixture: /api/json bodySize 2343 = bytesReceived, for a 2161-byte body; a chunked response also counts the chunk
 *   framing), so it is not used. `content.size` is the decoded size (2161) and is used. The encoded size is derived: `Content-Length`
 *   when the response was not chunked, else the decoded size when there is no `Content-Encoding` (identity coding
 *   means encoded = decoded), else unknown. When nothing was received (`bytesReceived` 0 and `content.size` 0, as for
 *   a redirect the browser followed without reading its body) both are 0, whatever `Content-Length` declares.
 * - Firefox 153: `bodySize` is the encoded body size (spec-conformant) and is used; `content.size` is always 0, so
 *   the decoded size is unknown (undefined) unless a later version reports a non-zero value.
 * Both are only final at `responseCompleted`; at `responseStarted` the sizes are left undefined.
 */
import type { BidiDialect, BidiResponseData } from './types.js';
import type { Header } from '../types.js';
import { findHeader, headerHasToken } from '../headers.js';

/** Result of {@link responseBodySizes}. */
export interface ResponseBodySizes {
  encodedBodySize?: number;
  decodedBodySize?: number;
  /** For `entry.source.sizes`. */
  note: string;
}

function hasIdentityCoding(headers: readonly Header[]): boolean {
  const coding = findHeader(headers, 'content-encoding')?.trim().toLowerCase();
  return coding === undefined || coding === '' || coding === 'identity';
}

function contentLength(headers: readonly Header[]): number | undefined {
  const value = findHeader(headers, 'content-length')?.trim();
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}

/**
 * Encoded/decoded body sizes for a final (`responseCompleted`) response, with a note saying where they came from.
 * `headers` are the response headers already converted to text.
 */
export function responseBodySizes(response: BidiResponseData, headers: readonly Header[], dialect: BidiDialect): ResponseBodySizes {
  const bodySizeCountsHeaders =
    response.bodySize !== undefined &&
    response.bodySize === response.bytesReceived &&
    (dialect === 'chromium' || (response.headersSize ?? 0) > 0);
  if (bodySizeCountsHeaders) {
    const decoded = response.contentSize;
    if (response.bytesReceived === 0 && decoded === 0) {
      // Nothing was read: a redirect's body (fixture: /r1, Content-Length 19, bytesReceived 0), not a body of 0 bytes.
      return {
        encodedBodySize: 0,
        decodedBodySize: 0,
        note: 'encoded/decoded: 0, the browser read no body (Chromium reports bytesReceived 0, e.g. for a redirect it followed)',
      };
    }
    const chunked = headerHasToken(headers, 'transfer-encoding', 'chunked');
    const declared = chunked ? undefined : contentLength(headers);
    const encoded = declared ?? (decoded !== undefined && hasIdentityCoding(headers) ? decoded : undefined);
    const sizes: ResponseBodySizes = {
      note:
        'decoded: BiDi response.content.size; encoded: ' +
        (declared !== undefined ? 'Content-Length' : encoded !== undefined ? 'equal to decoded (no Content-Encoding)' : 'unknown') +
        ' (Chromium reports response.bodySize = bytesReceived, headers and chunk framing included)',
    };
    if (decoded !== undefined) sizes.decodedBodySize = decoded;
    if (encoded !== undefined) sizes.encodedBodySize = encoded;
    return sizes;
  }
  const sizes: ResponseBodySizes = { note: 'encoded: BiDi response.bodySize' };
  if (response.bodySize !== undefined) sizes.encodedBodySize = response.bodySize;
  const contentSize = response.contentSize;
  if (contentSize !== undefined && (contentSize > 0 || dialect !== 'firefox')) {
    sizes.decodedBodySize = contentSize;
    sizes.note += '; decoded: BiDi response.content.size';
  } else if (dialect === 'firefox') {
    sizes.note += '; decoded: unknown (Firefox reports response.content.size as 0)';
  }
  return sizes;
}
