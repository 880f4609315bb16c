/**
 * The one answer to "is this body text, and what kind?": every place that keeps, shows, redacts, saves, exports or
 * searches a body asks here, so what is shown is always what was redacted. Pure.
 *
 * The MIME type decides first: any `json` in the subtype (`application/json`, `+json`, `x-amz-json-1.1`, `json-seq`,
 * `x-ndjson`, `graphql-response+json`…) is JSON; `x-www-form-urlencoded` is a form; `multipart/*`, `text/*`, XML
 * (`xml`, `+xml`), JavaScript and a few text formats are text; media, fonts, archives and other known types are
 * binary. A missing or generic type (`application/octet-stream`, Firefox's `application/x-unknown-content-type`)
 * says nothing, so the bytes decide: valid UTF-8 that parses as JSON is JSON; with no type at all, any valid UTF-8 is
 * text; otherwise binary.
 */
import type { BodyRecord, NetworkEntry } from './types.js';
import { base64ToBytes, decodeUtf8Strict } from '../lib/bytes.js';
import { findHeader } from './headers.js';

/** How a body is treated everywhere. */
export type BodyKind = 'json' | 'form' | 'text' | 'binary';

/** What the MIME type alone says; `generic` when it says nothing about the content. */
export type MimeVerdict = BodyKind | 'generic';

const TEXTUAL_APPLICATION_SUBTYPES = new Set([
  'javascript',
  'x-javascript',
  'ecmascript',
  'x-ecmascript',
  'graphql',
  'yaml',
  'x-yaml',
  'toml',
  'sql',
  'x-sh',
  'x-httpd-php',
  'csv',
]);

/** MIME essences that name no type at all (Firefox reports a 302 as `application/x-unknown-content-type`). */
const UNNAMED_TYPES = ['', 'application/x-unknown-content-type', 'application/unknown', 'unknown/unknown', '*/*'];
/** Those, and the types that say only "bytes": servers label text with them too, so the bytes decide. */
const GENERIC_TYPES = new Set([...UNNAMED_TYPES, 'application/octet-stream', 'binary/octet-stream', 'application/binary']);

/** True when the MIME essence (see {@link mimeEssence}) names no type at all: none, `*\/*` or an "unknown" placeholder. */
export function namesNoType(essence: string): boolean {
  return UNNAMED_TYPES.includes(essence);
}

/** The MIME essence (`type/subtype`, lowercased, parameters dropped), or '' when there is none. */
export function mimeEssence(mimeType: string | undefined): string {
  return (mimeType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** What the MIME type says about a body, before looking at its bytes. */
export function mimeVerdict(mimeType: string | undefined): MimeVerdict {
  const essence = mimeEssence(mimeType);
  if (GENERIC_TYPES.has(essence)) return 'generic';
  const slash = essence.indexOf('/');
  const type = slash === -1 ? essence : essence.slice(0, slash);
  const subtype = slash === -1 ? '' : essence.slice(slash + 1);
  if (subtype.includes('json')) return 'json';
  if (subtype === 'x-www-form-urlencoded') return 'form';
  if (type === 'text' || type === 'multipart') return 'text';
  if (subtype === 'xml' || subtype.endsWith('+xml') || subtype.endsWith('-xml')) return 'text';
  if (type === 'application' && TEXTUAL_APPLICATION_SUBTYPES.has(subtype)) return 'text';
  return 'binary';
}

/** True when a body of this type may be text, so `captureBodies: "text"` should fetch it and look. */
export function mayBeTextual(mimeType: string | undefined): boolean {
  return mimeVerdict(mimeType) !== 'binary';
}

/** True when `text` is a JSON document (one value, surrounding whitespace allowed). */
function isJsonText(text: string): boolean {
  const start = text
    .replace(/^\uFEFF/, '')
    .trimStart()
    .charAt(0);
  if (start !== '{' && start !== '[' && start !== '"') return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** `a=1&b=2` on one line; linear (no nested ambiguous quantifiers), safe on multi-megabyte text. */
const FORM_LIKE = /^[^\s=&]+=[^\s&]*(?:&[^\s&]*)*$/;

/**
 * The kind of a body whose bytes are valid UTF-8 `text`. Never `binary` unless the MIME type says so. A body that
 * starts like JSON and parses is JSON under any textual type; a bare `a=1&b=2` under a generic or `text/plain`
 * type is a form.
 */
export function classifyText(text: string, mimeType: string | undefined): BodyKind {
  const verdict = mimeVerdict(mimeType);
  if (verdict === 'json' || verdict === 'form' || verdict === 'binary') return verdict;
  if (isJsonText(text)) return 'json';
  const essence = mimeEssence(mimeType);
  if ((verdict === 'generic' || essence === 'text/plain') && FORM_LIKE.test(text)) return 'form';
  return 'text';
}

/**
 * Whether UTF-8 `text` (the body's bytes, decoded) is kept and shown as text: always when the MIME type is textual;
 * under a generic type when it is JSON, or — with no type at all — when it is any text.
 */
export function isTextBody(text: string, mimeType: string | undefined): boolean {
  const verdict = mimeVerdict(mimeType);
  if (verdict === 'binary') return false;
  if (verdict !== 'generic') return true;
  return mimeEssence(mimeType) === '' || isJsonText(text);
}

/** Decodes base64 to UTF-8 text, or undefined when it is not base64 or not valid UTF-8. */
function decodeBase64Text(base64: string): string | undefined {
  const bytes = base64ToBytes(base64);
  return bytes === undefined ? undefined : decodeUtf8Strict(bytes);
}

/**
 * The text of an available body, when the body is text: text-encoded data as is, base64 data when it decodes to
 * UTF-8 that {@link isTextBody} accepts. Undefined for binary bodies and bodies without data. The redaction gate,
 * previews, saved files, HAR and search all read text through this one function.
 */
export function bodyText(body: BodyRecord | undefined, mimeType: string | undefined): string | undefined {
  if (body?.state !== 'available' || body.data === undefined) return undefined;
  if (body.encoding !== 'base64') return body.data;
  const text = decodeBase64Text(body.data);
  return text !== undefined && isTextBody(text, mimeType) ? text : undefined;
}

/**
 * The MIME type of one body of `entry`, the one every reader of a body passes on: for a response, the type the browser
 * reported (the model keeps the Content-Type header there when present), else its `Content-Type` header; for a
 * request, its `Content-Type` header. Undefined when neither says.
 */
export function bodyMimeType(entry: NetworkEntry, which: 'request' | 'response'): string | undefined {
  if (which === 'request') return findHeader(entry.request.headers, 'content-type');
  const response = entry.response;
  return response === undefined ? undefined : (response.mimeType ?? findHeader(response.headers, 'content-type'));
}
