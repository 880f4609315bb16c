/**
 * URL filters as agents write them: a plain substring, a glob (`*` any run, `?` one character), or a `/regex/flags`
 * (flags i, m, s, u; `/api/login` is a substring, not a regex with flags).
 * Substrings and globs ignore case. Globs and regexes run on a matcher that is linear in the URL's length (no
 * backtracking), so no filter — `/(a+)+$/`, `/(a|aa)+$/`, `*a*a*a*b` — can wedge the server; regexes are at most 500
 * characters, and lookaround and backreferences are refused.
 */

import { compileLinearRegex, LinearRegexError, type LinearRegex } from '../lib/linear-regex.js';

/** A compiled URL filter. */
export interface UrlFilter {
  kind: 'substring' | 'glob' | 'regex';
  source: string;
  matches(url: string): boolean;
}

/** A compiled text pattern (the same syntax as URL filters), for searching any text. */
export interface TextPattern {
  kind: 'substring' | 'glob' | 'regex';
  source: string;
  /** Where the first match ends in `text` (UTF-16 index), or -1. Linear in the text's length. */
  matchEnd(text: string): number;
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
  const pattern = compileTextPattern(text);
  return { kind: pattern.kind, source: pattern.source, matches: (url) => pattern.matchEnd(url) >= 0 };
}

/**
 * Compiles a substring (case-insensitive), glob or `/regex/flags` into a linear-time matcher; throws
 * {@link UrlFilterError} for an invalid or dangerous regex.
 */
export function compileTextPattern(text: string): TextPattern {
  if (text.length > MAX_PATTERN_LENGTH) {
    throw new UrlFilterError(`The pattern is ${text.length} characters; at most ${MAX_PATTERN_LENGTH} are allowed.`);
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
      throw new UrlFilterError(`Regex /${body}/${flags} cannot be used: ${error.message}. Simplify it, or use a substring or glob.`);
    }
    return { kind: 'regex', source: text, matchEnd: (subject) => regex.matchEnd(subject) };
  }
  if (text.includes('*') || text.includes('?')) {
    const regex = globToRegExp(text);
    return { kind: 'glob', source: text, matchEnd: (subject) => regex.matchEnd(subject) };
  }
  const needle = text.toLowerCase();
  return {
    kind: 'substring',
    source: text,
    matchEnd: (subject) => {
      const at = subject.toLowerCase().indexOf(needle);
      return at === -1 ? -1 : at + needle.length;
    },
  };
}
