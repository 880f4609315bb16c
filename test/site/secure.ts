/**
 * The test web's HTTPS + HTTP/2 origin on 127.0.0.1, with a self-signed certificate made at start with the OS's
 * `openssl` (nothing downloaded; browsers open it with `acceptInsecureCerts: true`). HTTP/2 only (no HTTP/1.1
 * fallback), so every request a browser makes here is an h2 stream.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createSecureServer } from 'node:http2';
import type { Http2ServerRequest, Http2ServerResponse, Http2Session } from 'node:http2';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveWeb } from './web-routes.js';
import { preciseNow, serveTimed, type ConnectionRecord, type TimedLog } from './timed.js';

/** A running HTTPS + HTTP/2 origin. */
export interface SecureOrigin {
  /** `https://127.0.0.1:<port>`, no trailing slash. */
  origin: string;
  port: number;
  /** Ends every session and stops listening; resolves within about 2 s. */
  close(): Promise<void>;
}

const HOST = '127.0.0.1';
const CLOSE_BOUND_MS = 2_000;

/** A fresh self-signed certificate for 127.0.0.1 and localhost (P-256, valid 2 days), made by `openssl`. */
export function makeSelfSignedCertificate(): { key: Buffer; cert: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), 'bidiscope-test-cert-'));
  try {
    const keyPath = join(dir, 'key.pem');
    const certPath = join(dir, 'cert.pem');
    try {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:prime256v1',
          '-nodes',
          '-days',
          '2',
          '-subj',
          '/CN=127.0.0.1',
          '-addext',
          'subjectAltName=IP:127.0.0.1,DNS:localhost',
          '-keyout',
          keyPath,
          '-out',
          certPath,
        ],
        { stdio: 'pipe', timeout: 20_000 },
      );
    } catch (error) {
      throw new Error(`test web: the HTTPS origin needs the openssl command to make its certificate: ${String(error)}`);
    }
    return { key: readFileSync(keyPath), cert: readFileSync(certPath) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const BLANK_PAGE = '<!doctype html><html><head><meta charset="utf-8"><title>blank</title></head><body>blank</body></html>';

function sendText(res: Http2ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'content-length': String(Buffer.byteLength(body)) });
  res.end(body);
}

/** Starts the HTTPS + HTTP/2 origin: `/blank` (an empty page to run fetches from), `/timed`, `/favicon.ico` (204). */
export async function startSecureOrigin(timed: TimedLog): Promise<SecureOrigin> {
  const { key, cert } = makeSelfSignedCertificate();
  const sessions = new Set<Http2Session>();
  // Keyed by the client's port: the raw TCP socket ('connection') and the TLS socket ('secureConnection') differ.
  const connections = new Map<number, ConnectionRecord>();
  let connectionCount = 0;
  const server = createSecureServer({ key, cert, allowHTTP1: false });
  server.on('connection', (socket: Socket) => {
    const port = socket.remotePort ?? -1;
    connections.set(port, { id: ++connectionCount, acceptedAt: preciseNow(), requests: 0 });
    socket.once('close', () => connections.delete(port));
  });
  server.on('secureConnection', (socket: Socket) => {
    const record = connections.get(socket.remotePort ?? -1);
    if (record !== undefined) record.secureAt = preciseNow();
  });
  server.on('session', (session: Http2Session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
    session.on('error', () => undefined);
  });
  server.on('request', (req: Http2ServerRequest, res: Http2ServerResponse) => {
    res.on('error', () => undefined);
    const url = new URL(req.url, 'https://127.0.0.1');
    const path = url.pathname;
    if (path === '/web' || path.startsWith('/web/')) serveWeb(req, res, url, req.headers[':authority'] ?? req.headers.host ?? '127.0.0.1');
    else if (path === '/timed') serveTimed(req, res, timed, connections.get(req.stream.session?.socket.remotePort ?? -1));
    else if (path === '/blank') sendText(res, 200, 'text/html; charset=utf-8', BLANK_PAGE);
    else if (path === '/favicon.ico') res.writeHead(204).end();
    else sendText(res, 404, 'application/json', JSON.stringify({ error: 'not found', path }));
  });

  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, HOST, () => {
      server.off('error', reject);
      const address = server.address();
      if (typeof address === 'object' && address) resolve(address.port);
      else reject(new Error('test web: no listening address'));
    });
  });

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      const bound = setTimeout(resolve, CLOSE_BOUND_MS);
      bound.unref();
      server.close(() => {
        clearTimeout(bound);
        resolve();
      });
      for (const session of sessions) session.destroy();
    });
    return closing;
  };
  return { origin: `https://${HOST}:${port}`, port, close };
}
