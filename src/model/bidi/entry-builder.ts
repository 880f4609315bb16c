/**
 * Pure steps that build and update a {@link NetworkEntry} from one parsed `network.*` event. The {@link NetworkLog}
 * decides which entry an event belongs to; these functions only copy facts across and write `source` notes.
 * https://w3c.github.io/webdriver-bidi/#module-network
 */
import { bodyMimeType, mimeVerdict } from '../body-kind.js';
import type { BidiDialect, BidiFetchTimingInfo, BidiHeader, BidiNetworkEventParams } from './types.js';
import type { Header, NetworkEntry, ResourceType, Timings } from '../types.js';
import { bodyFromText } from '../bodies.js';
import { cookiesFromBidi } from '../cookies.js';
import { bytesValueToText, findHeader, headersFromBidiReusing, sameHeaderName } from '../headers.js';
import { intern } from '../intern.js';
import { hopKey } from '../hop.js';
import { cachedNote } from './note-cache.js';
import { initiatorFromBidi } from './initiator.js';
import { refineResourceTypeFromResponse, resourceTypeFromRequest } from './resource-type.js';
import { responseBodySizes } from './sizes.js';
import { startedAtFromBidi, timingsFromBidi, type EndEvidence } from './timings.js';

/** What the request body options say about bodies that arrive inside events (Chromium's `goog:postData`). */
export interface EventBodyOptions {
  mode: 'none' | 'text' | 'all';
  maxBodyBytes: number;
}

/** Short name of a BiDi network event, for notes ("beforeRequestSent"). */
export function shortEventName(method: string): string {
  return method.startsWith('network.') ? method.slice('network.'.length) : method;
}

/** Where a synthetic WebSocket entry's request facts come from. */
const SYNTHETIC_WEBSOCKET_NOTE = 'Chromium sends no network events for WebSocket handshakes; entry built from the page shim';

/**
 * A pending entry for a WebSocket the page shim reported but no BiDi handshake events describe (Chromium sends
 * none): method GET, the `ws(s)://` URL, started when the page created the socket.
 */
export function newSyntheticWebSocketEntry(
  index: number,
  requestId: string,
  socket: { url: string; context?: string; createdAt: number },
): NetworkEntry {
  const entry: NetworkEntry = {
    index,
    id: `${requestId}:0`,
    requestId,
    redirectCount: 0,
    method: 'GET',
    url: socket.url,
    resourceType: 'websocket',
    startedAt: socket.createdAt,
    state: 'pending',
    request: { headers: [], cookies: [] },
    timings: {},
    source: { request: SYNTHETIC_WEBSOCKET_NOTE, timings: 'no BiDi timing info for this WebSocket handshake' },
  };
  if (socket.context !== undefined) entry.context = socket.context;
  return entry;
}

/** Firefox 153 labels a redirect's MIME type like this at responseStarted; it is not a real type. */
const PLACEHOLDER_MIME_TYPE = 'application/x-unknown-content-type';

/** The only request headers {@link resourceTypeFromRequest} reads. */
const TYPE_HINT_HEADERS = ['sec-fetch-mode', 'sec-websocket-key', 'upgrade', 'accept'];

/** Those of the request headers that hint at the resource type, in order, as text. */
function typeHintHeaders(headers: readonly BidiHeader[]): Header[] {
  const hints: Header[] = [];
  for (const header of headers) {
    if (TYPE_HINT_HEADERS.some((name) => sameHeaderName(header.name, name))) {
      hints.push({ name: header.name, value: bytesValueToText(header.value) });
    }
  }
  return hints;
}

/** The resource type the request side of the event implies. */
export function resourceTypeOfEvent(params: BidiNetworkEventParams): ResourceType {
  const request = params.request;
  return resourceTypeFromRequest({
    googResourceType: request['goog:resourceType'],
    destination: request.destination,
    initiatorType: request.initiatorType,
    headers: typeHintHeaders(request.headers),
  });
}

/** The URL to record for the event's request (the response URL when the request has none). */
export function urlOfEvent(params: BidiNetworkEventParams): string {
  return params.request.url || params.response?.url || '';
}

