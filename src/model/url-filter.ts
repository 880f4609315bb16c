/**
 * URL filters as agents write them: a plain substring, a glob (`*` any run, `?` one character), or a `/regex/flags`
 * (flags i, m, s, u; `/api/login` is a substring, not a regex with flags).
 * Substrings and globs ignore case. Regexes are bounded: at most 500 characters and no nested quantifiers such as
 * `(a+)+` — the patterns that backtrack catastrophically — so a filter cannot wedge the server.
 */

/** A compiled URL filter. */
export interface UrlFilter {
  kind: 'substring' | 'glob' | 'regex';
  source: string;
  matches(url: string): boolean;
}

/** Thrown for a filter that cannot be used; the message says why and what to write instead. */
export class UrlFilterError extends Error {}

const MAX_PATTERN_LENGTH = 500;
/** A quantified group that itself contains a quantifier: `(a+)+`, `(a*)*`, `(?:a|b+){2,}`. */
const NESTED_QUANTIFIER = /\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)[+*{]/;

function globToRegExp(glob: string): RegExp {
  let pattern = '';
  for (const char of glob) {
    if (char === '*') pattern += '.*';
    else if (char === '?') pattern += '.';
    else pattern += char.replace(/[.+^${}()|[\]\\/]/g, '\\$&');
  }
  // A glob that names no scheme matches anywhere in the URL, like a substring with wildcards.
  return new RegExp(pattern, 'i');
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
    if (NESTED_QUANTIFIER.test(body)) {
      throw new UrlFilterError(
        `Regex /${body}/ has a quantified group containing a quantifier (like (a+)+), which can take exponential time. ` +
          'Simplify it, or use a substring or glob filter.',
      );
    }
    let regex: RegExp;
    try {
      regex = new RegExp(body, flags);
    } catch (error) {
      throw new UrlFilterError(`Invalid regex /${body}/${flags}: ${error instanceof Error ? error.message : String(error)}`);
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
