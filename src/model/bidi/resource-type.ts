/**
 * Normalizes what each browser says about a request into one {@link ResourceType}.
 *
 * Inputs, strongest first: Chromium's `goog:resourceType`; request headers that only one kind of request sends
 * (`Sec-Fetch-Mode: websocket` / `Upgrade: websocket`, `Accept: text/event-stream`); the Fetch `destination`
 * (https://fetch.spec.whatwg.org/#concept-request-destination); the `initiatorType`
 * (https://fetch.spec.whatwg.org/#concept-request-initiator-type). A type that is still `other` can be refined when
 * the response arrives ({@link refineResourceTypeFromResponse}).
 */
import type { Header, ResourceType } from '../types.js';
import { findHeader, headerHasToken } from '../headers.js';

/** What the request side of an event tells about its type. */
export interface RequestTypeFacts {
  googResourceType?: string;
  destination?: string;
  initiatorType?: string;
  headers: readonly Header[];
}

/** What the response side tells about its type. */
export interface ResponseTypeFacts {
  status?: number;
  mimeType?: string;
  headers: readonly Header[];
}

/** Chromium's `goog:resourceType` (CDP `Network.ResourceType`) → ResourceType; undefined for `Other`/unknown. */
const GOOG_RESOURCE_TYPES: Readonly<Record<string, ResourceType>> = {
  Document: 'document',
  Stylesheet: 'stylesheet',
  Image: 'image',
  Media: 'media',
  Font: 'font',
  Script: 'script',
  TextTrack: 'media',
  XHR: 'xhr',
  Fetch: 'fetch',
  EventSource: 'eventsource',
  WebSocket: 'websocket',
};

const DESTINATION_TYPES: Readonly<Record<string, ResourceType>> = {
  document: 'document',
  iframe: 'document',
  frame: 'document',
  script: 'script',
  worker: 'script',
  sharedworker: 'script',
  serviceworker: 'script',
  audioworklet: 'script',
  paintworklet: 'script',
  style: 'stylesheet',
  xslt: 'stylesheet',
  image: 'image',
  font: 'font',
  audio: 'media',
  video: 'media',
  track: 'media',
};

const INITIATOR_TYPES: Readonly<Record<string, ResourceType>> = {
  xmlhttprequest: 'xhr',
  fetch: 'fetch',
  img: 'image',
  image: 'image',
  icon: 'image',
  script: 'script',
  audio: 'media',
  video: 'media',
  track: 'media',
  iframe: 'document',
  frame: 'document',
};

/** True when request headers say this is a WebSocket opening handshake (RFC 6455 §4.1, Fetch `websocket` mode). */
function isWebSocketHandshakeRequest(headers: readonly Header[]): boolean {
  return (
    findHeader(headers, 'sec-fetch-mode')?.toLowerCase() === 'websocket' ||
    findHeader(headers, 'sec-websocket-key') !== undefined ||
    headerHasToken(headers, 'upgrade', 'websocket')
  );
}

/** True when the request asked for an event stream (what `EventSource` sends). */
function acceptsEventStream(headers: readonly Header[]): boolean {
  return findHeader(headers, 'accept')?.toLowerCase().includes('text/event-stream') ?? false;
}

/**
 * The resource type the request side implies. Firefox XHR has `initiatorType: 'xmlhttprequest'`, Chromium XHR has
 * `initiatorType: null` but `goog:resourceType: 'XHR'`; Firefox's EventSource and WebSocket handshakes carry neither,
 * so they are recognised from their request headers.
 */
export function resourceTypeFromRequest(facts: RequestTypeFacts): ResourceType {
  const fromGoog = facts.googResourceType === undefined ? undefined : GOOG_RESOURCE_TYPES[facts.googResourceType];
  if (fromGoog !== undefined) return fromGoog;
  if (isWebSocketHandshakeRequest(facts.headers)) return 'websocket';
  if (acceptsEventStream(facts.headers)) return 'eventsource';
  const fromDestination = facts.destination ? DESTINATION_TYPES[facts.destination] : undefined;
  if (fromDestination !== undefined) return fromDestination;
  const fromInitiator = facts.initiatorType ? INITIATOR_TYPES[facts.initiatorType] : undefined;
  return fromInitiator ?? 'other';
}

/**
 * Refines a type once the response is known. Only `other` is refined, so a `fetch()` that reads an event stream
 * stays `fetch`: a 101 answer with `Upgrade: websocket` → `websocket` (Firefox's handshake), `text/event-stream` →
 * `eventsource`.
 */
export function refineResourceTypeFromResponse(current: ResourceType, facts: ResponseTypeFacts): ResourceType {
  if (current !== 'other') return current;
  if (facts.status === 101 && headerHasToken(facts.headers, 'upgrade', 'websocket')) return 'websocket';
  const contentType = findHeader(facts.headers, 'content-type') ?? facts.mimeType ?? '';
  if (contentType.toLowerCase().startsWith('text/event-stream')) return 'eventsource';
  return current;
}