/** A fresh pending entry for the event's hop, before any request data is applied. */
export function newEntry(params: BidiNetworkEventParams, index: number, resourceType: ResourceType, receivedAt: number): NetworkEntry {
  const requestId = params.request.request;
  const entry: NetworkEntry = {
    index,
    id: hopKey(requestId, params.redirectCount),
    requestId,
    redirectCount: params.redirectCount,
    method: params.request.method || 'GET',
    url: urlOfEvent(params),
    resourceType,
    startedAt: startedAtFromBidi(params.request.timings, params.timestamp, receivedAt),
    state: 'pending',
    request: { headers: [], cookies: [] },
    timings: {},
    source: {},
  };
  if (params.context !== undefined) entry.context = intern(params.context);
  if (params.navigation !== undefined) entry.navigation = intern(params.navigation);
  return entry;
}

/**
 * Copies the request side of an event into the entry: headers (deduplicated; a later, non-empty list replaces an
 * earlier one because Firefox adds headers such as Cookie after beforeRequestSent), cookies, sizes, initiator and
 * Chromium's inline POST body. `origin` says how the entry came to exist, for `source.request`.
 */
export function applyRequestData(
  entry: NetworkEntry,
  params: BidiNetworkEventParams,
  method: string,
  dialect: BidiDialect,
  origin: string,
  bodies: EventBodyOptions,
): void {
  const request = params.request;
  const converted = headersFromBidiReusing(request.headers, entry.request.headers);
  if (converted.headers.length > 0) {
    entry.request.headers = converted.headers;
    const duplicates = converted.duplicatesRemoved;
    entry.source.request = cachedNote(['request', origin, method, duplicates], () => {
      let note = `${origin}; headers as of network.${shortEventName(method)}`;
      if (duplicates > 0) note += `; ${duplicates} exact duplicate headers removed (Chromium repeats some)`;
      return note;
    });
  } else if (entry.source.request === undefined) {
    entry.source.request = origin;
  }
  if (request.cookies.length > 0 || entry.request.cookies.length === 0) {
    entry.request.cookies = cookiesFromBidi(request.cookies);
  }
  // Firefox sends headersSize 0 until the request is on the wire; 0 is "not known yet", not a size.
  if (request.headersSize !== undefined && request.headersSize > 0) entry.request.headersSize = request.headersSize;
  if (request.bodySize !== undefined) entry.request.bodySize = request.bodySize;
  if (params.context !== undefined && entry.context === undefined) entry.context = intern(params.context);
  if (params.navigation !== undefined && entry.navigation === undefined) entry.navigation = intern(params.navigation);

  if (entry.initiator === undefined) {
    const initiator = initiatorFromBidi(params.initiator, request['goog:resourceInitiator'], dialect);
    if (initiator !== undefined) {
      entry.initiator = initiator.initiator;
      if (entry.initiator.url !== undefined) entry.initiator.url = intern(entry.initiator.url);
      entry.source.initiator = initiator.note;
    }
  }
  applyInlineRequestBody(entry, params, dialect, bodies);
}

function applyInlineRequestBody(entry: NetworkEntry, params: BidiNetworkEventParams, dialect: BidiDialect, bodies: EventBodyOptions): void {
  if (entry.request.body !== undefined) return;
  const request = params.request;
  const postData = request['goog:postData'];
  // goog:postData is a string: bytes that are not text arrive changed (0xFF as "ÿ"). Only a textual Content-Type
  // makes it trustworthy; other bodies come byte for byte from the data collector.
  const verdict = mimeVerdict(bodyMimeType(entry, 'request'));
  if (postData !== undefined && (verdict === 'binary' || verdict === 'generic') && bodies.mode !== 'none') {
    entry.request.postDataNotByteExact = true;
    entry.source.requestBody = 'goog:postData ignored (not a textual Content-Type, so not byte-exact); the data collector has the body';
  } else if (postData !== undefined) {
    entry.request.body =
      bodies.mode === 'none'
        ? { state: 'not-captured', reason: "request bodies not captured (captureBodies is 'none')" }
        : bodyFromText(postData, bodies.maxBodyBytes);
    entry.source.requestBody = 'BiDi event (goog:postData)';
  } else if (request['goog:hasPostData'] === true) {
    entry.source.requestBody =
      'Chromium flagged a body (goog:hasPostData) but did not include it in the event; only the data collector has it';
  } else if ((request.bodySize ?? 0) > 0 && entry.source.requestBody === undefined) {
    entry.source.requestBody =
      dialect === 'firefox'
        ? 'Firefox puts no request body in BiDi events; only the data collector has it'
        : 'no request body in the BiDi event; only the data collector has it';
  }
}

