/** Redaction used by every output (tool text, saved bodies, data files, HAR). Pure: no I/O. */
export {
  REDACTED,
  isSensitiveKey,
  isSensitiveFieldName,
  isSensitiveQueryParam,
  isSensitiveHeaderName,
  normalizeKey,
} from './sensitive-keys.js';
export { redactUrl, redactParamString } from './url.js';
export {
  redactHeaders,
  redactHeaderValue,
  redactCookies,
  redactAuthorizationValue,
  redactCookieHeaderValue,
  redactSetCookieValue,
} from './headers.js';
export { redactBodyText, redactLooseText, redactBodyRecord } from './body.js';
export { redactJsonText } from './json-text.js';
export { redactEntry } from './entry.js';
export { redactHar } from './har.js';
export { redactKnownValues, stringLeaves } from './known-values.js';
