import { commandErrorParts, sessionBidiHandler } from './webdriverio-internals.js';
import { BidiHandler } from 'webdriver';
import { routeMessages } from './message-routing.js';

/** A BiDi event listener: receives the event's params. */
export type BidiEventListener = (params: unknown) => void;

/** Thrown when a BiDi command fails; `bidiError` is the protocol's error code (e.g. `no such frame`). */
export class BidiCommandError extends Error {
  constructor(
    message: string,
    readonly method: string,
    readonly bidiError?: string,
  ) {
    super(message);
    this.name = 'BidiCommandError';
  }
}

/**
 * The one BiDi session interface the rest of bidiscope sees, for both browsers: commands with a bounded wait each,
 * events by name, and a close signal. Built on WebdriverIO's `BidiHandler` (the `webdriver` package).
 */
export interface BidiConnection {
  send<T = unknown>(method: string, params: object, timeoutMs?: number): Promise<T>;
  on(event: string, listener: BidiEventListener): void;
  off(event: string, listener: BidiEventListener): void;
  /** Called once when the WebSocket closes (browser died, driver gone, or {@link close}). */
  onClose(listener: (reason: string) => void): void;
  readonly closed: boolean;
  close(): void;
}

/** Default bound on one BiDi command. */
export const DEFAULT_COMMAND_TIMEOUT_MS = 30_000;

interface BidiErrorPayload {
  error?: unknown;
  message?: unknown;
}

/** Set once a command failure's text could not be read, so it is said once per process. */
let errorFormatFallbackLogged = false;

/** The handler's rejection as a {@link BidiCommandError}, with the protocol's error code where it gave one. */
function toCommandError(method: string, error: unknown): BidiCommandError {
  const text = error instanceof Error ? error.message : String(error);
  const parts = commandErrorParts(text);
  if (parts) return new BidiCommandError(`${method}: ${parts.code} — ${parts.message}`, method, parts.code);
  if (!errorFormatFallbackLogged && text.startsWith('WebDriver Bidi command')) {
    errorFormatFallbackLogged = true;
    process.stderr.write(
      "bidiscope: a failed BiDi command's error code could not be read from WebdriverIO's error text (a changed release?); errors carry no code. See src/browser/webdriverio-internals.ts.\n",
    );
  }
  return new BidiCommandError(`${method}: ${text}`, method);
}

/**
 * WebSocket options for BiDi connections: no permessage-deflate. The BiDi socket runs over loopback (nothing to
 * save), and inflating every message was the largest CPU cost of a capture on chromedriver (which negotiates it):
 * more than parsing and normalizing the events together.
 */
const BIDI_SOCKET_OPTIONS = { perMessageDeflate: false } as const;

/**
 * Reconnects a handler whose socket negotiated permessage-deflate (chromedriver does, with the socket WebdriverIO
 * opens for a classic session) without it; a no-op otherwise. Throws when the endpoint refuses the new connection.
 */
export async function withoutCompression(handler: BidiHandler, webSocketUrl: string): Promise<void> {
  const extensions = handler.socket?.extensions;
  if (typeof extensions !== 'string' || !extensions.includes('permessage-deflate')) return;
  if (!(await handler.reconnect(webSocketUrl, { ...BIDI_SOCKET_OPTIONS }))) {
    throw new Error(`Could not reconnect to the browser's BiDi endpoint at ${webSocketUrl} without compression`);
  }
}

/** Connects to a BiDi WebSocket URL and returns the session interface. */
export async function connectBidi(webSocketUrl: string, connectTimeoutMs = 10_000): Promise<BidiConnection> {
  // The handler's own response timeout is a backstop; every call races its own, shorter bound below.
  const handler = new BidiHandler(webSocketUrl, { ...BIDI_SOCKET_OPTIONS }, 10 * 60_000, connectTimeoutMs);
  const connected = await handler.connect();
  const socket = handler.socket;
  if (!connected || !socket) throw new Error(`Could not connect to the browser's BiDi endpoint at ${webSocketUrl}`);
  return wrapHandler(handler);
}

/** Set once the fallback (routing not engaged) has been reported, so it is said once per process. */
let routingFallbackLogged = false;

