/** HAR 1.2 export of the capture model. Pure: no I/O, no redaction (callers pass redacted entries). */
export { buildHar, harTimings, harHttpVersion, harQueryString } from './build.js';
export type { BuildHarOptions } from './build.js';
export { readHar, parseHarJson, HarReadError } from './read.js';
export { assignPages } from './pages.js';
export type { PageInput, PageAssignment } from './pages.js';
export {
  harCookieFromCookie,
  harCookiesFromCookieHeader,
  harCookiesFromSetCookieHeaders,
} from './cookies.js';
export type {
  Har,
  HarLog,
  HarPage,
  HarEntry,
  HarRequest,
  HarResponse,
  HarContent,
  HarCookie,
  HarHeader,
  HarQueryParam,
  HarPostData,
  HarTimings,
  HarWebSocketMessage,
  HarEventSourceMessage,
  HarInitiator,
  HarNameValue,
} from './types.js';
