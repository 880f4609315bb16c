/**
 * Cookies: BiDi `network.Cookie` → {@link Cookie}, and `Set-Cookie` response headers → {@link Cookie}.
 * https://w3c.github.io/webdriver-bidi/#type-network-Cookie
 */
import type { BidiCookie } from './bidi/types.js';
import type { Cookie, Header } from './types.js';
import { bytesValueToText, findHeaders } from './headers.js';
import { intern } from './intern.js';

/** Converts the cookies BiDi attached to a request (values decoded to text; vendor fields dropped). */
export function cookiesFromBidi(cookies: readonly BidiCookie[]): Cookie[] {
  return cookies.map((cookie) => {
    const converted: Cookie = { name: intern(cookie.name), value: intern(bytesValueToText(cookie.value)) };
    if (cookie.domain !== undefined) converted.domain = intern(cookie.domain);
    if (cookie.path !== undefined) converted.path = intern(cookie.path);
    if (cookie.expiry !== undefined) converted.expires = cookie.expiry;
    if (cookie.httpOnly !== undefined) converted.httpOnly = cookie.httpOnly;
    if (cookie.secure !== undefined) converted.secure = cookie.secure;
    if (cookie.sameSite !== undefined) converted.sameSite = cookie.sameSite;
    return converted;
  });
}

/**
 * Parses one `Set-Cookie` header value (RFC 6265 §5.2, leniently). Undefined when there is no `name=value` pair.
 * `expires` is epoch seconds: from `Max-Age` relative to `now` (epoch ms) when given, else from `Expires`.
 */
export function parseSetCookie(headerValue: string, now?: number): Cookie | undefined {
  const [pair = '', ...attributes] = headerValue.split(';');
  const equals = pair.indexOf('=');
  if (equals <= 0) return undefined;
  const cookie: Cookie = { name: pair.slice(0, equals).trim(), value: pair.slice(equals + 1).trim() };
  if (cookie.name === '') return undefined;
  let maxAge: number | undefined;
  for (const attribute of attributes) {
    const separator = attribute.indexOf('=');
    const key = (separator < 0 ? attribute : attribute.slice(0, separator)).trim().toLowerCase();
    const value = separator < 0 ? '' : attribute.slice(separator + 1).trim();
    if (key === 'domain' && value !== '') cookie.domain = value;
    else if (key === 'path' && value !== '') cookie.path = value;
    else if (key === 'httponly') cookie.httpOnly = true;
    else if (key === 'secure') cookie.secure = true;
    else if (key === 'samesite' && value !== '') cookie.sameSite = value.toLowerCase();
    else if (key === 'max-age' && /^-?\d+$/.test(value)) maxAge = Number(value);
    else if (key === 'expires') {
      const time = Date.parse(value);
      if (!Number.isNaN(time)) cookie.expires = Math.floor(time / 1000);
    }
  }
  if (maxAge !== undefined && now !== undefined) cookie.expires = Math.floor(now / 1000) + maxAge;
  return cookie;
}

/**
 * Cookies set by a response: every `Set-Cookie` header (several headers, or one value folded with newlines) parsed
 * with {@link parseSetCookie}.
 */
export function cookiesFromSetCookieHeaders(headers: readonly Header[], now?: number): Cookie[] {
  const cookies: Cookie[] = [];
  for (const value of findHeaders(headers, 'set-cookie').flatMap((folded) => folded.split('\n'))) {
    const cookie = parseSetCookie(value, now);
    if (cookie !== undefined) cookies.push(cookie);
  }
  return cookies;
}
