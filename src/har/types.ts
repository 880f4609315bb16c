/**
 * HAR 1.2 types (http://www.softwareishard.com/blog/har-12-spec/), with the custom `_`-prefixed fields bidiscope
 * writes. `-1` means "unknown" where HAR allows it (sizes, optional timing phases).
 */

export interface HarNameValue {
  name: string;
  value: string;
  comment?: string;
}

export type HarHeader = HarNameValue;
export type HarQueryParam = HarNameValue;

export interface HarCookie {
  name: string;
  value: string;
  path?: string;
  domain?: string;
  /** ISO 8601. */
  expires?: string;
  httpOnly?: boolean;
  secure?: boolean;
  comment?: string;
}

export interface HarPostData {
  mimeType: string;
  text?: string;
  comment?: string;
}

export interface HarRequest {
  method: string;
  url: string;
  httpVersion: string;
  cookies: HarCookie[];
  headers: HarHeader[];
  queryString: HarQueryParam[];
  postData?: HarPostData;
  headersSize: number;
  bodySize: number;
  comment?: string;
}

export interface HarContent {
  size: number;
  compression?: number;
  mimeType: string;
  text?: string;
  encoding?: 'base64';
  comment?: string;
}

export interface HarResponse {
  status: number;
  statusText: string;
  httpVersion: string;
  cookies: HarCookie[];
  headers: HarHeader[];
  content: HarContent;
  redirectURL: string;
  headersSize: number;
  bodySize: number;
  comment?: string;
}

export interface HarTimings {
  blocked: number;
  dns: number;
  connect: number;
  send: number;
  wait: number;
  receive: number;
  ssl: number;
  comment?: string;
}

/** Chrome DevTools' WebSocket message shape: `time` in epoch seconds, `opcode` 1 text / 2 binary (base64 data). */
export interface HarWebSocketMessage {
  type: 'send' | 'receive';
  time: number;
  opcode: number;
  data: string;
}

/**
 * bidiscope's EventSource message shape (no standard exists; names follow CDP's `Network.eventSourceMessageReceived`):
 * `time` in epoch seconds like `_webSocketMessages`.
 */
export interface HarEventSourceMessage {
  time: number;
  eventName: string;
  eventId?: string;
  data: string;
}

export interface HarInitiator {
  type: string;
  url?: string;
  lineNumber?: number;
  columnNumber?: number;
}

export interface HarEntry {
  pageref?: string;
  startedDateTime: string;
  time: number;
  request: HarRequest;
  response: HarResponse;
  cache: Record<string, never>;
  timings: HarTimings;
  comment?: string;
  /** Normalized resource type (`document`, `fetch`, `websocket`, …), as Chrome DevTools writes it. */
  _resourceType: string;
  /** Network error text for failed requests (`net::ERR_CONNECTION_REFUSED`); the response then has status 0. */
  _error?: string;
  _initiator?: HarInitiator;
  /** bidiscope's own facts: what a network rule or a HAR replay did to this request. */
  _bidiscope?: { shapedBy: string };
  _webSocketMessages?: HarWebSocketMessage[];
  _eventSourceMessages?: HarEventSourceMessage[];
}

export interface HarPage {
  startedDateTime: string;
  id: string;
  title: string;
  pageTimings: { onContentLoad?: number; onLoad?: number; comment?: string };
  comment?: string;
}

export interface HarLog {
  version: '1.2';
  creator: { name: string; version: string; comment?: string };
  browser?: { name: string; version: string; comment?: string };
  pages: HarPage[];
  entries: HarEntry[];
  comment?: string;
}

export interface Har {
  log: HarLog;
}
