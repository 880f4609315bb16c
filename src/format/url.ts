/** URL shortening for one-line views. */

export interface ShortenUrlOptions {
  /** Origin (`http://127.0.0.1:8080`) whose URLs are shown as path + query only. */
  baseOrigin?: string;
  /** Longest result in characters; the middle is cut with `…`. Default 100. */
  maxLength?: number;
}

const URL_PARTS = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/?#]*)([^#]*)/;

/** `ws`/`wss` sockets to the page's own host count as same-origin for display. */
function displayScheme(scheme: string): string {
  const lower = scheme.toLowerCase();
  if (lower === 'ws') return 'http';
  if (lower === 'wss') return 'https';
  return lower;
}

function stripUserinfo(authority: string): string {
  const atIndex = authority.lastIndexOf('@');
  return atIndex === -1 ? authority : authority.slice(atIndex + 1);
}

/** `scheme://host` lower-cased, with ws/wss mapped to http/https, for same-origin comparison. */
function displayOrigin(urlOrOrigin: string): string {
  const parts = URL_PARTS.exec(urlOrOrigin);
  if (!parts) return urlOrOrigin.toLowerCase();
  return `${displayScheme(parts[1] ?? '')}://${stripUserinfo(parts[2] ?? '').toLowerCase()}`;
}

/** Cuts the middle of `text` so it fits `maxLength` characters, keeping more of the start than of the end. */
export function cutMiddle(text: string, maxLength: number): string {
  if (text.length <= maxLength || maxLength < 2) return text;
  const keep = maxLength - 1;
  const headLength = Math.ceil(keep * 0.6);
  const tailLength = keep - headLength;
  return `${text.slice(0, headLength)}…${tailLength > 0 ? text.slice(-tailLength) : ''}`;
}

/**
 * Shortens a URL for a one-line listing: drops the scheme and userinfo, drops the host when it is `baseOrigin`
 * (ws↔http and wss↔https count as the same origin), keeps path and query, drops the fragment, and cuts the middle
 * with `…` past `maxLength`. Strings that are not `scheme://` URLs (`data:`, `blob:`, …) are only cut.
 */
export function shortenUrl(url: string, options: ShortenUrlOptions = {}): string {
  const maxLength = options.maxLength ?? 100;
  const parts = URL_PARTS.exec(url);
  if (!parts) return cutMiddle(url, maxLength);
  const [, scheme = '', authority = '', rest = ''] = parts;
  const host = stripUserinfo(authority);
  const pathAndQuery = rest.length === 0 ? '/' : rest;
  const sameOrigin =
    options.baseOrigin !== undefined && displayOrigin(options.baseOrigin) === `${displayScheme(scheme)}://${host.toLowerCase()}`;
  return cutMiddle(sameOrigin ? pathAndQuery : host + pathAndQuery, maxLength);
}

/** The `scheme://host[:port]` of a URL, or `undefined` when it has none. */
export function originOf(url: string): string | undefined {
  const parts = URL_PARTS.exec(url);
  if (!parts) return undefined;
  return `${(parts[1] ?? '').toLowerCase()}://${stripUserinfo(parts[2] ?? '').toLowerCase()}`;
}
