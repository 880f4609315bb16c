/**
 * Body redaction: JSON (value spans only), form-urlencoded (values only), and a regex pass for anything else
 * (broken or truncated JSON, multipart, XML, JavaScript, plain text). Text without secrets comes back unchanged
 * (the same string), so redaction never reformats a body.
 */
import { redactJsonText } from './json-text.js';
import { REDACTED, isSensitiveFieldName, isSensitiveKey } from './sensitive-keys.js';
import { redactParamString } from './url.js';
import { bodyText, classifyText } from '../model/body-kind.js';
import { bytesToBase64, encodeUtf8 } from '../lib/bytes.js';
import type { BodyRecord } from '../model/types.js';

/** `"key": value` with a double-quoted key; value a string, number or boolean literal. */
const DOUBLE_QUOTED_KEY_VALUE = /"([^"\\\n]{1,100})"(\s*:\s*)("(?:[^"\\\n]|\\.)*"|-?\d[\d.eE+-]*|true|false)/g;
/** `'key': value` with a single-quoted key (JavaScript, Python reprs). */
const SINGLE_QUOTED_KEY_VALUE = /'([^'\\\n]{1,100})'(\s*:\s*)('(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|-?\d[\d.eE+-]*|true|false)/g;
/** `key: "value"` with a bare key (JavaScript object literals); only string-literal values, to avoid code. */
const BARE_KEY_STRING_VALUE = /(^|[\s{,(])([A-Za-z_$][\w$-]{0,99})(\s*:\s*)("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`)/g;
/** `key=value` in free text, query strings, logs; the value stops at whitespace and separators. */
const KEY_EQUALS_VALUE = /(^|[\s?&;,{(#])([A-Za-z0-9_.\-[\]]{1,100})=("[^"\n]*"|[^\s&;,"'<>(){}]+)/g;
/** In source code only URL parameters count (`"/api?token=…"`), not assignments like `this.token=t`. */
const KEY_EQUALS_VALUE_IN_CODE = /([?&#])([A-Za-z0-9_.\-[\]]{1,100})=("[^"\n]*"|[^\s&;,"'<>(){}]+)/g;
/** A multipart part: `name="password"` header line(s), blank line, value line. */
const MULTIPART_FIELD = /(name="([^"\n]*)"[^\r\n]*\r?\n(?:[^\r\n]+\r?\n)*\r?\n)([^\r\n]+)/g;
/** `<password>…</password>` (also with a namespace prefix). */
const XML_ELEMENT = /<([A-Za-z_][\w.:-]*)(\s[^<>]*)?>([^<]+)<\/\1>/g;
/** `Authorization: <scheme> <credentials>` lines in raw text (HTTP dumps, logs): the scheme stays. */
const AUTHORIZATION_LINE =
  /\b((?:proxy-)?authorization[ \t]*:[ \t]*)(?:([A-Za-z][\w.+-]*)[ \t]+)?([^\s"',;<]+)(?![^\s"',;<])(?![ \t]+<redacted>)/gi;
/** `Bearer <token>` anywhere (a token has a digit or is long, so prose like "Bearer scheme" is left alone). */
const BEARER_TOKEN = /\b(Bearer\s+)([A-Za-z0-9\-._~+/]+=*)/gi;

/** Quote a replacement the way the original literal was quoted (numbers and booleans become `"<redacted>"`). */
function redactedLiteral(original: string): string {
  const quote = original.charAt(0);
  return quote === "'" || quote === '`' ? `${quote}${REDACTED}${quote}` : `"${REDACTED}"`;
}

function isAlreadyRedacted(literal: string): boolean {
  return literal.slice(1, -1) === REDACTED;
}

/**
 * The fallback for text that is neither valid JSON nor a form: regex masking of `"password":"…"`, `'token': '…'`,
 * `apiKey: "…"`, `password=…`, multipart fields, XML elements, `Authorization: …` lines and `Bearer …` tokens.
 * Best effort: it cannot see structure, so a sensitive key whose value is an object is not hidden as a whole (its
 * inner keys still are).
 * `flavor: 'code'` (JavaScript, CSS) only treats `key=value` after `?`, `&` or `#` as a parameter, so assignments
 * such as `this.token=t` stay readable.
 */
export function redactLooseText(text: string, flavor: 'text' | 'code' = 'text'): string {
  return text
    .replace(MULTIPART_FIELD, (match: string, head: string, name: string, value: string) =>
      isSensitiveFieldName(name) && value !== REDACTED ? head + REDACTED : match,
    )
    .replace(XML_ELEMENT, (match: string, tag: string, attributes: string | undefined, content: string) => {
      const localName = tag.includes(':') ? tag.slice(tag.lastIndexOf(':') + 1) : tag;
      if (!isSensitiveKey(localName) || content.trim().length === 0 || content === REDACTED) return match;
      return `<${tag}${attributes ?? ''}>${REDACTED}</${tag}>`;
    })
    .replace(DOUBLE_QUOTED_KEY_VALUE, (match: string, key: string, colon: string, value: string) =>
      isSensitiveKey(key) && value !== '""' && !isAlreadyRedacted(value) ? `"${key}"${colon}${redactedLiteral(value)}` : match,
    )
    .replace(SINGLE_QUOTED_KEY_VALUE, (match: string, key: string, colon: string, value: string) =>
      isSensitiveKey(key) && value !== "''" && value !== '""' && !isAlreadyRedacted(value)
        ? `'${key}'${colon}${redactedLiteral(value)}`
        : match,
    )
    .replace(BARE_KEY_STRING_VALUE, (match: string, lead: string, key: string, colon: string, value: string) =>
      isSensitiveKey(key) && value.length > 2 && !isAlreadyRedacted(value) ? `${lead}${key}${colon}${redactedLiteral(value)}` : match,
    )
    .replace(flavor === 'code' ? KEY_EQUALS_VALUE_IN_CODE : KEY_EQUALS_VALUE, (match: string, lead: string, key: string, value: string) => {
      if (!isSensitiveFieldName(key) || value === '""' || value === REDACTED) return match;
      return `${lead}${key}=${value.startsWith('"') ? `"${REDACTED}"` : REDACTED}`;
    })
    .replace(AUTHORIZATION_LINE, (match: string, head: string, scheme: string | undefined, credentials: string) =>
      credentials === REDACTED ? match : `${head}${scheme === undefined ? '' : `${scheme} `}${REDACTED}`,
    )
    .replace(BEARER_TOKEN, (match: string, scheme: string, token: string) =>
      token.length >= 16 || /\d/.test(token) ? scheme + REDACTED : match,
    );
}

/** Strings inside JSON get the same treatment: JSON-in-a-string recursively, anything else the regex pass. */
function redactJsonStringValue(decoded: string): string {
  const trimmed = decoded.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    const nested = redactJsonText(decoded, redactJsonStringValue);
    if (nested !== undefined) return nested;
  }
  return /[=:<]|bearer/i.test(decoded) ? redactLooseText(decoded) : decoded;
}

/**
 * JSON text sequences (`x-ndjson`, `json-seq`, JSON Lines): each line (a leading RS of `json-seq` kept) redacted as
 * its own JSON value. Undefined when a non-empty line is not JSON.
 */
function redactJsonLines(text: string): string | undefined {
  if (!text.includes('\n')) return undefined;
  let changed = false;
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index] ?? '';
    const lead = line.startsWith('\u001e') ? '\u001e' : '';
    const value = line.slice(lead.length);
    if (value.trim() === '') continue;
    const redacted = redactJsonText(value, redactJsonStringValue);
    if (redacted === undefined) return undefined;
    if (redacted !== value) {
      lines[index] = lead + redacted;
      changed = true;
    }
  }
  return changed ? lines.join('\n') : text;
}

/**
 * Hides secrets in a body given as text; its kind comes from the one classifier ({@link classifyText}).
 * - JSON: values of sensitive keys at any depth become `"<redacted>"`; only those value spans are rewritten, so
 *   compact stays compact and pretty stays pretty, byte for byte. JSON Lines / `json-seq` line by line.
 * - Forms (`application/x-www-form-urlencoded`, or a bare `a=1&b=2` body): `a=1&password=<redacted>`.
 * - Anything else, and JSON that does not parse (e.g. truncated at capture): {@link redactLooseText}.
 * Returns the input string itself when nothing was hidden.
 */
export function redactBodyText(text: string, mimeType?: string): string {
  const kind = classifyText(text, mimeType);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: U+001E starts each record of application/json-seq.
  if (kind === 'json' || /^\s*[[{\u001e]/.test(text)) {
    const redacted = redactJsonText(text, redactJsonStringValue) ?? redactJsonLines(text);
    if (redacted !== undefined) return redacted;
  } else if (kind === 'form') {
    return redactParamString(text, isSensitiveFieldName);
  }
  return redactLooseText(text, /javascript|ecmascript|css/i.test(mimeType ?? '') ? 'code' : 'text');
}

/**
 * Redacts a body record's data (on a record the caller owns): text bodies always; base64 bodies whenever the one
 * classifier reads them as text ({@link bodyText}), re-encoded only when something was hidden. Binary data stays.
 */
export function redactBodyRecord(body: BodyRecord, mimeType: string | undefined): void {
  if (body.state !== 'available' || body.data === undefined) return;
  if (body.encoding !== 'base64') {
    body.data = redactBodyText(body.data, mimeType);
    return;
  }
  const text = bodyText(body, mimeType);
  if (text === undefined) return;
  const redacted = redactBodyText(text, mimeType);
  if (redacted !== text) body.data = bytesToBase64(encodeUtf8(redacted));
}
