/**
 * Hiding values bidiscope was given in confidence (the operator's WebDriver capabilities, the credentials of a
 * `--webdriver-url`) in text that came from elsewhere, e.g. an endpoint's error message that echoes the request.
 */
import { REDACTED } from './sensitive-keys.js';

/** Shortest value hidden: shorter strings (`true`, `11`, `dev`) would blank out ordinary words. */
const MIN_HIDDEN_LENGTH = 4;

/** Every string leaf (object values and array items, at any depth) of a JSON value, longest first. */
export function stringLeaves(value: unknown): string[] {
  const found = new Set<string>();
  const walk = (node: unknown): void => {
    if (typeof node === 'string') {
      if (node.length >= MIN_HIDDEN_LENGTH) found.add(node);
    } else if (Array.isArray(node)) {
      for (const item of node) walk(item);
    } else if (typeof node === 'object' && node !== null) {
      for (const item of Object.values(node)) walk(item);
    }
  };
  walk(value);
  return [...found].sort((a, b) => b.length - a.length);
}

/** Replaces every occurrence of each value (also JSON- and URL-encoded) in `text` with `<redacted>`. */
export function redactKnownValues(text: string, values: readonly string[]): string {
  let result = text;
  for (const value of values) {
    if (value.length < MIN_HIDDEN_LENGTH) continue;
    for (const form of new Set([value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value)])) {
      result = result.split(form).join(REDACTED);
    }
  }
  return result;
}
