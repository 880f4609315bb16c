/** What confirm_output writes for one body of an entry that already went through the redaction gate. Pure. */
import { bodyMimeType, bodyText } from '../model/body-kind.js';
import { base64ToBytes, utf8ByteLength } from '../lib/bytes.js';
import type { NetworkEntry } from '../model/types.js';
import { mimeKind } from './kinds.js';

/** One file to write. */
export interface SavedBody {
  /** File name (no directory), e.g. `10-response-api_login.json`. */
  fileName: string;
  /** Text (written as UTF-8) or the body's bytes. */
  content: string | Uint8Array;
  bytes: number;
  /** The capture kept only the start of the body (maxBodyBytes). */
  truncated: boolean;
}

/** File extensions for the kinds {@link mimeKind} names, where the kind is not already one. */
const EXTENSION_OF_KIND: Readonly<Record<string, string>> = {
  text: 'txt',
  form: 'txt',
  multipart: 'txt',
  sse: 'txt',
  img: 'bin',
  font: 'bin',
  video: 'bin',
  audio: 'bin',
};

function extensionFor(mimeType: string | undefined, isText: boolean): string {
  const kind = mimeKind(mimeType);
  if (kind === undefined) return isText ? 'txt' : 'bin';
  return EXTENSION_OF_KIND[kind] ?? kind;
}

function slugOfPath(url: string): string {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    path = url;
  }
  const slug = path
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/\.{2,}/g, '_')
    .replace(/^[._-]+/, '')
    .slice(0, 60)
    .replace(/[._-]+$/, '');
  return slug === '' ? 'body' : slug;
}

/**
 * The file for one body of a redacted entry, or undefined when the body holds no data. A body the one classifier
 * reads as text is written as that (redacted) text; anything else as its bytes, byte for byte.
 */
export function savedBodyFile(entry: NetworkEntry, which: 'request' | 'response'): SavedBody | undefined {
  const body = which === 'request' ? entry.request.body : entry.response?.body;
  if (body?.state !== 'available' || body.data === undefined) return undefined;
  const mimeType = bodyMimeType(entry, which);
  const text = bodyText(body, mimeType);
  const content = text ?? base64ToBytes(body.data) ?? new Uint8Array();
  return {
    fileName: `${entry.index}-${which}-${slugOfPath(entry.url)}.${extensionFor(mimeType, text !== undefined)}`,
    content,
    bytes: typeof content === 'string' ? utf8ByteLength(content) : content.length,
    truncated: body.truncated === true,
  };
}
