/**
 * Minimal structural types for the WebDriver BiDi event params the capture model reads, and defensive readers that
 * turn an `unknown` params object into them. Readers never throw: whatever cannot be understood is left out.
 *
 * Spec: https://w3c.github.io/webdriver-bidi/#module-network and
 * https://w3c.github.io/webdriver-bidi/#event-script-message. Vendor fields (`goog:*`) are Chromium's (chromium-bidi).
 */

/** `network.BytesValue`: UTF-8 text as `string`, anything else as `base64`. */
export interface BidiBytesValue {
  type: 'string' | 'base64';
  value: string;
}

/** `network.Header`. */
export interface BidiHeader {
  name: string;
  value: BidiBytesValue;
}

/** `network.Cookie` (only the fields the model uses). `expiry` is epoch seconds. */
export interface BidiCookie {
  name: string;
  value: BidiBytesValue;
  domain?: string;
  path?: string;
  expiry?: number;
  httpOnly?: boolean;
  secure?: boolean;
  sameSite?: string;
}

/**
 * `network.FetchTimingInfo`. The spec makes every field relative to `timeOrigin` (Chromium: `timeOrigin` = epoch ms);
 * Firefox sends `timeOrigin: 0` and absolute epoch ms, plus a non-standard `tlsEnd`. 0 means "not measured".
 */
export interface BidiFetchTimingInfo {
  timeOrigin?: number;
  requestTime?: number;
  redirectStart?: number;
  redirectEnd?: number;
  fetchStart?: number;
  dnsStart?: number;
  dnsEnd?: number;
  connectStart?: number;
  connectEnd?: number;
  tlsStart?: number;
  tlsEnd?: number;
  requestStart?: number;
  responseStart?: number;
  responseEnd?: number;
}

/** One stack frame of `script.StackTrace` (Chromium's `goog:resourceInitiator.stack` uses the same shape). */
export interface BidiStackFrame {
  url?: string;
  functionName?: string;
  lineNumber?: number;
  columnNumber?: number;
}

/** `network.Initiator`, merged with Chromium's `goog:resourceInitiator` shape (`url`, `stack`). */
export interface BidiInitiator {
  type?: string;
  url?: string;
  lineNumber?: number;
  columnNumber?: number;
  callFrames: BidiStackFrame[];
}

/** `network.RequestData` plus Chromium's vendor fields. */
export interface BidiRequestData {
  request: string;
  url: string;
  method: string;
  headers: BidiHeader[];
  cookies: BidiCookie[];
  headersSize?: number;
  bodySize?: number;
  destination?: string;
  initiatorType?: string;
  timings?: BidiFetchTimingInfo;
  'goog:resourceType'?: string;
  'goog:postData'?: string;
  'goog:hasPostData'?: boolean;
  'goog:resourceInitiator'?: BidiInitiator;
}

/** `network.ResponseData`. */
export interface BidiResponseData {
  url?: string;
  protocol?: string;
  status?: number;
  statusText?: string;
  fromCache?: boolean;
  headers: BidiHeader[];
  mimeType?: string;
  bytesReceived?: number;
  headersSize?: number;
  bodySize?: number;
  contentSize?: number;
}

/** Params of `network.beforeRequestSent`, `responseStarted`, `responseCompleted` and `fetchError`. */
export interface BidiNetworkEventParams {
  context?: string;
  navigation?: string;
  redirectCount: number;
  /** Epoch ms when the browser emitted the event. */
  timestamp?: number;
  request: BidiRequestData;
  initiator?: BidiInitiator;
  response?: BidiResponseData;
  errorText?: string;
}

/** Params of `script.message`. */
export interface BidiScriptMessageParams {
  channel: string;
  /** The `script.RemoteValue` the page sent. */
  data: unknown;
  context?: string;
  realm?: string;
}

/** Which browser's conventions an event follows (see docs/browser-facts.md, "Network events"). */
export type BidiDialect = 'chromium' | 'firefox' | 'unknown';

type UnknownRecord = Record<string, unknown>;

