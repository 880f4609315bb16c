/**
 * The browser-agnostic capture model. One {@link NetworkEntry} per request hop, built by pure functions
 * from WebDriver BiDi events (see `normalize.ts`). Unknown facts are `undefined`, never a made-up zero;
 * `source` says where each field family came from or why it is missing.
 */

/** Normalized resource types, the same for every browser. */
export const RESOURCE_TYPES = [
  'document',
  'script',
  'stylesheet',
  'image',
  'font',
  'fetch',
  'xhr',
  'websocket',
  'eventsource',
  'media',
  'other',
] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];

/** One HTTP header; names keep the browser's spelling, values are decoded to text. */
export interface Header {
  name: string;
  value: string;
}

/** One cookie as BiDi reports it (`network.Cookie`), value decoded to text. */
export interface Cookie {
  name: string;
  value: string;
  domain?: string;
  path?: string;
  /** Epoch seconds, when the browser reports one. */
  expires?: number;
  httpOnly?: boolean;
  secure?: boolean;
  sameSite?: string;
}

/**
 * A captured body. Bodies are fetched lazily from the browser's data collector, so an entry's body moves from
 * `pending` to `available` or `unavailable`. `not-captured` means capture options excluded it.
 */
export type BodyState = 'not-captured' | 'pending' | 'available' | 'unavailable';

export interface BodyRecord {
  state: BodyState;
  /** Why the body is not available (or not captured), in words an agent can act on. */
  reason?: string;
  /** `text` when `data` is the body as UTF-8 text, `base64` for binary bodies. */
  encoding?: 'text' | 'base64';
  data?: string;
  /** Size in bytes of the whole body (decoded), when known. */
  size?: number;
  /** True when only the first `maxBodyBytes` were kept. */
  truncated?: boolean;
}

/** Timing phases in milliseconds, HAR-style. A phase the browser did not measure is undefined. */
export interface Timings {
  blocked?: number;
  dns?: number;
  connect?: number;
  ssl?: number;
  send?: number;
  wait?: number;
  receive?: number;
  total?: number;
}

export interface EntryRequest {
  headers: Header[];
  cookies: Cookie[];
  headersSize?: number;
  bodySize?: number;
  body?: BodyRecord;
  /**
   * Chromium's event carried the body (`goog:postData`, a string) but it was set aside: without a textual
   * Content-Type it is not byte-exact, so the body comes from the data collector instead (`source.requestBody` says so).
   */
  postDataNotByteExact?: true;
}

export interface EntryResponse {
  status: number;
  statusText: string;
  protocol?: string;
  mimeType?: string;
  headers: Header[];
  fromCache?: boolean;
  /** Bytes on the wire for the body (after content-encoding), when known. */
  encodedBodySize?: number;
  /** Bytes of the decoded body, when known. */
  decodedBodySize?: number;
  headersSize?: number;
  body?: BodyRecord;
}

export interface WebSocketFrame {
  direction: 'sent' | 'received';
  /** Epoch ms. */
  time: number;
  /** 1 = text, 2 = binary (RFC 6455 opcodes). */
  opcode: 1 | 2;
  /** Payload size in bytes. */
  size: number;
  /** Text payload, or base64 for binary payloads when the shim could read them. */
  data?: string;
}

export interface WebSocketInfo {
  url: string;
  openedAt?: number;
  protocol?: string;
  frames: WebSocketFrame[];
  closed?: { time: number; code?: number; reason?: string; wasClean?: boolean };
  error?: string;
}

export interface StreamEvent {
  /** Epoch ms. */
  time: number;
  event: string;
  id?: string;
  data: string;
}

export interface StreamInfo {
  url: string;
  openedAt?: number;
  events: StreamEvent[];
  /** Set when the page saw an error on the stream (not when the page closed it). */
  error?: string;
  /** Epoch ms when the page closed the stream with EventSource.close(). */
  closedByPageAt?: number;
}

/** Field families whose provenance an entry records. */
export type SourceField =
  | 'request'
  | 'response'
  | 'timings'
  | 'initiator'
  | 'requestBody'
  | 'responseBody'
  | 'webSocket'
  | 'stream'
  | 'sizes';

export interface NetworkEntry {
  /** Stable 0-based position in the capture. */
  index: number;
  /** `${requestId}:${redirectCount}` — one per hop (its hop key: `hopKey` in model/hop.ts). */
  id: string;
  requestId: string;
  redirectCount: number;
  /** Browsing context (tab/frame) id, when known. */
  context?: string;
  navigation?: string;
  method: string;
  url: string;
  resourceType: ResourceType;
  /** Epoch ms when the request started. */
  startedAt: number;
  /** Lifecycle: `pending` until a final response or error arrives. */
  state: 'pending' | 'complete' | 'failed';
  initiator?: { type: string; url?: string; lineNumber?: number; columnNumber?: number };
  request: EntryRequest;
  response?: EntryResponse;
  timings: Timings;
  /**
   * Phases in `timings` that are estimates, not the browser's measurement (Chromium's receive/total come from when
   * its events arrived); `source.timings` says how. Absent when every phase is measured.
   */
  estimatedTimings?: readonly (keyof Timings)[];
  redirect?: { from?: string; to?: string };
  error?: string;
  webSocket?: WebSocketInfo;
  stream?: StreamInfo;
  source: Partial<Record<SourceField, string>>;
  /** What a network rule or a HAR replay did to this request (`rule r1: respond 200`, `replayed from x.har`). */
  shapedBy?: string;
  /**
   * Grows with every change the `NetworkLog` makes to the entry (events, bodies, shaping): copies derived from
   * the entry (the redacted copies tools show) are current while it is unchanged. Absent on entries no log owns.
   */
  revision?: number;
}
