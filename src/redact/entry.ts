/** Whole-entry redaction: the one function every output path calls before showing or writing an entry. */
import { bodyMimeType } from '../model/body-kind.js';
import type { NetworkEntry } from '../model/types.js';
import { redactBodyRecord, redactBodyText } from './body.js';
import { redactCookies, redactHeaders } from './headers.js';
import { redactUrl } from './url.js';

/**
 * Returns a deep copy of `entry` with secrets hidden: URLs (entry, initiator, redirect, WebSocket, stream),
 * request/response headers, request cookies, request and response bodies (text; base64 too when it reads as text), WebSocket text frames and stream event data. The input entry is never modified, so a session that
 * exposes sensitive data simply skips this call and serves the original bytes.
 */
export function redactEntry(entry: NetworkEntry): NetworkEntry {
  const copy = structuredClone(entry);
  copy.url = redactUrl(copy.url);
  if (copy.initiator?.url !== undefined) copy.initiator.url = redactUrl(copy.initiator.url);
  if (copy.redirect) {
    if (copy.redirect.from !== undefined) copy.redirect.from = redactUrl(copy.redirect.from);
    if (copy.redirect.to !== undefined) copy.redirect.to = redactUrl(copy.redirect.to);
  }

  const requestMimeType = bodyMimeType(copy, 'request');
  copy.request.headers = redactHeaders(copy.request.headers);
  copy.request.cookies = redactCookies(copy.request.cookies);
  if (copy.request.body) redactBodyRecord(copy.request.body, requestMimeType);

  if (copy.response) {
    const responseMimeType = bodyMimeType(copy, 'response');
    copy.response.headers = redactHeaders(copy.response.headers);
    if (copy.response.body) redactBodyRecord(copy.response.body, responseMimeType);
  }

  if (copy.webSocket) {
    copy.webSocket.url = redactUrl(copy.webSocket.url);
    for (const frame of copy.webSocket.frames) {
      if (frame.opcode === 1 && frame.data !== undefined) frame.data = redactBodyText(frame.data);
    }
  }
  if (copy.stream) {
    copy.stream.url = redactUrl(copy.stream.url);
    for (const event of copy.stream.events) event.data = redactBodyText(event.data);
  }
  return copy;
}
