/**
 * JSON body redaction that rewrites only the hidden value spans: the rest of the text (whitespace, key order,
 * number spelling, escapes) stays byte-identical, whether the input was compact or pretty-printed.
 */
import { REDACTED, isSensitiveKey } from './sensitive-keys.js';

interface Replacement {
  start: number;
  end: number;
  text: string;
}

const REDACTED_JSON_STRING = JSON.stringify(REDACTED);

/** Walks already-validated JSON text by position, collecting the spans to replace. */
class JsonRedactionWalker {
  #position = 0;
  readonly replacements: Replacement[] = [];

  readonly #text: string;
  readonly #redactStringValue: (decoded: string) => string;
  constructor(text: string, redactStringValue: (decoded: string) => string) {
    this.#text = text;
    this.#redactStringValue = redactStringValue;
  }

  walkDocument(): void {
    this.#walkValue();
  }

  #skipWhitespace(): void {
    while (this.#position < this.#text.length && ' \t\n\r'.includes(this.#text.charAt(this.#position))) this.#position += 1;
  }

  /** Index just past the string literal that starts at `start` (which holds `"`). */
  #stringEnd(start: number): number {
    let cursor = start + 1;
    for (;;) {
      const quoteAt = this.#text.indexOf('"', cursor);
      if (quoteAt === -1) return this.#text.length;
      let backslashes = 0;
      while (this.#text.charAt(quoteAt - 1 - backslashes) === '\\') backslashes += 1;
      if (backslashes % 2 === 0) return quoteAt + 1;
      cursor = quoteAt + 1;
    }
  }

  /** Moves past one value of any kind without looking inside it. */
  #skipValue(): void {
    const first = this.#text.charAt(this.#position);
    if (first === '"') {
      this.#position = this.#stringEnd(this.#position);
      return;
    }
    if (first === '{' || first === '[') {
      let depth = 0;
      do {
        const char = this.#text.charAt(this.#position);
        if (char === '"') {
          this.#position = this.#stringEnd(this.#position);
          continue;
        }
        if (char === '{' || char === '[') depth += 1;
        else if (char === '}' || char === ']') depth -= 1;
        this.#position += 1;
      } while (depth > 0 && this.#position < this.#text.length);
      return;
    }
    while (this.#position < this.#text.length && !',]} \t\n\r'.includes(this.#text.charAt(this.#position))) {
      this.#position += 1;
    }
  }

  #walkValue(): void {
    this.#skipWhitespace();
    const first = this.#text.charAt(this.#position);
    if (first === '{') this.#walkObject();
    else if (first === '[') this.#walkArray();
    else if (first === '"') this.#walkStringValue();
    else this.#skipValue();
  }

  #walkStringValue(): void {
    const start = this.#position;
    const end = this.#stringEnd(start);
    this.#position = end;
    const literal = this.#text.slice(start, end);
    const decoded = JSON.parse(literal) as string;
    const redacted = this.#redactStringValue(decoded);
    if (redacted !== decoded) this.replacements.push({ start, end, text: JSON.stringify(redacted) });
  }

  #walkObject(): void {
    this.#position += 1;
    this.#skipWhitespace();
    if (this.#text.charAt(this.#position) === '}') {
      this.#position += 1;
      return;
    }
    for (;;) {
      this.#skipWhitespace();
      const keyStart = this.#position;
      this.#position = this.#stringEnd(keyStart);
      const key = JSON.parse(this.#text.slice(keyStart, this.#position)) as string;
      this.#skipWhitespace();
      this.#position += 1; // ':'
      this.#skipWhitespace();
      if (isSensitiveKey(key)) this.#hideValue();
      else this.#walkValue();
      this.#skipWhitespace();
      const separator = this.#text.charAt(this.#position);
      this.#position += 1;
      if (separator !== ',') return;
    }
  }

  #walkArray(): void {
    this.#position += 1;
    this.#skipWhitespace();
    if (this.#text.charAt(this.#position) === ']') {
      this.#position += 1;
      return;
    }
    for (;;) {
      this.#walkValue();
      this.#skipWhitespace();
      const separator = this.#text.charAt(this.#position);
      this.#position += 1;
      if (separator !== ',') return;
    }
  }

  /** Replaces the value at the cursor with `"<redacted>"`, unless it is `null` or `""` (nothing secret there). */
  #hideValue(): void {
    const start = this.#position;
    this.#skipValue();
    const literal = this.#text.slice(start, this.#position);
    if (literal === 'null' || literal === '""' || literal === REDACTED_JSON_STRING) return;
    this.replacements.push({ start, end: this.#position, text: REDACTED_JSON_STRING });
  }
}

/**
 * Redacts a JSON document: values of sensitive keys (see `isSensitiveKey`) at any depth, inside arrays and nested
 * objects, become the string `"<redacted>"` whatever their type (`null` and `""` are kept: they hide nothing and tell
 * a debugger the field was empty). Other string values go through `redactStringValue` (for JSON-in-a-string, URLs
 * with tokens, …). Returns `undefined` when the text is not valid JSON (or too deeply nested to walk).
 */
export function redactJsonText(text: string, redactStringValue: (decoded: string) => string): string | undefined {
  try {
    JSON.parse(text);
  } catch {
    return undefined;
  }
  const walker = new JsonRedactionWalker(text, redactStringValue);
  try {
    walker.walkDocument();
  } catch {
    return undefined;
  }
  if (walker.replacements.length === 0) return text;
  let result = '';
  let copiedUpTo = 0;
  for (const replacement of walker.replacements) {
    result += text.slice(copiedUpTo, replacement.start) + replacement.text;
    copiedUpTo = replacement.end;
  }
  return result + text.slice(copiedUpTo);
}
