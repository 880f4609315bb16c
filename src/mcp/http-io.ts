import type { IncomingMessage, ServerResponse } from 'node:http';

/** A request body read under a size bound. */
export type BodyRead = { ok: true; text: string } | { ok: false; tooLarge: true };

/** How much of a refused body is read and thrown away (so the client can read the 413) before the socket is cut. */
const DRAIN_LIMIT_BYTES = 64 * 1024 * 1024;

function discardRest(req: IncomingMessage, alreadyRead: number): void {
  let drained = alreadyRead;
  req.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > DRAIN_LIMIT_BYTES) req.socket.destroy();
  });
  req.resume();
}

/**
 * Reads the whole body, refusing (without buffering further) once it passes `limit` bytes, whether the client declared
 * the length or not. A refused body is drained and dropped, up to a bound.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<BodyRead> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    discardRest(req, 0);
    return Promise.resolve({ ok: false, tooLarge: true });
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const onData = (chunk: Buffer): void => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        req.off('data', onData);
        discardRest(req, size);
        resolve({ ok: false, tooLarge: true });
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => {
      if (done) return;
      done = true;
      resolve({ ok: true, text: Buffer.concat(chunks).toString('utf8') });
    });
    req.once('error', (error) => {
      if (done) return;
      done = true;
      reject(error);
    });
  });
}

/**
 * Answers with a JSON-RPC error body (`id: null`) and the given status; extra headers such as `WWW-Authenticate`
 * or `Allow` are added. `closeConnection` asks Node to close the connection after the reply (for bodies we refused).
 */
export function sendJsonError(
  res: ServerResponse,
  status: number,
  code: number,
  message: string,
  headers: Record<string, string> = {},
  closeConnection = false,
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null });
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': String(Buffer.byteLength(body)),
    ...(closeConnection ? { Connection: 'close' } : {}),
    ...headers,
  });
  res.end(body);
}

/** The first value of a request header (Node joins repeated headers; arrays only for set-cookie). */
export function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