/** MIME type: the Content-Type header when present, else the browser's value unless it is a placeholder. */
function chooseMimeType(headerValue: string | undefined, reported: string | undefined): string | undefined {
  if (headerValue !== undefined && headerValue.trim() !== '') return headerValue.trim();
  if (reported === undefined || reported === '' || reported === PLACEHOLDER_MIME_TYPE) return undefined;
  return reported;
}

/**
 * Copies the response side of a `responseStarted`/`responseCompleted` event into the entry (keeping a body the
 * recorder may already have set) and refines the resource type. Body sizes are only taken from a completed response.
 */
export function applyResponseData(entry: NetworkEntry, params: BidiNetworkEventParams, method: string, dialect: BidiDialect): void {
  const reported = params.response;
  if (reported === undefined) return;
  const completed = method === 'network.responseCompleted';
  const response = entry.response ?? (entry.response = { status: 0, statusText: '', headers: [] });
  const converted = headersFromBidiReusing(reported.headers, response.headers);
  if (reported.status !== undefined) response.status = reported.status;
  if (reported.statusText !== undefined) response.statusText = intern(reported.statusText);
  if (reported.protocol) response.protocol = intern(reported.protocol);
  if (converted.headers.length > 0) response.headers = converted.headers;
  const mimeType = chooseMimeType(findHeader(response.headers, 'content-type'), reported.mimeType);
  if (mimeType !== undefined) response.mimeType = intern(mimeType);
  if (reported.fromCache !== undefined) response.fromCache = reported.fromCache;
  if (reported.headersSize !== undefined && reported.headersSize > 0) response.headersSize = reported.headersSize;
  if (completed) {
    const sizes = responseBodySizes(reported, response.headers, dialect);
    if (sizes.encodedBodySize !== undefined) response.encodedBodySize = sizes.encodedBodySize;
    if (sizes.decodedBodySize !== undefined) response.decodedBodySize = sizes.decodedBodySize;
    entry.source.sizes = intern(sizes.note);
  } else if (entry.source.sizes === undefined) {
    entry.source.sizes = 'body sizes are known once network.responseCompleted arrives';
  }
  entry.source.response = cachedNote(['response', method], () => `BiDi network.${shortEventName(method)}`);
  entry.resourceType = refineResourceTypeFromResponse(entry.resourceType, {
    status: response.status,
    mimeType: response.mimeType,
    headers: response.headers,
  });
}

function definedPhases(timings: Timings): number {
  let count = 0;
  for (const key in timings) if (timings[key as keyof Timings] !== undefined) count++;
  return count;
}

/**
 * Recomputes the timings from an event's FetchTimingInfo, unless it knows fewer phases than the entry already has
 * (Chromium's stray fetchError, for one, carries all zeros). `evidence` (the page's Resource Timing, when the hop's
 * events arrived) gives Chromium's end of response; see {@link timingsFromBidi}.
 */
export function applyTimings(
  entry: NetworkEntry,
  raw: BidiFetchTimingInfo | undefined,
  method: string,
  dialect: BidiDialect,
  evidence?: EndEvidence,
): void {
  const converted = timingsFromBidi(raw, dialect, evidence);
  if (entry.source.timings !== undefined && definedPhases(converted.timings) < definedPhases(entry.timings)) return;
  entry.timings = converted.timings;
  // Set to undefined rather than deleted: `delete` would turn the entry into a slower, larger dictionary object.
  if (converted.estimated.length > 0) entry.estimatedTimings = converted.estimated;
  else if (entry.estimatedTimings !== undefined) entry.estimatedTimings = undefined;
  entry.source.timings = cachedNote(['timings', method, ...converted.notes], () =>
    [`BiDi network.${shortEventName(method)} timings`, ...converted.notes].join('; '),
  );
}
