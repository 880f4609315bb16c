/**
 * The redaction gate for HAR written by anyone (a teammate's DevTools export, Playwright, bidiscope): the same rules
 * as {@link redactEntry}, applied to HAR fields. Pure; returns a deep copy.
 */
import { findHeader } from '../model/headers.js';
import type { BodyRecord } from '../model/types.js';
import type { Har, HarCookie, HarNameValue } from '../har/types.js';
import { redactBodyRecord, redactBodyText } from './body.js';
import { redactHeaders } from './headers.js';
import { REDACTED, isSensitiveQueryParam } from './sensitive-keys.js';
import { redactUrl } from './url.js';

function headerMime(headers: readonly HarNameValue[]): string | undefined {
  return findHeader(headers, 'content-type');
}

function hideCookies(cookies: readonly HarCookie[]): HarCookie[] {
  return cookies.map((cookie) => (cookie.value === '' ? cookie : { ...cookie, value: REDACTED }));
}

/** HAR content text (plain or base64) through the one body gate. */
function redactContentText(text: string, encoding: 'base64' | undefined, mimeType: string): string {
  const body: BodyRecord = { state: 'available', encoding: encoding === 'base64' ? 'base64' : 'text', data: text };
  redactBodyRecord(body, mimeType);
  return body.data ?? text;
}

/** A deep copy of `har` with secrets hidden in URLs, headers, cookies, query strings, bodies, frames and events. */
export function redactHar(har: Har): Har {
  const copy = structuredClone(har);
  for (const entry of copy.log.entries) {
    const { request, response } = entry;
    request.url = redactUrl(request.url);
    request.headers = redactHeaders(request.headers);
    request.cookies = hideCookies(request.cookies);
    request.queryString = request.queryString.map((param) =>
      isSensitiveQueryParam(param.name) && param.value !== '' ? { ...param, value: REDACTED } : param,
    );
    if (request.postData?.text !== undefined) {
      const mime = request.postData.mimeType || headerMime(request.headers);
      request.postData.text = redactContentText(request.postData.text, undefined, mime ?? '');
    }
    response.headers = redactHeaders(response.headers);
    response.cookies = hideCookies(response.cookies);
    if (response.redirectURL) response.redirectURL = redactUrl(response.redirectURL);
    if (response.content.text !== undefined) {
      response.content.text = redactContentText(response.content.text, response.content.encoding, response.content.mimeType);
    }
    for (const frame of entry._webSocketMessages ?? []) if (frame.opcode === 1) frame.data = redactBodyText(frame.data);
    for (const event of entry._eventSourceMessages ?? []) event.data = redactBodyText(event.data);
    if (entry._initiator?.url !== undefined) entry._initiator.url = redactUrl(entry._initiator.url);
  }
  return copy;
}