/** Wraps an already connected handler (e.g. the one a classic WebDriver session created). */
function wrapHandler(handler: BidiHandler): BidiConnection {
  const socket = handler.socket;
  if (!socket) throw new Error('BiDi handler is not connected');
  const listeners = new Map<string, Set<BidiEventListener>>();
  const closeListeners: Array<(reason: string) => void> = [];
  let closed = false;
  let closeReason = '';
  const closeWaiters = new Set<(reason: string) => void>();

  const dispatch = (text: string): void => {
    if (listeners.size === 0) return;
    let payload: { type?: unknown; method?: unknown; params?: unknown };
    try {
      payload = JSON.parse(text) as typeof payload;
    } catch {
      return;
    }
    if (payload.type !== 'event' || typeof payload.method !== 'string') return;
    const set = listeners.get(payload.method);
    if (!set) return;
    for (const listener of set) {
      try {
        listener(payload.params);
      } catch (error) {
        process.stderr.write(`bidiscope: listener for ${payload.method} failed: ${String(error)}\n`);
      }
    }
  };
  // One JSON.parse per message where WebdriverIO's listeners are recognised; otherwise an extra listener, as before.
  if (!routeMessages(socket, dispatch)) {
    if (!routingFallbackLogged) {
      routingFallbackLogged = true;
      process.stderr.write(
        "bidiscope: WebdriverIO's BiDi socket listeners were not recognised (a changed release?); every BiDi message is parsed twice more. See src/browser/webdriverio-internals.ts.\n",
      );
    }
    socket.on('message', (data: Buffer | string) => dispatch(data.toString()));
  }
  const markClosed = (reason: string): void => {
    if (closed) return;
    closed = true;
    closeReason = reason;
    for (const waiter of closeWaiters) waiter(reason);
    closeWaiters.clear();
    for (const listener of closeListeners) listener(reason);
  };
  socket.on('close', (code: number) => markClosed(`BiDi connection closed (code ${code})`));
  socket.on('error', (error: Error) => markClosed(`BiDi connection error: ${error.message}`));

  return {
    get closed() {
      return closed;
    },
    async send<T>(method: string, params: object, timeoutMs = DEFAULT_COMMAND_TIMEOUT_MS): Promise<T> {
      if (closed) throw new BidiCommandError(`${method}: ${closeReason}`, method, 'connection closed');
      let timer: NodeJS.Timeout | undefined;
      let onClosed: ((reason: string) => void) | undefined;
      const bounded = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new BidiCommandError(`${method}: no answer from the browser within ${timeoutMs} ms`, method, 'timeout')),
          timeoutMs,
        );
        onClosed = (reason) => reject(new BidiCommandError(`${method}: ${reason}`, method, 'connection closed'));
        closeWaiters.add(onClosed);
      });
      try {
        const sent = handler.send({ method, params } as Parameters<BidiHandler['send']>[0]).catch((error: unknown) => {
          throw toCommandError(method, error);
        });
        sent.catch(() => undefined); // a late failure after our own bound fired must not become unhandled
        const response = (await Promise.race([sent, bounded])) as { result?: unknown } & BidiErrorPayload;
        return response.result as T;
      } finally {
        if (timer) clearTimeout(timer);
        if (onClosed) closeWaiters.delete(onClosed);
      }
    },
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) {
        set = new Set();
        listeners.set(event, set);
      }
      set.add(listener);
    },
    off(event, listener) {
      const set = listeners.get(event);
      set?.delete(listener);
      if (set && set.size === 0) listeners.delete(event);
    },
    onClose(listener) {
      if (closed) listener(closeReason);
      else closeListeners.push(listener);
    },
    close() {
      try {
        handler.close();
      } catch {
        // already closed
      }
      markClosed('closed by bidiscope');
    },
  };
}

/**
 * The BiDi connection of a classic session: WebdriverIO's own handler (reconnected without permessage-deflate when
 * the session gave its URL), else a new connection to `webSocketUrl`; `missing()` is thrown when there is neither.
 */
export async function classicSessionBidi(client: { capabilities: unknown }, missing: () => Error): Promise<BidiConnection> {
  const handler = sessionBidiHandler(client);
  const webSocketUrl = (client.capabilities as { webSocketUrl?: unknown }).webSocketUrl;
  if (handler?.isConnected && typeof webSocketUrl === 'string') {
    await withoutCompression(handler, webSocketUrl);
    return wrapHandler(handler);
  }
  if (handler?.isConnected) return wrapHandler(handler);
  if (typeof webSocketUrl === 'string') return connectBidi(webSocketUrl);
  throw missing();
}
