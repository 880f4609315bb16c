/**
 * Body bytes from the browser (`network.getData` → `network.BytesValue`) → {@link BodyRecord}.
 * https://w3c.github.io/webdriver-bidi/#command-network-getData
 *
 * Browsers disagree on the wire form: Chromium returns a 3 MB `application/octet-stream` body as a string,
 * Firefox as base64. The record depends on the MIME type and the bytes, not on that choice: textual types that are
 * valid UTF-8 become text; everything else is binary (base64).
 */
import type { BodyRecord } from './types.js';
import type { BidiBytesValue } from './bidi-types.js';
import {
  base64ToBytes,
  bytesToBase64,
  decodeUtf8Strict,
  encodeUtf8,
  truncateUtf8Bytes,
  utf8ByteLength,
} from './bytes.js';

/** Which bodies to keep: `text` keeps only textual bodies, `all` keeps binary ones too (as base64). */
export type BodyCaptureMode = 'text' | 'all';

const TEXTUAL_APPLICATION_TYPES = new Set([
  'application/json',
  'application/javascript',
  'application/x-javascript',
  'application/ecmascript',
  'application/xml',
  'application/xhtml+xml',
  'application/x-www-form-urlencoded',
  'application/graphql',
  'application/x-ndjson',
  'application/yaml',
  'application/x-yaml',
  'application/toml',
  'application/sql',
  'application/csp-report',
  'multipart/form-data',
]);

/** The MIME essence (`type/subtype`, lowercased, parameters dropped), or '' when there is none. */
export function mimeEssence(mimeType: string | undefined): string {
  return (mimeType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/**
 * True for MIME types whose bodies are text: `text/*`, JSON (`+json`), JavaScript, XML (`+xml`, incl. SVG),
 * form-urlencoded and a few other text formats.
 */
export function isTextualMimeType(mimeType: string | undefined): boolean {
  const essence = mimeEssence(mimeType);
  if (essence === '') return false;
  if (essence.startsWith('text/')) return true;
  if (essence.endsWith('+json') || essence.endsWith('+xml')) return true;
  return TEXTUAL_APPLICATION_TYPES.has(essence);
}

function notCapturedBinary(mimeType: string | undefined, size: number | undefined): BodyRecord {
  const record: BodyRecord = {
    state: 'not-captured',
    reason:
      `binary body (${mimeEssence(mimeType) || 'unknown type'}) not kept because captureBodies is 'text'; ` +
      "use 'all' to keep binary bodies",
  };
  if (size !== undefined) record.size = size;
  return record;
}

function textRecord(text: string, maxBodyBytes: number): BodyRecord {
  const size = utf8ByteLength(text);
  if (size <= maxBodyBytes) return { state: 'available', encoding: 'text', data: text, size };
  const kept = truncateUtf8Bytes(encodeUtf8(text), maxBodyBytes);
  return { state: 'available', encoding: 'text', data: decodeUtf8Strict(kept) ?? '', size, truncated: true };
}

function binaryRecord(bytes: Uint8Array, maxBodyBytes: number): BodyRecord {
  const truncated = bytes.length > maxBodyBytes;
  const kept = truncated ? bytes.subarray(0, Math.max(0, Math.floor(maxBodyBytes))) : bytes;
  const record: BodyRecord = { state: 'available', encoding: 'base64', data: bytesToBase64(kept), size: bytes.length };
  if (truncated) record.truncated = true;
  return record;
}

/**
 * Decides text vs base64 for a body the browser returned, truncates it to `maxBodyBytes` (bytes; `size` stays the
 * size of the whole body and `truncated` is set) and, in mode `text`, returns `not-captured` with a reason for
 * binary bodies. A string whose MIME type is not textual is treated as binary, so Chromium and Firefox agree.
 * A `maxBodyBytes` that is not a finite number means "no limit".
 */
export function bodyFromBidiBytes(
  bytes: BidiBytesValue,
  mimeType: string | undefined,
  maxBodyBytes: number,
  mode: BodyCaptureMode,
): BodyRecord {
  const limit = Number.isFinite(maxBodyBytes) ? Math.max(0, maxBodyBytes) : Number.POSITIVE_INFINITY;
  const textual = isTextualMimeType(mimeType);
  const mimeKnown = mimeEssence(mimeType) !== '';
  if (bytes.type === 'string') {
    // BiDi only sends `string` for valid UTF-8; it is text unless the MIME type says the body is binary.
    if (textual || !mimeKnown) return textRecord(bytes.value, limit);
    if (mode === 'text') return notCapturedBinary(mimeType, utf8ByteLength(bytes.value));
    const size = utf8ByteLength(bytes.value);
    const cut = size > limit ? truncateUtf8Bytes(encodeUtf8(bytes.value), limit) : encodeUtf8(bytes.value);
    const record: BodyRecord = { state: 'available', encoding: 'base64', data: bytesToBase64(cut), size };
    if (size > limit) record.truncated = true;
    return record;
  }
  const decoded = base64ToBytes(bytes.value);
  if (decoded === undefined) {
    return { state: 'unavailable', reason: 'the browser returned a body that is not valid base64' };
  }
  if (textual) {
    const text = decodeUtf8Strict(decoded);
    if (text !== undefined) return textRecord(text, limit);
  }
  if (mode === 'text') return notCapturedBinary(mimeType, decoded.length);
  return binaryRecord(decoded, limit);
}

/**
 * A text body already in hand (e.g. Chromium's `goog:postData`) as an available record, truncated to
 * `maxBodyBytes` UTF-8 bytes.
 */
export function bodyFromText(text: string, maxBodyBytes: number): BodyRecord {
  return textRecord(text, Number.isFinite(maxBodyBytes) ? Math.max(0, maxBodyBytes) : Number.POSITIVE_INFINITY);
}
