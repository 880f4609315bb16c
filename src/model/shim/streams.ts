/**
 * State of the WebSockets and EventSources the page shim reports, and the pure steps that turn shim messages into
 * {@link WebSocketFrame}s and {@link StreamEvent}s. Linking sockets to network entries is {@link NetworkLog}'s job.
 */
import type { StreamEvent, StreamInfo, WebSocketFrame, WebSocketInfo } from '../types.js';
import type { ShimMessage, ShimPayload } from './messages.js';
import { base64DecodedLength, utf8ByteLength } from '../../lib/bytes.js';

/** At most this many frames (WebSocket) or events (EventSource) are kept per entry; later ones are counted. */
export const MAX_STREAM_ITEMS_PER_ENTRY = 10_000;

/** One WebSocket or EventSource the shim reported, keyed by (realm, kind, per-document id). */
export interface ShimSocket {
  key: string;
  kind: 'ws' | 'sse';
  /** The URL the page used (`ws(s)://` for WebSockets). */
  url: string;
  context?: string;
  /** Epoch ms of `ws-create` / `sse-create`. */
  createdAt: number;
  opened: boolean;
  /** Id of the linked network entry, once linked. */
  entryId?: string;
  /** True when the linked entry was built from the shim (no handshake events, as in Chromium). */
  synthetic: boolean;
  /** True once BiDi handshake events were merged into the synthetic entry. */
  handshakeMerged: boolean;
  webSocket?: WebSocketInfo;
  stream?: StreamInfo;
  /** Frames/events dropped beyond {@link MAX_STREAM_ITEMS_PER_ENTRY}. */
  droppedItems: number;
  /** Payloads the shim cut short (very long texts). */
  truncatedItems: number;
}

/** Key of a shim socket: ids count per document (realm) and per kind. */
export function shimSocketKey(realmOrContext: string, message: ShimMessage): string {
  return `${realmOrContext}|${message.kind.startsWith('ws-') ? 'ws' : 'sse'}|${message.id}`;
}

/** A new socket record for a `ws-create` / `sse-create` message. */
export function newShimSocket(key: string, kind: 'ws' | 'sse', url: string, context: string | undefined, createdAt: number): ShimSocket {
  const socket: ShimSocket = {
    key,
    kind,
    url,
    createdAt,
    opened: false,
    synthetic: false,
    handshakeMerged: false,
    droppedItems: 0,
    truncatedItems: 0,
  };
  if (context !== undefined) socket.context = context;
  if (kind === 'ws') socket.webSocket = { url, frames: [] };
  else socket.stream = { url, events: [] };
  return socket;
}

/**
 * The http(s) URL of a WebSocket's opening handshake, as Firefox reports it in network events
 * (`ws://h/p` → `http://h/p`, `wss://` → `https://`). Other URLs are returned unchanged.
 */
export function webSocketHandshakeUrl(webSocketUrl: string): string {
  return webSocketUrl.replace(/^ws(s?):/i, (_match, secure: string) => `http${secure.toLowerCase()}:`);
}

/** A WebSocket frame from a `ws-send` / `ws-recv` payload. Text sizes are UTF-8 bytes. */
function webSocketFrameFromShim(direction: WebSocketFrame['direction'], payload: ShimPayload, time: number): WebSocketFrame {
  if (payload.type === 'text') {
    return { direction, time, opcode: 1, size: payload.size ?? utf8ByteLength(payload.text), data: payload.text };
  }
  const frame: WebSocketFrame = {
    direction,
    time,
    opcode: 2,
    size: payload.size ?? (payload.base64 === undefined ? 0 : (base64DecodedLength(payload.base64) ?? 0)),
  };
  if (payload.base64 !== undefined) frame.data = payload.base64;
  return frame;
}

/** Appends a frame unless the cap is reached; returns false (and counts it) when dropped. */
function appendWebSocketFrame(socket: ShimSocket, frame: WebSocketFrame, truncated: boolean): boolean {
  const info = socket.webSocket;
  if (info === undefined) return false;
  if (truncated) socket.truncatedItems++;
  if (info.frames.length >= MAX_STREAM_ITEMS_PER_ENTRY) {
    socket.droppedItems++;
    return false;
  }
  info.frames.push(frame);
  return true;
}

/** Appends an EventSource message unless the cap is reached; returns false (and counts it) when dropped. */
function appendStreamEvent(socket: ShimSocket, event: StreamEvent, truncated: boolean): boolean {
  const info = socket.stream;
  if (info === undefined) return false;
  if (truncated) socket.truncatedItems++;
  if (info.events.length >= MAX_STREAM_ITEMS_PER_ENTRY) {
    socket.droppedItems++;
    return false;
  }
  info.events.push(event);
  return true;
}