/** The value as a plain object, or undefined. */
export function asRecord(value: unknown): UnknownRecord | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as UnknownRecord) : undefined;
}

/** The value if it is a string, else undefined. */
export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The value if it is a finite number, else undefined. */
export function asNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** The value if it is a boolean, else undefined. */
export function asBoolean(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}

/** Reads a `network.BytesValue`; undefined when it is not one. */
function readBytesValue(value: unknown): BidiBytesValue | undefined {
  const record = asRecord(value);
  const text = asString(record?.['value']);
  const type = record?.['type'];
  if (text === undefined || (type !== 'string' && type !== 'base64')) return undefined;
  return { type, value: text };
}

/** True for a well-formed `network.BytesValue` (checked without copying it; an array has no string `value`). */
function isBytesValue(value: unknown): value is BidiBytesValue {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  const type = record['type'];
  return (type === 'string' || type === 'base64') && typeof record['value'] === 'string';
}

/** True for a well-formed `network.Header` (checked without copying it; an array has no string `name`). */
function isBidiHeader(value: unknown): value is BidiHeader {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return typeof record['name'] === 'string' && isBytesValue(record['value']);
}

function readHeaders(value: unknown): BidiHeader[] {
  if (!Array.isArray(value)) return [];
  // The usual case: every header is well-formed; the parsed objects are used as they are (no copies per event).
  if (value.every(isBidiHeader)) return value;
  const headers: BidiHeader[] = [];
  for (const item of value) {
    const record = asRecord(item);
    const name = asString(record?.['name']);
    // Some implementations have sent plain strings; accept them as text.
    const raw = record?.['value'];
    const bytes = typeof raw === 'string' ? { type: 'string' as const, value: raw } : readBytesValue(raw);
    if (name !== undefined && bytes !== undefined) headers.push({ name, value: bytes });
  }
  return headers;
}

function readCookies(value: unknown): BidiCookie[] {
  if (!Array.isArray(value)) return [];
  const cookies: BidiCookie[] = [];
  for (const item of value) {
    const record = asRecord(item);
    const name = asString(record?.['name']);
    const bytes = readBytesValue(record?.['value']);
    if (record === undefined || name === undefined || bytes === undefined) continue;
    cookies.push({
      name,
      value: bytes,
      domain: asString(record['domain']),
      path: asString(record['path']),
      expiry: asNumber(record['expiry']),
      httpOnly: asBoolean(record['httpOnly']),
      secure: asBoolean(record['secure']),
      sameSite: asString(record['sameSite']),
    });
  }
  return cookies;
}

const TIMING_FIELDS = [
  'timeOrigin',
  'requestTime',
  'redirectStart',
  'redirectEnd',
  'fetchStart',
  'dnsStart',
  'dnsEnd',
  'connectStart',
  'connectEnd',
  'tlsStart',
  'tlsEnd',
  'requestStart',
  'responseStart',
  'responseEnd',
] as const satisfies ReadonlyArray<keyof BidiFetchTimingInfo>;

function readTimings(value: unknown): BidiFetchTimingInfo | undefined {
  const record = asRecord(value);
  if (record === undefined) return undefined;
  const timings: BidiFetchTimingInfo = {};
  for (const field of TIMING_FIELDS) {
    const number = asNumber(record[field]);
    if (number !== undefined) timings[field] = number;
  }
  return timings;
}

function readStackFrames(value: unknown): BidiStackFrame[] {
  const callFrames = asRecord(value)?.['callFrames'];
  if (!Array.isArray(callFrames)) return [];
  const frames: BidiStackFrame[] = [];
  for (const item of callFrames) {
    const record = asRecord(item);
    if (record === undefined) continue;
    frames.push({
      url: asString(record['url']),
      functionName: asString(record['functionName']),
      lineNumber: asNumber(record['lineNumber']),
      columnNumber: asNumber(record['columnNumber']),
    });
    // Only the top frame is used (the initiator's location); deep stacks arrive with every event of a hop.
    break;
  }
  return frames;
}

