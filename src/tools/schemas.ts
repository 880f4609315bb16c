import * as v from 'valibot';
import { RESOURCE_TYPES } from '../model/types.js';
import { UrlFilterError } from '../model/url-filter.js';
import { ToolError } from '../mcp/tool.js';

/** `sessionId`, optional when exactly one session is open. */
export const sessionIdField = v.optional(
  v.pipe(
    v.string('a session id string from initialize_session'),
    // A check rather than minLength/maxLength keeps the constraint out of the published schema, which every tool repeats.
    v.check((id) => id.length >= 1 && id.length <= 100, 'a session id of 1 to 100 characters'),
    v.description('Session id; omit while only one is open.'),
  ),
);

/** An unpaired UTF-16 surrogate. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Refuses text with unpaired UTF-16 surrogates for fields that are sent to the browser: chromedriver silently drops
 * a BiDi message that carries one, so the call would only end at its timeout.
 */
export const wellFormedText = v.check(
  (value: string) => !LONE_SURROGATE.test(value),
  'text without unpaired UTF-16 surrogates (the browser protocol cannot carry them)',
);

const NAVIGABLE_SCHEMES = new Set(['http:', 'https:', 'data:']);

/**
 * A URL a session may open: absolute http(s), `about:blank`, or `data:`. `javascript:` is refused (use
 * evaluate_script), `file:` so a remote agent cannot read local files through the browser, and other `about:` pages
 * (and `chrome:`, `view-source:` …) because they are browser-internal.
 */
export const navigableUrl = v.pipe(
  v.string('an absolute URL string'),
  v.maxLength(32_768, 'a URL of at most 32768 characters'),
  wellFormedText,
  v.check((value) => {
    try {
      return value.toLowerCase() === 'about:blank' || NAVIGABLE_SCHEMES.has(new URL(value).protocol);
    } catch {
      return false;
    }
  }, 'an absolute http(s) URL (about:blank and data: also work; javascript: and file: are refused, as are browser-internal pages)'),
);

/**
 * A whole number from `min` to `max`: `expected` names it in the error for a non-number ("a number of bytes"),
 * `unit` follows the bounds in messages (" ms", " px") and `unitName` the integer check ("milliseconds"), `maxText`
 * spells a large bound ("104857600 (100 MiB)").
 */
export function wholeNumberField(
  expected: string,
  min: number,
  max: number,
  description: string,
  wording: { unit?: string; unitName?: string; maxText?: string } = {},
) {
  const unit = wording.unit ?? '';
  return v.pipe(
    v.number(expected),
    v.integer(wording.unitName === undefined ? 'a whole number' : `a whole number of ${wording.unitName}`),
    v.minValue(min, `at least ${min}${unit}`),
    v.maxValue(max, `at most ${wording.maxText ?? max}${unit}`),
    v.description(description),
  );
}

/** A whole number 0 or more with no upper bound (an index, an offset). */
function nonNegativeWholeNumberField(expected: string, description: string) {
  return v.pipe(v.number(expected), v.integer('a whole number'), v.minValue(0, '0 or more'), v.description(description));
}

/** A request's `index` (never reused in a session). */
export const entryIndexField = nonNegativeWholeNumberField(
  'an entry index from list_network_requests',
  "The request's [index] from list_network_requests.",
);

/** A bounded wait in milliseconds. */
export function timeoutField(defaultMs: number, maxMs: number) {
  return v.optional(
    wholeNumberField(
      'a number of milliseconds',
      1,
      maxMs,
      `Longest wait in ms before the call fails (default ${defaultMs}, max ${maxMs}).`,
      {
        unit: ' ms',
        unitName: 'milliseconds',
      },
    ),
    defaultMs,
  );
}

/** A file path inside the output directory (absolute ones only with --allow-absolute-paths). */
export function outputPathField(description: string) {
  return v.optional(
    v.pipe(
      v.string('a file path'),
      v.minLength(1),
      v.maxLength(1000, 'at most 1000 characters'),
      v.check((path) => !path.includes('\0'), 'a path without NUL characters'),
      v.description(description),
    ),
  );
}

/** `captureId`, optional: the latest capture of the session when left out. */
export const captureIdField = v.optional(
  v.pipe(
    v.string('a capture id from start_network_capture or list_captures'),
    v.regex(/^capture-\d{1,12}$/, 'a capture id like "capture-2"'),
    v.description('Capture to read, e.g. "capture-2"; default the latest.'),
  ),
);

/** A URL pattern: substring, glob with `*`, or `/regex/` (the syntax of every URL filter). */
export function urlPatternField(description: string) {
  return v.pipe(
    v.string('a substring, glob or /regex/'),
    v.minLength(1, 'a non-empty filter'),
    v.maxLength(500, 'at most 500 characters'),
    v.description(description),
  );
}

/** A non-empty list of HTTP methods. */
export function methodsField(description: string) {
  return v.optional(
    v.pipe(
      v.array(v.pipe(v.string(), v.regex(/^[A-Za-z]{1,20}$/, 'an HTTP method like GET or POST'))),
      v.minLength(1, 'at least one method'),
      v.description(description),
    ),
  );
}

/** A non-empty list of resource types. */
export function resourceTypesField(description: string) {
  return v.optional(
    v.pipe(
      v.array(v.picklist(RESOURCE_TYPES, `one of ${RESOURCE_TYPES.join(', ')}`)),
      v.minLength(1, 'at least one type'),
      v.description(description),
    ),
  );
}

/** Runs `compile` (a URL filter or text pattern), turning a bad pattern into an error that names `field`. */
export function compiledPattern<T>(field: string, compile: () => T): T {
  try {
    return compile();
  } catch (error) {
    if (error instanceof UrlFilterError) throw new ToolError(`Invalid "${field}": ${error.message}`);
    throw error;
  }
}

/** `offset` for paged results. */
export function offsetField(what: string) {
  return v.optional(nonNegativeWholeNumberField('a number', `${what} to skip (paging). Default 0.`), 0);
}

/** `limit` for paged results. */
export function limitField(what: string, max: number, byDefault: number) {
  return v.optional(wholeNumberField('a number', 1, max, `${what} per page, 1–${max}. Default ${byDefault}.`), byDefault);
}
