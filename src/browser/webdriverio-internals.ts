/**
 * Every place bidiscope depends on WebdriverIO's internals, in one file, with why: no other file reads a private
 * field, finds a listener by name or parses WebdriverIO's text. WebdriverIO 9 has no public API for any of these;
 * `test/unit/browser/webdriverio-internals.test.ts` runs each against the installed `webdriver` package (a real
 * classic session and BiDi connection on loopback) and fails when a release changes them.
 *
 * - A classic session made by `WebDriver.newSession` keeps its `BidiHandler` in the private field `_bidiHandler`.
 *   Reusing it (instead of opening a second connection) keeps one BiDi connection per session.
 * - The handler and the client each listen to the socket's `message` event with a bound method, so every message is
 *   parsed twice more; {@link takeSocketListeners} finds them by these names and takes them off the socket, so that
 *   `message-routing.ts` parses each message once (measured: the largest per-event cost on Chromium). When the names
 *   are not found, nothing changes and bidiscope says so once.
 * - A failed command rejects with an `Error` whose text carries the protocol's error code and message
 *   (`WebDriver Bidi command "m" failed with error: <code> - <message>`), not the response itself;
 *   {@link commandErrorParts} reads them back (callers tell e.g. `no such frame` apart from other failures).
 * - A new-session request that runs out of time rejects with text only (`Request timed out! …`, or undici's
 *   `…HEADERS_TIMEOUT`); {@link isRequestTimeout} recognises it, so the caller can say what the endpoint was doing
 *   (the caller also counts the elapsed time, so a changed text costs only the better message).
 */
import type { BidiHandler } from 'webdriver';
import type { WebSocket } from 'ws';

/** The names WebdriverIO 9's socket listeners have: the handler's response matcher, the client's event re-emitter. */
export const HANDLER_LISTENER_NAME = 'bound #handleResponse';
export const CLIENT_REEMITTER_NAME = 'bound parseBidiMessage';

/** The classic session's own BiDi handler, when WebdriverIO made one. */
export function sessionBidiHandler(client: object): BidiHandler | undefined {
  return (client as { _bidiHandler?: BidiHandler })._bidiHandler;
}

/** A `message` listener of the socket. */
export type MessageListener = (data: unknown, isBinary?: unknown) => void;

/**
 * Takes WebdriverIO's `message` listeners off the socket: the handler's response matcher (returned, for the caller to
 * hand responses to) and the client's event re-emitter (dropped: bidiscope never listens to the client's events).
 * Returns undefined, changing nothing, when the handler's listener is not recognised.
 */
export function takeSocketListeners(socket: WebSocket): MessageListener | undefined {
  if (typeof socket.listeners !== 'function' || typeof socket.removeListener !== 'function') return undefined;
  const existing = socket.listeners('message') as MessageListener[];
  const handlerListener = existing.find((listener) => listener.name === HANDLER_LISTENER_NAME);
  if (handlerListener === undefined) return undefined;
  socket.removeListener('message', handlerListener);
  for (const listener of existing) if (listener.name === CLIENT_REEMITTER_NAME) socket.removeListener('message', listener);
  return handlerListener;
}

/** The protocol's error code and message of a failed command, as WebdriverIO's `BidiHandler.send` rejects. */
export interface CommandErrorParts {
  code: string;
  message: string;
}

/** The code and message in the text of the handler's rejection; undefined when the text is not a command failure. */
export function commandErrorParts(text: string): CommandErrorParts | undefined {
  const match = /failed with error: ([^-]+?) - ([\s\S]*)$/.exec(text);
  return match?.[1] !== undefined && match[2] !== undefined ? { code: match[1], message: match[2] } : undefined;
}

/** True when the text of `WebDriver.newSession`'s rejection says the request ran out of time. */
export function isRequestTimeout(text: string): boolean {
  return /timed out|HEADERS_TIMEOUT/i.test(text);
}
