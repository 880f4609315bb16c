/**
 * URL filters as agents write them: a plain substring, a glob (`*` any run, `?` one character), or a `/regex/flags`
 * (flags i, m, s, u; `/api/login` is a substring, not a regex with flags).
 * Substrings and globs ignore case. Globs and regexes run on a matcher that is linear in the URL's length (no
 * backtracking), so no filter — `/(a+)+$/`, `/(a|aa)+$/`, `*a*a*a*b` — can wedge the server; regexes are at most 500
 * characters, and lookaround and backreferences are refused.
 */

import { compileLinearRegex, LinearRegexError, type LinearRegex } from './linear-regex.js';

/** A compiled URL filter. */
export interface UrlFilter {
  kind: 'substring' | 'glob' | 'regex';
  source: string;
  matches(url: string): boolean;
}

/** Thrown for a filter that cannot be used; the message says why and what to write instead. */
export class UrlFilterError extends Error {}

const MAX_PATTERN_LENGTH = 500;

function globToRegExp(glob: string): LinearRegex {
  let pattern = '';
  for (const char of glob) {
    if (char === '*') pattern += '[\\s\\S]*';
    else if (char === '?') pattern += '[\\s\\S]';
    else pattern += char.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
  }
  // A glob that names no scheme matches anywhere in the URL, like a substring with wildcards.
  return compileLinearRegex(pattern, 'iu');
}

/** Compiles a filter; throws {@link UrlFilterError} for an invalid or dangerous regex. */
export function compileUrlFilter(text: string): UrlFilter {
  if (text.length > MAX_PATTERN_LENGTH) {
    throw new UrlFilterError(`URL filter is ${text.length} characters; at most ${MAX_PATTERN_LENGTH} are allowed.`);
  }
  // `/…/flags` is a regex only when the flags are regex flags, so paths such as `/api/login` stay substrings.
  const regexForm = /^\/(.+)\/([imsu]*)$/s.exec(text);
  if (regexForm) {
    const [, body = '', flags = ''] = regexForm;
    try {
      new RegExp(body, flags); // syntax check only: the native engine's messages are the clearest
    } catch (error) {
      throw new UrlFilterError(`Invalid regex /${body}/${flags}: ${error instanceof Error ? error.message : String(error)}`);
    }
    let regex: LinearRegex;
    try {
      regex = compileLinearRegex(body, flags);
    } catch (error) {
      if (!(error instanceof LinearRegexError)) throw error;
      throw new UrlFilterError(`Regex /${body}/${flags} cannot be used as a URL filter: ${error.message}. Simplify it, or use a substring or glob filter.`);
    }
    return { kind: 'regex', source: text, matches: (url) => regex.test(url) };
  }
  if (text.includes('*') || text.includes('?')) {
    const regex = globToRegExp(text);
    return { kind: 'glob', source: text, matches: (url) => regex.test(url) };
  }
  const needle = text.toLowerCase();
  return { kind: 'substring', source: text, matches: (url) => url.toLowerCase().includes(needle) };
}
