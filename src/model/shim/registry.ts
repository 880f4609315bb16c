/**
 * The shim sockets (WebSockets and EventSources the page shim reported) a {@link NetworkLog} is tracking, with the
 * matching rules that pair them with network entries. Bounded: sockets still waiting for an entry are forgotten
 * oldest-first beyond {@link MAX_UNLINKED_SOCKETS}; finished sockets are removed by the log.
 */
import type { ShimSocket } from './streams.js';
import { webSocketHandshakeUrl } from './streams.js';
import { BoundedKeySet } from '../../lib/bounded-key-set.js';

/** Shim sockets still waiting for their network entry; the oldest are forgotten beyond this. */
const MAX_UNLINKED_SOCKETS = 256;

/** True when two browsing-context ids can be the same context (an unknown one matches anything). */
export function sameContext(a: string | undefined, b: string | undefined): boolean {
  return a === undefined || b === undefined || a === b;
}

/** The URL a socket's network entry has: the http(s) handshake URL for WebSockets, the stream URL for EventSources. */
export function expectedEntryUrl(socket: ShimSocket): string {
  return socket.kind === 'ws' ? webSocketHandshakeUrl(socket.url) : socket.url;
}

/** Shim sockets by key, plus the keys of sockets whose entry the `accept` filter rejected. */
export class ShimSocketRegistry {
  #sockets = new Map<string, ShimSocket>();
  readonly #filtered = new BoundedKeySet();

  /** The tracked socket with this key. */
  get(key: string): ShimSocket | undefined {
    return this.#sockets.get(key);
  }

  /** Starts tracking a socket (replacing one with the same key), forgetting the oldest unlinked ones beyond the cap. */
  add(socket: ShimSocket): void {
    this.#sockets.delete(socket.key);
    this.#sockets.set(socket.key, socket);
    let unlinked = 0;
    for (const tracked of this.#sockets.values()) if (tracked.entryId === undefined) unlinked++;
    for (const tracked of this.#sockets.values()) {
      if (unlinked <= MAX_UNLINKED_SOCKETS) break;
      if (tracked.entryId !== undefined || tracked === socket) continue;
      this.#sockets.delete(tracked.key);
      unlinked--;
    }
  }

  /** Stops tracking a socket. */
  delete(key: string): void {
    this.#sockets.delete(key);
  }

  /** Stops tracking a socket and remembers that its messages are filtered out. */
  markFiltered(key: string): void {
    this.#sockets.delete(key);
    this.#filtered.add(key);
  }

  /** True when messages for this key belong to a filtered socket. */
  isFiltered(key: string): boolean {
    return this.#filtered.has(key);
  }

  /** The oldest unlinked socket of this kind whose entry would have this context and URL. */
  findWaiting(kind: 'ws' | 'sse', context: string | undefined, entryUrl: string): ShimSocket | undefined {
    for (const socket of this.#sockets.values()) {
      if (socket.kind !== kind || socket.entryId !== undefined || !sameContext(socket.context, context)) continue;
      if (expectedEntryUrl(socket) === entryUrl || socket.url === entryUrl) return socket;
    }
    return undefined;
  }

  /** The oldest WebSocket with a synthetic entry that has not absorbed its BiDi handshake yet. */
  findSyntheticAwaitingHandshake(context: string | undefined, handshakeUrl: string): ShimSocket | undefined {
    for (const socket of this.#sockets.values()) {
      if (socket.kind !== 'ws' || !socket.synthetic || socket.handshakeMerged || socket.entryId === undefined) continue;
      if (sameContext(socket.context, context) && webSocketHandshakeUrl(socket.url) === handshakeUrl) return socket;
    }
    return undefined;
  }

  /** Forgets every socket and filtered key. */
  clear(): void {
    this.#sockets = new Map();
    this.#filtered.clear();
  }
}
