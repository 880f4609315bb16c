import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { WebSocketServer } from 'ws';
import type { RawData, WebSocket } from 'ws';
import { handleRequest, type ReceivedRequest } from './routes.js';
import { serveWeb } from './web-routes.js';
import { TimedLog, preciseNow, serveTimed, type ConnectionRecord } from './timed.js';

export { LARGE_SIZE, NEVER_READ_SENT, PNG_SIZE, gzipBodyText, jsonBodyText, largeBody, pngBytes } from './bodies.js';
export { SITE_DONE_TITLE, SITE_STEPS, SITE_TITLE } from './pages.js';
export type { SiteStepResult } from './pages.js';
export { SITE_SECRETS, TYPED_API_SECRETS, TYPED_API_TYPES } from './secrets.js';
export type { SiteSecrets } from './secrets.js';
export { SLOW_MAX_MS } from './routes.js';
export { TimedLog } from './timed.js';
export type { ConnectionRecord, TimedRecord } from './timed.js';
export type { ReceivedRequest } from './routes.js';

/** A running test site on 127.0.0.1. */
export interface TestSite {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  origin: string;
  port: number;
  /** A loopback port that was free (and closed) when the site started; the page's `dead` step fetches it. */
  closedPort: number;
  /** Server-side hooks of `/timed` requests (shared with the other origins when started by `startTestWeb`). */
  timed: TimedLog;
  /** Every request the site received so far (a live array, oldest first). */
  received: ReceivedRequest[];
  /** Destroys every open socket (HTTP, SSE, WebSocket) and stops listening; resolves within about 2 s. */
  close(): Promise<void>;
}

const HOST = '127.0.0.1';
const CLOSE_BOUND_MS = 2_000;
// Ports Chromium and Firefox refuse to connect to (a "closed" port there would give ERR_UNSAFE_PORT instead).
const BROWSER_BLOCKED_PORTS = new Set([6000, 6566, 6665, 6666, 6667, 6668, 6669, 6697, 10080]);

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () => {
      server.off('error', reject);
      const address = server.address();
      if (typeof address === 'object' && address) resolve(address.port);
      else reject(new Error('test site: no listening address'));
    });
  });
}

async function findClosedPort(): Promise<number> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const probe = createServer();
    const port = await listen(probe, 0);
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    if (!BROWSER_BLOCKED_PORTS.has(port)) return port;
  }
  throw new Error('test site: could not find a closed port');
}

function echo(ws: WebSocket): void {
  ws.on('error', () => undefined);
  ws.on('message', (data: RawData, isBinary: boolean) => {
    const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(new Uint8Array(data));
    if (isBinary) ws.send(bytes, { binary: true });
    else ws.send(`echo:${bytes.toString('utf8')}`);
  });
}

/**
 * Starts the test site on 127.0.0.1 (port 0 = random unless `options.port` is given). `options.timed` is the log
 * `/timed` requests go to (a new one by default).
 */
export async function startTestSite(options: { port?: number; timed?: TimedLog } = {}): Promise<TestSite> {
  const sockets = new Set<Socket>();
  const connections = new WeakMap<Socket, ConnectionRecord>();
  let connectionCount = 0;
  const timed = options.timed ?? new TimedLog();
  const ctx: { closedPort: number; port: number; received: ReceivedRequest[] } = { closedPort: 0, port: 0, received: [] };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/timed') {
      serveTimed(req, res, timed, connections.get(req.socket));
      return;
    }
    if (url.pathname === '/web' || url.pathname.startsWith('/web/')) {
      res.on('error', () => undefined);
      serveWeb(req, res, url, req.headers.host ?? `${HOST}:${String(ctx.port)}`);
      return;
    }
    handleRequest(req, res, ctx);
  });
  const wss = new WebSocketServer({ noServer: true });

  server.on('connection', (socket: Socket) => {
    connections.set(socket, { id: ++connectionCount, acceptedAt: preciseNow(), requests: 0 });
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('clientError', (_err, socket) => socket.destroy());
  server.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (path !== '/ws') {
      socket.end('HTTP/1.1 404 Not Found\r\ncache-control: no-store\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, echo);
  });

  const port = await listen(server, options.port ?? 0);
  ctx.port = port;
  try {
    // Probed after the site holds its own port, so the two can never coincide.
    ctx.closedPort = await findClosedPort();
  } catch (err) {
    server.close();
    throw err;
  }

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      const bound = setTimeout(resolve, CLOSE_BOUND_MS);
      bound.unref();
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.close(() => {
        clearTimeout(bound);
        resolve();
      });
      for (const socket of sockets) socket.destroy();
    });
    return closing;
  };

  return { origin: `http://${HOST}:${port}`, port, closedPort: ctx.closedPort, timed, received: ctx.received, close };
}
