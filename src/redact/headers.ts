/** Header and cookie redaction: keep what helps debugging (auth scheme, cookie names, cookie attributes). */
import type { Cookie, Header } from '../model/types.js';
import { REDACTED, isSensitiveHeaderName } from './sensitive-keys.js';
import { redactUrl } from './url.js';

/** Headers whose value is a URL that may carry tokens in its query string. */
const URL_VALUED_HEADERS: ReadonlySet<string> = new Set(['referer', 'location', 'content-location', 'origin']);

/** `Bearer abc` → `Bearer <redacted>`; a value without a scheme → `<redacted>`. */
export function redactAuthorizationValue(value: string): string {
  const trimmed = value.trim();
  if (trimmed.length === 0) return value;
  const schemeMatch = /^([A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*)\s+\S/.exec(trimmed);
  return schemeMatch ? `${schemeMatch[1]} ${REDACTED}` : REDACTED;
}

/** `Cookie: session=abc; theme=dark` → `session=<redacted>; theme=<redacted>` (names kept, every value hidden). */
export function redactCookieHeaderValue(value: string): string {
  return value
    .split(';')
    .map((pair) => {
      const equalsAt = pair.indexOf('=');
      if (equalsAt === -1) return pair.trim().length === 0 ? pair : pair.replace(/\S.*\S|\S/, REDACTED);
      return pair.slice(equalsAt + 1).trim().length === 0 ? pair : `${pair.slice(0, equalsAt)}=${REDACTED}`;
    })
    .join(';');
}

/**
 * `Set-Cookie: sid=abc; Path=/; HttpOnly` → `sid=<redacted>; Path=/; HttpOnly` (name and attributes kept).
 * Several cookies folded into one value with newlines are handled line by line.
 */
export function redactSetCookieValue(value: string): string {
  return value
    .split('\n')
    .map((line) => {
      const semicolonAt = line.indexOf(';');
      const nameValue = semicolonAt === -1 ? line : line.slice(0, semicolonAt);
      const attributes = semicolonAt === -1 ? '' : line.slice(semicolonAt);
      const equalsAt = nameValue.indexOf('=');
      if (equalsAt === -1) return nameValue.trim().length === 0 ? line : REDACTED + attributes;
      if (nameValue.slice(equalsAt + 1).trim().length === 0) return line;
      return `${nameValue.slice(0, equalsAt)}=${REDACTED}${attributes}`;
    })
    .join('\n');
}

/** Redacts one header value according to its name; other headers come back unchanged. */
export function redactHeaderValue(name: string, value: string): string {
  const lower = name.toLowerCase();
  if (lower === 'authorization' || lower === 'proxy-authorization') return redactAuthorizationValue(value);
  if (lower === 'cookie') return redactCookieHeaderValue(value);
  if (lower === 'set-cookie') return redactSetCookieValue(value);
  if (isSensitiveHeaderName(lower)) return value.length === 0 ? value : REDACTED;
  if (URL_VALUED_HEADERS.has(lower)) return redactUrl(value);
  return value;
}

/**
 * Returns new headers with secrets hidden: `authorization`/`proxy-authorization` keep only the scheme, `cookie` and
 * `set-cookie` keep names (and attributes), token/secret/api-key/password/session headers are hidden entirely, and
 * URL-valued headers (`referer`, `location`, …) get `redactUrl`. Names and order are kept; the input is not changed.
 */
export function redactHeaders(headers: readonly Header[]): Header[] {
  return headers.map((header) => ({ name: header.name, value: redactHeaderValue(header.name, header.value) }));
}

/** Returns new cookies with every non-empty value hidden; name, domain, path, expiry and flags are kept. */
export function redactCookies(cookies: readonly Cookie[]): Cookie[] {
  return cookies.map((cookie) => ({ ...cookie, value: cookie.value.length === 0 ? cookie.value : REDACTED }));
}
