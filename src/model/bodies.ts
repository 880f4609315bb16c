/**
 * Body bytes from the browser (`network.getData` → `network.BytesValue`) → {@link BodyRecord}.
 * https://w3c.github.io/webdriver-bidi/#command-network-getData
 *
 * Browsers disagree on the wire form: Chromium returns a 3 MB `application/octet-stream` body as a string,
 * Firefox as base64. The record depends on the MIME type and the bytes, not on that choice: what
 * {@link isTextBody} calls text becomes text; everything else is binary (base64).
 */
import type { BodyRecord } from './types.js';
import type { BidiBytesValue } from './bidi/types.js';
import { isTextBody, mimeEssence } from './body-kind.js';
import { base64ToBytes, bytesToBase64, decodeUtf8Strict, encodeUtf8, truncateUtf8Bytes, utf8ByteLength } from '../lib/bytes.js';

/** Which bodies to keep: `text` keeps only textual bodies, `all` keeps binary ones too (as base64). */
export type BodyCaptureMode = 'text' | 'all';

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
  // BiDi sends `string` only for valid UTF-8; base64 may hold UTF-8 too. Either way the bytes and the MIME type
  // decide (see body-kind.ts), never the wire form, so Chromium and Firefox agree.
  let decoded: Uint8Array | undefined;
  let text: string | undefined;
  if (bytes.type === 'string') {
    text = bytes.value;
  } else {
    decoded = base64ToBytes(bytes.value);
    if (decoded === undefined) return { state: 'unavailable', reason: 'the browser returned a body that is not valid base64' };
    text = decodeUtf8Strict(decoded);
  }
  if (text !== undefined && isTextBody(text, mimeType)) return textRecord(text, limit);
  const binary = decoded ?? encodeUtf8(bytes.value);
  if (mode === 'text') return notCapturedBinary(mimeType, binary.length);
  return binaryRecord(binary, limit);
}

/**
 * A text body already in hand (e.g. Chromium's `goog:postData`) as an available record, truncated to
 * `maxBodyBytes` UTF-8 bytes.
 */
export function bodyFromText(text: string, maxBodyBytes: number): BodyRecord {
  return textRecord(text, Number.isFinite(maxBodyBytes) ? Math.max(0, maxBodyBytes) : Number.POSITIVE_INFINITY);
}