/** Reads `network.Initiator` (`stackTrace`) or Chromium's `goog:resourceInitiator` (`stack`, `url`). */
function readInitiator(value: unknown): BidiInitiator | undefined {
  const record = asRecord(value);
  if (record === undefined) return undefined;
  return {
    type: asString(record['type']),
    url: asString(record['url']),
    lineNumber: asNumber(record['lineNumber']),
    columnNumber: asNumber(record['columnNumber']),
    callFrames: readStackFrames(record['stackTrace'] ?? record['stack']),
  };
}

function readRequest(value: unknown): BidiRequestData | undefined {
  const record = asRecord(value);
  const id = asString(record?.['request']);
  if (record === undefined || id === undefined || id === '') return undefined;
  return {
    request: id,
    url: asString(record['url']) ?? '',
    method: asString(record['method']) ?? '',
    headers: readHeaders(record['headers']),
    cookies: readCookies(record['cookies']),
    headersSize: asNumber(record['headersSize']),
    bodySize: asNumber(record['bodySize']),
    destination: asString(record['destination']),
    initiatorType: asString(record['initiatorType']),
    timings: readTimings(record['timings']),
    'goog:resourceType': asString(record['goog:resourceType']),
    'goog:postData': asString(record['goog:postData']),
    'goog:hasPostData': asBoolean(record['goog:hasPostData']),
    'goog:resourceInitiator': readInitiator(record['goog:resourceInitiator']),
  };
}

function readResponse(value: unknown): BidiResponseData | undefined {
  const record = asRecord(value);
  if (record === undefined) return undefined;
  return {
    url: asString(record['url']),
    protocol: asString(record['protocol']),
    status: asNumber(record['status']),
    statusText: asString(record['statusText']),
    fromCache: asBoolean(record['fromCache']),
    headers: readHeaders(record['headers']),
    mimeType: asString(record['mimeType']),
    bytesReceived: asNumber(record['bytesReceived']),
    headersSize: asNumber(record['headersSize']),
    bodySize: asNumber(record['bodySize']),
    contentSize: asNumber(asRecord(record['content'])?.['size']),
  };
}

/**
 * Reads the params of a `network.*` event. Undefined when there is no request id to key the event by.
 * https://w3c.github.io/webdriver-bidi/#type-network-BaseParameters
 */
export function readNetworkEventParams(params: unknown): BidiNetworkEventParams | undefined {
  const record = asRecord(params);
  const request = readRequest(record?.['request']);
  if (record === undefined || request === undefined) return undefined;
  const redirectCount = asNumber(record['redirectCount']);
  return {
    context: asString(record['context']),
    navigation: asString(record['navigation']),
    redirectCount: redirectCount !== undefined && redirectCount >= 0 ? Math.floor(redirectCount) : 0,
    timestamp: asNumber(record['timestamp']),
    request,
    initiator: readInitiator(record['initiator']),
    response: readResponse(record['response']),
    errorText: asString(record['errorText']),
  };
}

/** Reads the params of `script.message`. https://w3c.github.io/webdriver-bidi/#event-script-message */
export function readScriptMessageParams(params: unknown): BidiScriptMessageParams | undefined {
  const record = asRecord(params);
  const channel = asString(record?.['channel']);
  if (record === undefined || channel === undefined) return undefined;
  const source = asRecord(record['source']);
  return {
    channel,
    data: record['data'],
    context: asString(source?.['context']),
    realm: asString(source?.['realm']),
  };
}

/**
 * Guesses which browser's conventions an event follows: Chromium sends `goog:*` vendor fields and an epoch
 * `timeOrigin`; Firefox sends `timeOrigin: 0` with absolute epoch timings.
 */
export function detectBidiDialect(params: BidiNetworkEventParams): BidiDialect {
  const request = params.request;
  if (request['goog:resourceType'] !== undefined || request['goog:resourceInitiator'] !== undefined) return 'chromium';
  const timings = request.timings;
  if (timings?.timeOrigin !== undefined && timings.timeOrigin > 0) return 'chromium';
  if (timings?.timeOrigin === 0 && (timings.requestTime ?? 0) > 0) return 'firefox';
  return 'unknown';
}
