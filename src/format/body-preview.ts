/** Body previews for the details view: small JSON pretty-printed, long text cut with a coverage note, binary described. */
import type { BodyRecord } from '../model/types.js';
import { bodyText, classifyText } from '../model/body-kind.js';
import { base64DecodedLength } from '../lib/bytes.js';

/** Index just past the JSON string literal starting at `start` (which holds `"`). */
function jsonStringEnd(text: string, start: number): number {
  let cursor = start + 1;
  for (;;) {
    const quoteAt = text.indexOf('"', cursor);
    if (quoteAt === -1) return text.length;
    let backslashes = 0;
    while (text.charAt(quoteAt - 1 - backslashes) === '\\') backslashes += 1;
    if (backslashes % 2 === 0) return quoteAt + 1;
    cursor = quoteAt + 1;
  }
}

/**
 * Pretty-prints JSON with 2-space indentation by re-spacing the original text: string and number literals are
 * copied verbatim (no precision loss on big integers, no changed escapes). Returns `undefined` for invalid JSON.
 */
export function prettyPrintJson(text: string): string | undefined {
  try {
    JSON.parse(text);
  } catch {
    return undefined;
  }
  let output = '';
  let depth = 0;
  const newline = (): string => `\n${'  '.repeat(depth)}`;
  for (let index = 0; index < text.length; ) {
    const char = text.charAt(index);
    if (char === '"') {
      const end = jsonStringEnd(text, index);
      output += text.slice(index, end);
      index = end;
      continue;
    }
    index += 1;
    if (char === ' ' || char === '\t' || char === '\n' || char === '\r' || char === '\uFEFF') continue;
    if (char === '{' || char === '[') {
      const close = char === '{' ? '}' : ']';
      let lookahead = index;
      while (' \t\n\r'.includes(text.charAt(lookahead)) && lookahead < text.length) lookahead += 1;
      if (text.charAt(lookahead) === close) {
        output += char + close;
        index = lookahead + 1;
        continue;
      }
      depth += 1;
      output += char + newline();
    } else if (char === '}' || char === ']') {
      depth -= 1;
      output += newline() + char;
    } else if (char === ',') {
      output += `,${newline()}`;
    } else if (char === ':') {
      output += ': ';
    } else {
      output += char;
    }
  }
  return output;
}

function looksLikeJson(text: string, mimeType: string | undefined): boolean {
  return classifyText(text, mimeType) === 'json';
}

/** Percent of the body a preview shows: whole numbers from 1 %, one significant digit below. */
function formatCoverage(shown: number, total: number): string {
  if (total <= 0) return '100';
  const percent = (shown / total) * 100;
  if (percent >= 1) return String(Math.min(100, Math.floor(percent)));
  return Number(percent.toPrecision(1)).toString();
}

export interface BodyPreview {
  /** The preview text (may span lines). */
  text: string;
  /** True when the body is available but not shown in full (cut, or binary), so saving it to a file adds something. */
  partial: boolean;
}

/** Cuts before a lone high surrogate so a preview never ends in half a character. */
function safeSlice(text: string, length: number): string {
  const slice = text.slice(0, length);
  const last = slice.charCodeAt(slice.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? slice.slice(0, -1) : slice;
}

/**
 * Renders a captured body for the details view.
 * - Not available: its state and reason, e.g. `(unavailable: no such network data)`.
 * - Binary (base64 that is not textual UTF-8): `<binary image/png, 70 bytes>`.
 * - JSON that fits `maxChars` once pretty-printed: pretty-printed.
 * - Longer text: the first `maxChars` characters, then `... [N more chars] (previewCoverage≈P%)`, where P is measured
 *   against the whole body when the capture itself was truncated (`maxBodyBytes`), which a further line says.
 */
export function previewBody(body: BodyRecord | undefined, mimeType: string | undefined, maxChars: number): BodyPreview {
  if (body === undefined) return { text: '(not recorded)', partial: false };
  const reason = body.reason === undefined ? '' : `: ${body.reason}`;
  if (body.state === 'not-captured') return { text: `(not captured${reason})`, partial: false };
  if (body.state === 'pending') return { text: `(pending: not fetched from the browser yet${reason})`, partial: false };
  if (body.state === 'unavailable') return { text: `(unavailable${reason || ': the browser did not provide it'})`, partial: false };
  const data = body.data ?? '';
  const text = bodyText(body, mimeType);
  if (text === undefined) {
    const size = body.size ?? base64DecodedLength(data) ?? '?';
    return { text: `<binary ${mimeType ?? 'data'}, ${size} bytes>`, partial: data.length > 0 };
  }
  if (text.length === 0 && !body.truncated) return { text: '(empty)', partial: false };

  const captureNote =
    body.truncated && body.size !== undefined
      ? `\n(capture kept only the start of a ${body.size}-byte body; raise maxBodyBytes to keep more)`
      : body.truncated
        ? '\n(capture kept only the start of the body; raise maxBodyBytes to keep more)'
        : '';
  // Pretty-printing only pays when the result can fit; a body many times the preview cannot (whitespace aside), and
  // pretty-printing tens of MB to show 500 characters cost seconds.
  if (text.length <= maxChars * 4 && !body.truncated && looksLikeJson(text, mimeType)) {
    const pretty = prettyPrintJson(text);
    if (pretty !== undefined && pretty.length <= maxChars) return { text: pretty, partial: false };
  }
  if (text.length <= maxChars) return { text: text + captureNote, partial: false };
  const shown = safeSlice(text, maxChars);
  const wholeLength = Math.max(text.length, body.truncated ? (body.size ?? 0) : 0);
  const coverage = formatCoverage(shown.length, wholeLength);
  return {
    text: `${shown}\n... [${text.length - shown.length} more chars] (previewCoverage≈${coverage}%)${captureNote}`,
    partial: true,
  };
}