/** Text for `source.webSocket` / `source.stream`: where the data came from and what was dropped or cut. */
export function shimSourceNote(socket: ShimSocket): string {
  const api = socket.kind === 'ws' ? 'WebSocket' : 'EventSource';
  const item = socket.kind === 'ws' ? 'frames' : 'events';
  let note = `page shim (script.message): wrapped window.${api}`;
  if (socket.kind === 'sse') note += '; named events only when the page listens for them';
  if (socket.droppedItems > 0) {
    const cap = `${MAX_STREAM_ITEMS_PER_ENTRY}-${item.slice(0, -1)} cap`;
    note += `; ${socket.droppedItems} ${item} dropped beyond the ${cap}`;
  }
  if (socket.truncatedItems > 0) note += `; ${socket.truncatedItems} long payloads cut short by the shim`;
  return note;
}

/** Text for `stream.error` after an `sse-error` message. */
function eventSourceErrorText(readyState: number | undefined): string {
  if (readyState === 2) return 'error event; the stream is closed (readyState CLOSED)';
  if (readyState === 0) return 'error event; connection lost, the browser is reconnecting (readyState CONNECTING)';
  return 'error event';
}

/** What applying one WebSocket shim message did. */
export interface WebSocketMessageOutcome {
  change: 'updated' | 'frame' | 'ignored';
  /** Why the connection failed, when it ended before opening. */
  failure?: string;
  /** True when no more messages are expected for this socket. */
  finished: boolean;
}

/** Applies a `ws-*` message (other than `ws-create`) to the socket's {@link WebSocketInfo}. */
export function applyWebSocketMessage(socket: ShimSocket, message: ShimMessage, time: number): WebSocketMessageOutcome {
  const info = socket.webSocket;
  if (info === undefined) return { change: 'ignored', finished: false };
  switch (message.kind) {
    case 'ws-open':
      socket.opened = true;
      info.openedAt = time;
      if (message.protocol) info.protocol = message.protocol;
      return { change: 'updated', finished: false };
    case 'ws-send':
    case 'ws-recv': {
      const direction = message.kind === 'ws-send' ? 'sent' : 'received';
      const truncated = message.payload.type === 'text' && message.payload.truncated;
      appendWebSocketFrame(socket, webSocketFrameFromShim(direction, message.payload, time), truncated);
      return { change: 'frame', finished: false };
    }
    case 'ws-close': {
      info.closed = { time, code: message.code, reason: message.reason, wasClean: message.wasClean };
      const outcome: WebSocketMessageOutcome = { change: 'updated', finished: true };
      if (!socket.opened) outcome.failure = `WebSocket closed before it opened (code ${message.code ?? 'unknown'})`;
      return outcome;
    }
    case 'ws-error': {
      info.error = 'error event (browsers give pages no details)';
      const outcome: WebSocketMessageOutcome = { change: 'updated', finished: false };
      if (!socket.opened) outcome.failure = 'WebSocket connection failed (error event before open)';
      return outcome;
    }
    default:
      return { change: 'ignored', finished: false };
  }
}

/** What applying one EventSource shim message did. */
export interface EventSourceMessageOutcome {
  change: 'updated' | 'stream-event' | 'ignored';
  /** True when the stream is closed for good (page called close(), or error with readyState CLOSED). */
  finished: boolean;
}

/** Applies an `sse-*` message (other than `sse-create`) to the socket's {@link StreamInfo}. */
export function applyEventSourceMessage(socket: ShimSocket, message: ShimMessage, time: number): EventSourceMessageOutcome {
  const info = socket.stream;
  if (info === undefined) return { change: 'ignored', finished: false };
  switch (message.kind) {
    case 'sse-open':
      socket.opened = true;
      info.openedAt = time;
      return { change: 'updated', finished: false };
    case 'sse-msg': {
      const event: StreamEvent = { time, event: message.event, data: message.text };
      if (message.lastEventId !== undefined) event.id = message.lastEventId;
      appendStreamEvent(socket, event, message.truncated);
      return { change: 'stream-event', finished: false };
    }
    case 'sse-error':
      info.error = eventSourceErrorText(message.readyState);
      return { change: 'updated', finished: message.readyState === 2 };
    case 'sse-close':
      info.closedByPageAt = time;
      return { change: 'updated', finished: true };
    default:
      return { change: 'ignored', finished: false };
  }
}
