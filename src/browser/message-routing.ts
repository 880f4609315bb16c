/**
 * One JSON.parse per BiDi message. WebdriverIO's `BidiHandler` parses every incoming message to match command
 * responses, a classic WebDriver session adds a second listener that parses every message again to re-emit events
 * on its client (which bidiscope never listens to), and bidiscope's own event dispatch parsed a third time — for
 * every event, and for every command response, `network.getData` bodies of megabytes included.
 *
 * {@link routeMessages} takes those listeners off the socket (the reach-in, by listener name, is
 * `takeSocketListeners` in `webdriverio-internals.ts`) and installs one router that looks at the first bytes
 * of each message: the remote end's messages have fixed top-level shapes (an event has `method` and no `id`; a
 * response has `id` or `error`), so a message starting `{"type":"event"` or `{"method":` is an event (parsed once,
 * by bidiscope) and one starting `{"id":`, `{"type":"success"`, `{"type":"error"` or `{"error":` is a response
 * (handed, decoded once, to the handler, which parses it). Anything else goes both ways, as before. When the
 * handler's listener is not found (a WebdriverIO release that works differently), nothing is changed.
 */
import type { WebSocket } from 'ws';
import { takeSocketListeners } from './webdriverio-internals.js';

/** Where a message goes, judged by its first bytes. */
export type MessageKind = 'event' | 'response' | 'unknown';

const EVENT_PREFIXES = ['{"type":"event"', '{"method":'];
const RESPONSE_PREFIXES = ['{"id":', '{"type":"success"', '{"type":"error"', '{"error":'];
const HEAD_LENGTH = 20;

/** Classifies a raw message by its start (Firefox puts `type` first; chromedriver puts `method` or `id` first). */
export function messageKind(head: string): MessageKind {
  if (EVENT_PREFIXES.some((prefix) => head.startsWith(prefix))) return 'event';
  if (RESPONSE_PREFIXES.some((prefix) => head.startsWith(prefix))) return 'response';
  return 'unknown';
}

function textOf(data: unknown): string {
  if (typeof data === 'string') return data;
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data as Buffer[]).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return String(data);
}

function headOf(data: unknown): string {
  if (Buffer.isBuffer(data)) return data.toString('latin1', 0, HEAD_LENGTH);
  return typeof data === 'string' ? data.slice(0, HEAD_LENGTH) : textOf(data).slice(0, HEAD_LENGTH);
}

/**
 * Routes the socket's messages: events to `onEvent` (as text, to be parsed once), responses to the handler's own
 * listener. Returns false (and changes nothing) when the handler's listener is not recognisable; the caller then
 * listens as an ordinary extra listener.
 */
export function routeMessages(socket: WebSocket, onEvent: (text: string) => void): boolean {
  const handlerListener = takeSocketListeners(socket);
  if (handlerListener === undefined) return false;
  socket.on('message', (data: unknown, isBinary: unknown) => {
    const kind = messageKind(headOf(data));
    const text = textOf(data);
    if (kind !== 'event') handlerListener(text, isBinary);
    if (kind !== 'response') onEvent(text);
  });
  return true;
}
