/**
 * Which names (JSON keys, form fields, query parameters, header names) carry secrets.
 * One matcher for every output, so tool text, saved bodies, data files and HAR hide the same things.
 */

/** The text that replaces every hidden value. */
export const REDACTED = '<redacted>';

/** Keys that are secret exactly as named (after {@link normalizeKey}). */
const EXACT_SENSITIVE_KEYS: ReadonlySet<string> = new Set([
  'password',
  'passwd',
  'pass',
  'pwd',
  'passphrase',
  'secret',
  'token',
  'apikey',
  'accesstoken',
  'refreshtoken',
  'idtoken',
  'authtoken',
  'clientsecret',
  'privatekey',
  'auth',
  'authorization',
  'proxyauthorization',
  'session',
  'sessionid',
  'sessid',
  'cookie',
  'setcookie',
  'credential',
  'credentials',
  'otp',
  'pin',
  'ssn',
  'creditcard',
  'cardnumber',
  'cvv',
  'cvc',
  'jwt',
  'sig',
  'signature',
]);

/**
 * Endings that make a key secret (`csrfToken`, `x_api_key`, `JSESSIONID`, `X-Amz-Signature`).
 * Deliberately not `tokens` (`max_tokens`, `prompt_tokens` are counts) nor `session` (`last_session` is often a date).
 */
const SENSITIVE_KEY_SUFFIXES: readonly string[] = [
  'token',
  'secret',
  'password',
  'passwd',
  'apikey',
  'sessionid',
  'privatekey',
  'credential',
  'credentials',
  'signature',
];

/** Extra query-parameter names that carry secrets in URLs only (`?key=` API keys, OAuth `?code=`). */
const URL_ONLY_SENSITIVE_PARAMS: ReadonlySet<string> = new Set(['key', 'code']);

/** Header names hidden entirely (besides the ones whose name contains a secret word). */
const SENSITIVE_HEADER_NAMES: ReadonlySet<string> = new Set(['x-api-key', 'x-auth-token', 'x-csrf-token', 'x-xsrf-token']);

/** Words that make any header name secret when they appear anywhere in it. */
const SENSITIVE_HEADER_WORDS: readonly string[] = ['token', 'secret', 'api-key', 'apikey', 'password', 'session'];

/** Lower-cases a key and removes `-` and `_`, so `Access-Token`, `access_token` and `accessToken` compare equal. */
export function normalizeKey(name: string): string {
  return name.toLowerCase().replace(/[-_]/g, '');
}

/**
 * True when a JSON key, form field or parameter name names a secret.
 * Case-insensitive; `-`/`_` ignored; exact words (`password`, `pin`, `auth`, …) or endings (`…token`, `…secret`,
 * `…password`, `…apikey`). Not secret: `passage`, `author`, `tokenizer_name`, `max_tokens`, `token_type`, `pinned`.
 */
export function isSensitiveKey(name: string): boolean {
  const key = normalizeKey(name.trim());
  if (key.length === 0) return false;
  if (EXACT_SENSITIVE_KEYS.has(key)) return true;
  return SENSITIVE_KEY_SUFFIXES.some((suffix) => key.endsWith(suffix));
}

/**
 * Like {@link isSensitiveKey} for form field names, which may nest with brackets or dots:
 * `user[password]` and `user.password` are secret because their last segment is.
 */
export function isSensitiveFieldName(name: string): boolean {
  if (isSensitiveKey(name)) return true;
  const segments = name.split(/[[\].]+/).filter((segment) => segment.length > 0);
  const last = segments[segments.length - 1];
  return last !== undefined && last !== name && isSensitiveKey(last);
}

/** True for a URL query (or fragment) parameter whose value must be hidden: a sensitive field, `key` or `code`. */
export function isSensitiveQueryParam(name: string): boolean {
  return isSensitiveFieldName(name) || URL_ONLY_SENSITIVE_PARAMS.has(normalizeKey(name.trim()));
}

/**
 * True for a header whose whole value is hidden: `x-api-key`, `x-auth-token`, `x-csrf-token`, `x-xsrf-token`, and
 * any name containing `token`, `secret`, `api-key`/`apikey`, `password` or `session`. (`authorization`, `cookie` and
 * `set-cookie` are redacted by shape instead; see `redactHeaders`.)
 */
export function isSensitiveHeaderName(name: string): boolean {
  const lower = name.toLowerCase().replace(/_/g, '-');
  if (SENSITIVE_HEADER_NAMES.has(lower)) return true;
  return SENSITIVE_HEADER_WORDS.some((word) => lower.includes(word));
}
