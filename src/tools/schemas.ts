import * as v from 'valibot';

/** `sessionId`, optional when exactly one session is open. */
export const sessionIdField = v.optional(
  v.pipe(v.string('a session id string from initialize_session'), v.minLength(1, 'a non-empty session id'), v.maxLength(100, 'a session id of at most 100 characters')),
);

const NAVIGABLE_SCHEMES = new Set(['http:', 'https:', 'about:', 'data:']);

/**
 * A URL a session may open: absolute http(s), `about:`, or `data:`. `javascript:` is refused (use evaluate_script)
 * and `file:` is refused so a remote agent cannot read local files through the browser.
 */
export const navigableUrl = v.pipe(
  v.string('an absolute URL string'),
  v.maxLength(32_768, 'a URL of at most 32768 characters'),
  v.check((value) => {
    try {
      return NAVIGABLE_SCHEMES.has(new URL(value).protocol);
    } catch {
      return false;
    }
  }, 'an absolute http(s) URL (about: and data: also work; javascript: and file: are refused)'),
);

/** A bounded wait in milliseconds. */
export function timeoutField(defaultMs: number, maxMs: number) {
  return v.optional(
    v.pipe(
      v.number('a number of milliseconds'),
      v.integer('a whole number of milliseconds'),
      v.minValue(1, 'at least 1 ms'),
      v.maxValue(maxMs, `at most ${maxMs} ms`),
    ),
    defaultMs,
  );
}
