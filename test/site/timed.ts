/**
 * `/timed?ttfb=MS&body=MS&id=ID`: a response whose time to first byte and body duration the test controls, with
 * server-side hooks ({@link TimedLog}) that say when the server received the request, sent the headers (with the
 * first body chunk) and sent the last byte. Served by both origins of the test web (HTTP/1.1 and HTTPS + HTTP/2).
 *
 * Times are epoch ms with sub-millisecond precision (`performance.timeOrigin + performance.now()`), the same clock the
 * browsers' BiDi timings use on this machine.
 */

/** Longest `ttfb` / `body` the route honours. */
export const TIMED_MAX_MS = 30_000;
/** Size of each of the two body chunks (first with the headers, second at the end). */
export const TIMED_CHUNK_BYTES = 1024;

/** What the server saw and did for one `/timed` request. */
export interface TimedRecord {
  id: string;
  /** `1.1` or `2.0`, as the server saw the request. */
  httpVersion: string;
  ttfbMs: number;
  bodyMs: number;
  receivedAt: number;
  /** Headers and the first body chunk were handed to the socket. */
  headersAt?: number;
  /** The last byte was handed to the socket. */
  lastByteAt?: number;
  /** The connection this request came on: when it was accepted, TLS finished, and how many requests it carried. */
  connection?: ConnectionRecord;
  /** 1 for the first request on its connection. */
  requestOnConnection?: number;
}

/** One TCP connection as the server saw it. */
export interface ConnectionRecord {
  id: number;
  acceptedAt: number;
  /** TLS handshake done (HTTPS only). */
  secureAt?: number;
  requests: number;
}

/** Hooks of the `/timed` route: every request the test web served there, by `id`. */
export class TimedLog {
  readonly #records = new Map<string, TimedRecord>();

  /** The record of request `id` (undefined until the server received it). */
  get(id: string): TimedRecord | undefined {
    return this.#records.get(id);
  }

  /** The record of request `id` once its last byte was sent. */
  finished(id: string): TimedRecord | undefined {
    const record = this.#records.get(id);
    return record?.lastByteAt === undefined ? undefined : record;
  }

  /** Every record, in arrival order. */
  all(): TimedRecord[] {
    return [...this.#records.values()];
  }

  /** @internal */
  add(record: TimedRecord): void {
    this.#records.set(record.id, record);
  }
}

/** Epoch ms, sub-millisecond. */
export function preciseNow(): number {
  return performance.timeOrigin + performance.now();
}

/** The parts of a Node request (HTTP/1.1 or the HTTP/2 compatibility API) the route reads. */
export interface TimedRequest {
  url?: string;
  httpVersion: string;
}

/** The parts of a Node response (HTTP/1.1 or the HTTP/2 compatibility API) the route uses. */
export interface TimedResponse {
  writeHead(status: number, headers: Record<string, string>): unknown;
  write(chunk: Uint8Array): boolean;
  end(chunk: Uint8Array): unknown;
  on(event: 'close', listener: () => void): unknown;
}

function delayParam(url: URL, name: string): number {
  const raw = Number(url.searchParams.get(name) ?? '0');
  return Number.isFinite(raw) ? Math.min(Math.max(0, Math.floor(raw)), TIMED_MAX_MS) : 0;
}

const CHUNK = new Uint8Array(TIMED_CHUNK_BYTES).fill(0x61);
let anonymous = 0;

/**
 * Serves `/timed`: waits `ttfb` ms, sends the headers with the first 1 KiB, waits `body` ms, sends the last 1 KiB.
 * `connection` is the record of the socket the request came on, when the server tracks it.
 */
export function serveTimed(req: TimedRequest, res: TimedResponse, log: TimedLog, connection: ConnectionRecord | undefined): void {
  const receivedAt = preciseNow();
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const record: TimedRecord = {
    id: url.searchParams.get('id') ?? `anon-${++anonymous}`,
    httpVersion: req.httpVersion,
    ttfbMs: delayParam(url, 'ttfb'),
    bodyMs: delayParam(url, 'body'),
    receivedAt,
  };
  if (connection !== undefined) {
    connection.requests += 1;
    record.connection = connection;
    record.requestOnConnection = connection.requests;
  }
  log.add(record);
  const timers: NodeJS.Timeout[] = [];
  res.on('close', () => {
    for (const timer of timers) clearTimeout(timer);
  });
  const headers = {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': String(2 * TIMED_CHUNK_BYTES),
    'cache-control': 'no-store',
    'access-control-allow-origin': '*',
    'timing-allow-origin': '*',
  };
  timers.push(
    setTimeout(() => {
      res.writeHead(200, headers);
      if (record.bodyMs === 0) {
        res.end(Buffer.concat([CHUNK, CHUNK]));
        record.headersAt = preciseNow();
        record.lastByteAt = record.headersAt;
        return;
      }
      res.write(CHUNK);
      record.headersAt = preciseNow();
      timers.push(
        setTimeout(() => {
          res.end(CHUNK);
          record.lastByteAt = preciseNow();
        }, record.bodyMs),
      );
    }, record.ttfbMs),
  );
}
