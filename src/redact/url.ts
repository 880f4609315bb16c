/**
 * URL and `a=1&b=2` parameter redaction. String-based on purpose: the URL is never re-serialized through `URL`,
 * so everything except the hidden values stays byte-identical, and invalid URLs cannot make it throw.
 */
import { REDACTED, isSensitiveQueryParam } from './sensitive-keys.js';

/** Decodes a form/query component (`+` is a space); returns the input when it is not valid percent-encoding. */
function decodeComponent(component: string): string {
  try {
    return decodeURIComponent(component.replace(/\+/g, ' '));
  } catch {
    return component;
  }
}

/**
 * Hides the values of sensitive parameters in an `a=1&b=2` string (query string, fragment or form body).
 * Separators, names, order and non-sensitive values are kept exactly; empty values stay empty.
 */
export function redactParamString(params: string, isSensitive: (name: string) => boolean): string {
  return params
    .split('&')
    .map((pair) => {
      const equalsAt = pair.indexOf('=');
      if (equalsAt <= 0 || equalsAt === pair.length - 1) return pair;
      const name = pair.slice(0, equalsAt);
      return isSensitive(decodeComponent(name)) ? `${name}=${REDACTED}` : pair;
    })
    .join('&');
}

/** Hides the password of `scheme://user:password@host`; the user name stays. */
function redactUserinfoPassword(url: string): string {
  const schemeMatch = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.exec(url);
  if (!schemeMatch) return url;
  const authorityStart = schemeMatch[0].length;
  const authorityEndMatch = /[/?#]/.exec(url.slice(authorityStart));
  const authorityEnd = authorityEndMatch ? authorityStart + authorityEndMatch.index : url.length;
  const authority = url.slice(authorityStart, authorityEnd);
  const atIndex = authority.lastIndexOf('@');
  if (atIndex === -1) return url;
  const userinfo = authority.slice(0, atIndex);
  const colonIndex = userinfo.indexOf(':');
  if (colonIndex === -1 || colonIndex === userinfo.length - 1) return url;
  const redactedUserinfo = `${userinfo.slice(0, colonIndex)}:${REDACTED}`;
  return url.slice(0, authorityStart) + redactedUserinfo + url.slice(authorityStart + atIndex);
}

/** Fragments carry secrets too (`#access_token=…` in OAuth implicit flow, `#/route?token=…` in SPAs). */
function redactFragment(fragment: string): string {
  const queryAt = fragment.indexOf('?');
  if (queryAt !== -1) {
    return fragment.slice(0, queryAt + 1) + redactParamString(fragment.slice(queryAt + 1), isSensitiveQueryParam);
  }
  return fragment.includes('=') ? redactParamString(fragment, isSensitiveQueryParam) : fragment;
}

/**
 * Hides secrets in a URL: values of sensitive query (and fragment) parameters (`?token=<redacted>&q=1`, see
 * `isSensitiveQueryParam`) and the userinfo password (`https://user:<redacted>@host`). Never throws; a string that
 * is not a URL is treated the same way (text after the first `?` is a query string).
 */
export function redactUrl(url: string): string {
  const withoutPassword = redactUserinfoPassword(url);
  const hashAt = withoutPassword.indexOf('#');
  const beforeFragment = hashAt === -1 ? withoutPassword : withoutPassword.slice(0, hashAt);
  const fragment = hashAt === -1 ? undefined : withoutPassword.slice(hashAt + 1);
  const queryAt = beforeFragment.indexOf('?');
  const base = queryAt === -1 ? beforeFragment : beforeFragment.slice(0, queryAt);
  const query = queryAt === -1 ? undefined : beforeFragment.slice(queryAt + 1);
  let result = base;
  if (query !== undefined) result += `?${redactParamString(query, isSensitiveQueryParam)}`;
  if (fragment !== undefined) result += `#${redactFragment(fragment)}`;
  return result;
}
