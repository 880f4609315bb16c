/** Cookie conversions for HAR: BiDi cookies, `Cookie` request headers and `Set-Cookie` response headers. */
import type { Cookie, Header } from '../model/types.js';
import type { HarCookie } from './types.js';

function isoFromDate(date: Date): string | undefined {
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** A BiDi cookie (expiry in epoch seconds) as a HAR cookie. */
export function harCookieFromCookie(cookie: Cookie): HarCookie {
  const harCookie: HarCookie = { name: cookie.name, value: cookie.value };
  if (cookie.path !== undefined) harCookie.path = cookie.path;
  if (cookie.domain !== undefined) harCookie.domain = cookie.domain;
  if (cookie.expires !== undefined) {
    const expires = isoFromDate(new Date(cookie.expires * 1000));
    if (expires !== undefined) harCookie.expires = expires;
  }
  if (cookie.httpOnly !== undefined) harCookie.httpOnly = cookie.httpOnly;
  if (cookie.secure !== undefined) harCookie.secure = cookie.secure;
  return harCookie;
}

/** `Cookie: a=1; b=2` → two HAR cookies (names and values as written). */
export function harCookiesFromCookieHeader(value: string): HarCookie[] {
  const cookies: HarCookie[] = [];
  for (const pair of value.split(';')) {
    if (pair.trim().length === 0) continue;
    const equalsAt = pair.indexOf('=');
    if (equalsAt === -1) cookies.push({ name: '', value: pair.trim() });
    else cookies.push({ name: pair.slice(0, equalsAt).trim(), value: pair.slice(equalsAt + 1).trim() });
  }
  return cookies;
}

/** One `Set-Cookie` line → a HAR cookie with path, domain, expires (from `Expires`), httpOnly and secure. */
export function harCookieFromSetCookie(line: string): HarCookie | undefined {
  const [nameValue = '', ...attributes] = line.split(';');
  if (nameValue.trim().length === 0) return undefined;
  const equalsAt = nameValue.indexOf('=');
  const cookie: HarCookie =
    equalsAt === -1
      ? { name: '', value: nameValue.trim() }
      : { name: nameValue.slice(0, equalsAt).trim(), value: nameValue.slice(equalsAt + 1).trim() };
  for (const attribute of attributes) {
    const attributeEquals = attribute.indexOf('=');
    const key = (attributeEquals === -1 ? attribute : attribute.slice(0, attributeEquals)).trim().toLowerCase();
    const attributeValue = attributeEquals === -1 ? '' : attribute.slice(attributeEquals + 1).trim();
    if (key === 'path') cookie.path = attributeValue;
    else if (key === 'domain') cookie.domain = attributeValue;
    else if (key === 'httponly') cookie.httpOnly = true;
    else if (key === 'secure') cookie.secure = true;
    else if (key === 'expires') {
      const expires = isoFromDate(new Date(attributeValue));
      if (expires !== undefined) cookie.expires = expires;
    }
  }
  return cookie;
}

/** Every cookie set by a response's `Set-Cookie` headers (several headers, or one value folded with newlines). */
export function harCookiesFromSetCookieHeaders(headers: readonly Header[]): HarCookie[] {
  const cookies: HarCookie[] = [];
  for (const header of headers) {
    if (header.name.toLowerCase() !== 'set-cookie') continue;
    for (const line of header.value.split('\n')) {
      const cookie = harCookieFromSetCookie(line);
      if (cookie) cookies.push(cookie);
    }
  }
  return cookies;
}
