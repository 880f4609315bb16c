/** Cookie conversions for HAR: BiDi cookies, `Cookie` request headers and `Set-Cookie` response headers. */
import { cookiesFromSetCookieHeaders } from '../model/cookies.js';
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

/** Every cookie set by a response's `Set-Cookie` headers, parsed by the model's one Set-Cookie parser. */
export function harCookiesFromSetCookieHeaders(headers: readonly Header[]): HarCookie[] {
  return cookiesFromSetCookieHeaders(headers).map(harCookieFromCookie);
}
