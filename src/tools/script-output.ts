/**
 * The text an agent reads for an evaluate_script result: small values whole, big ones as their shape, their size
 * and a bounded preview, with what JSON could not hold named. Pure.
 */
import { formatBytes } from '../format/index.js';
import type { ScriptResult } from '../sessions/script-runner.js';

/** Results whose JSON is at most this many characters are shown whole. */
export const INLINE_JSON_LIMIT = 4_096;
/** Hard bound on the preview's JSON in the text. */
const PREVIEW_TEXT_LIMIT = 4_096;
/** Hard bound on the whole text. */
export const SCRIPT_TEXT_LIMIT = 8_000;

const count = (value: number): string => value.toLocaleString('en-US');

/** `array of 200,000 items`, `object with 3 keys`, `string of 1,048,576 characters`, `number`. */
export function shapeText(kind: string, size: number | undefined): string {
  if (size === undefined) return kind;
  switch (kind) {
    case 'array':
      return `array of ${count(size)} items`;
    case 'object':
      return `object with ${count(size)} keys`;
    case 'string':
      return `string of ${count(size)} characters`;
    case 'Map':
      return `Map of ${count(size)} entries`;
    case 'Set':
      return `Set of ${count(size)} items`;
    default:
      return kind;
  }
}

/** `2 functions, 1 circular reference` from the serializer's counts. */
function notesText(notes: Record<string, number>): string {
  return Object.entries(notes)
    .map(([what, times]) => `${count(times)} × ${what}`)
    .join(', ');
}

function shownText(result: ScriptResult): string {
  const { kind, shown, size } = result.header;
  if (kind === 'string' && size !== undefined && typeof result.header.preview === 'string') return 'the start shown';
  if (shown === undefined || size === undefined || shown >= size) return 'preview';
  const unit = kind === 'object' ? 'keys' : kind === 'Map' ? 'entries' : 'items';
  return `first ${count(shown)} ${unit} shown`;
}

function previewJson(result: ScriptResult): string {
  const text = JSON.stringify(result.header.preview) ?? 'null';
  return text.length > PREVIEW_TEXT_LIMIT ? `${text.slice(0, PREVIEW_TEXT_LIMIT)}… (preview cut)` : text;
}

/** True when the result is shown whole (no file to offer). */
export function isInline(result: ScriptResult): boolean {
  return result.json !== undefined && result.json.length <= INLINE_JSON_LIMIT;
}

/**
 * The tool text. `jsonBytes` is the UTF-8 size of the full JSON (when there is one); `token` the confirm_output
 * token that saves it.
 */
export function formatScriptResult(result: ScriptResult, jsonBytes: number | undefined, token: string | undefined): string {
  const { header, json } = result;
  const lines: string[] = [];
  const notes = notesText(header.notes);
  if (json !== undefined && isInline(result)) {
    lines.push(json);
  } else {
    const shape = shapeText(header.kind, header.size);
    if (header.error !== undefined) {
      lines.push(`${shape}; it could not be serialized as JSON (${header.error.slice(0, 300)}). Preview:`);
    } else if (header.tooSlow === true) {
      lines.push(
        `${shape}, ${formatBytes(header.jsonLength)} as JSON: more than could be read from the browser within timeoutMs, so only the shape and a preview came back (${shownText(result)}):`,
      );
    } else if (header.tooBig === true || json === undefined) {
      lines.push(
        `${shape}, too big to keep (its JSON is longer than the limit); only the shape and a preview came back (${shownText(result)}):`,
      );
    } else {
      lines.push(
        `${shape}, ${formatBytes(jsonBytes ?? json.length)} as JSON (${count(jsonBytes ?? json.length)} bytes); ${shownText(result)}:`,
      );
    }
    lines.push(previewJson(result));
  }
  if (notes !== '') lines.push(`Not representable in JSON, shown as descriptions: ${notes}.`);
  if (token !== undefined) {
    lines.push(`Full value not shown. To save it as a JSON file: confirm_output {"token":"${token}"} (one use, expires in 10 min).`);
  } else if (header.tooSlow === true) {
    lines.push(
      'Raise timeoutMs to save it (Chromium moves about 0.3 s per MB over BiDi, more on a busy machine), or return a smaller part.',
    );
  } else if (header.tooBig === true) {
    lines.push('Return a smaller part (e.g. `.slice(0, 1000)` or selected fields) to see or save more.');
  }
  const text = lines.join('\n');
  return text.length > SCRIPT_TEXT_LIMIT ? `${text.slice(0, SCRIPT_TEXT_LIMIT)}… (cut)` : text;
}
