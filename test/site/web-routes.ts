/**
 * `/web/*`: the routes of the "web" page (see web-page.ts), served the same by the HTTP/1.1 and the HTTP/2 origin.
 * The page is loaded from `127.0.0.1`; its second origin is the same port on `localhost`.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { brotliCompressSync } from 'node:zlib';
import { patternBytes, pngBytes } from './bodies.js';
import { WEB_SECRETS, webFramePage, webPage, webWorkerScript } from './web-page.js';

/** The request side both `http` and `http2` compat requests offer. */
export interface WebRequest extends AsyncIterable<Buffer> {
  method?: string;
  url?: string;
  headers: IncomingHttpHeaders;
}

/** The response side both `http` and `http2` compat responses offer. */
export interface WebResponse {
  writeHead(status: number, headers?: Record<string, string | string[]>): unknown;
  write(chunk: string | Uint8Array): unknown;
  end(chunk?: string | Uint8Array): unknown;
  on(event: 'close', listener: () => void): unknown;
}

/** Size of `/web/unread`, a body the page never reads. */
export const UNREAD_SIZE = 256 * 1024;
const UNREAD = patternBytes(UNREAD_SIZE);
const BR = brotliCompressSync(
  Buffer.from(JSON.stringify({ kind: 'br', words: Array.from({ length: 200 }, (_, i) => `word-${i % 7}`) }), 'utf8'),
);
const PROTO = patternBytes(300);
const PNG = pngBytes();
// Not a real font: browsers fetch it for @font-face all the same, then reject its bytes.
const FONT = patternBytes(512);
const ABORT_HOLD_MS = 5_000;
const POLL_HOLD_MS = 200;
const MAX_BODY = 1024 * 1024;

async function readBody(req: WebRequest): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size <= MAX_BODY) chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function send(
  res: WebResponse,
  status: number,
  type: string,
  body: string | Uint8Array,
  headers: Record<string, string | string[]> = {},
): void {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  res.writeHead(status, { 'cache-control': 'no-store', 'content-type': type, 'content-length': String(bytes.length), ...headers });
  res.end(bytes);
}

function corsHeaders(req: WebRequest): Record<string, string> {
  return { 'access-control-allow-origin': String(req.headers.origin ?? '*'), vary: 'origin' };
}

/** The other origin of `host` (`127.0.0.1:P` ⇄ `localhost:P`). */
function otherHost(host: string): string {
  return host.startsWith('localhost') ? host.replace('localhost', '127.0.0.1') : host.replace('127.0.0.1', 'localhost');
}

function sseNamed(req: WebRequest, res: WebResponse): void {
  // First connection: `retry: 200`, two named events, then the stream ends (the browser reconnects after 200 ms with
  // Last-Event-ID: 2); the second connection sends the named `done` event and stays open until the page closes it.
  const again = req.headers['last-event-id'] === '2';
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store' });
  if (again) {
    res.write('id: 3\nevent: done\ndata: sse-done\n\n');
    return;
  }
  res.write('retry: 200\n\nid: 1\nevent: tick\ndata: sse-tick-1\n\nid: 2\nevent: tock\ndata: sse-tock-2\n\n');
  res.end();
}

function held(res: WebResponse, ms: number, then: () => void): void {
  const timer = setTimeout(then, ms);
  res.on('close', () => clearTimeout(timer));
}

/** Serves one `/web…` request; `host` is the Host (or :authority) it was addressed to. */
export function serveWeb(req: WebRequest, res: WebResponse, url: URL, host: string): void {
  const scheme = url.protocol === 'https:' ? 'https' : 'http';
  const other = `${scheme}://${otherHost(host)}`;
  const path = url.pathname;
  switch (path) {
    case '/web':
      send(res, 200, 'text/html; charset=utf-8', webPage(other), { 'content-security-policy': "img-src 'self' data: blob:" });
      return;
    case '/web/frame':
      send(res, 200, 'text/html; charset=utf-8', webFramePage());
      return;
    case '/web/worker.js':
      send(res, 200, 'text/javascript; charset=utf-8', webWorkerScript());
      return;
    case '/web/cors':
      if (req.method === 'OPTIONS') {
        send(res, 204, 'text/plain', '', {
          ...corsHeaders(req),
          'access-control-allow-methods': 'PUT',
          'access-control-allow-headers': 'x-test, content-type',
          'access-control-max-age': '0',
        });
      } else {
        void readBody(req).then(() =>
          send(res, 200, 'application/json', JSON.stringify({ cors: 'ok', method: req.method }), corsHeaders(req)),
        );
      }
      return;
    case '/web/cors-deny':
      send(res, 200, 'application/json', JSON.stringify({ cors: 'no allow-origin header' }));
      return;
    case '/web/hop':
      send(res, 302, 'text/plain', 'to the other origin\n', { location: `${other}/web/landing` });
      return;
    case '/web/landing':
      send(res, 200, 'application/json', JSON.stringify({ landed: host }), { 'access-control-allow-origin': '*' });
      return;
    case '/web/etag':
      if (req.headers['if-none-match'] === '"web-v1"') {
        res.writeHead(304, { etag: '"web-v1"', 'cache-control': 'no-cache' });
        res.end();
      } else send(res, 200, 'application/json', JSON.stringify({ version: 1 }), { etag: '"web-v1"', 'cache-control': 'no-cache' });
      return;
    case '/web/cached':
      send(res, 200, 'application/json', JSON.stringify({ cached: true, at: url.searchParams.get('run') }), {
        'cache-control': 'max-age=3600',
      });
      return;
    case '/web/cookies':
      send(res, 200, 'application/json', '{"set":3}', {
        'set-cookie': [
          `web_lax=${WEB_SECRETS.laxCookie}; Path=/; SameSite=Lax`,
          `web_strict=${WEB_SECRETS.strictCookie}; Path=/; SameSite=Strict`,
          `web_none=${WEB_SECRETS.noneCookie}; Path=/; SameSite=None; Secure`,
        ],
      });
      return;
    case '/web/cookie-echo': {
      const names = String(req.headers.cookie ?? '')
        .split(';')
        .map((part) => part.trim().split('=')[0])
        .filter((name) => name?.startsWith('web_'));
      send(res, 200, 'application/json', JSON.stringify({ names: names.sort() }), corsHeaders(req));
      return;
    }
    case '/web/br':
      send(res, 200, 'application/json', BR, { 'content-encoding': 'br', vary: 'accept-encoding' });
      return;
    case '/web/unread':
      send(res, 200, 'application/octet-stream', UNREAD);
      return;
    case '/web/abort':
      held(res, ABORT_HOLD_MS, () => send(res, 200, 'text/plain', 'too late\n'));
      return;
    case '/web/download':
      send(res, 200, 'text/csv; charset=utf-8', 'a,b\n1,2\n', { 'content-disposition': 'attachment; filename="report.csv"' });
      return;
    case '/web/sink':
    case '/web/graphql':
    case '/web/grpc':
      void readBody(req).then((body) => {
        if (path === '/web/sink') send(res, 204, 'text/plain', '');
        else if (path === '/web/graphql')
          send(res, 200, 'application/graphql-response+json', JSON.stringify({ data: { viewer: { token: WEB_SECRETS.graphqlToken } } }));
        else
          send(
            res,
            200,
            'application/grpc-web+proto',
            Buffer.concat([Buffer.from([0, 0, 0, 1, 44]), PROTO, Buffer.from([body.length & 0xff])]),
          );
      });
      return;
    case '/web/font.woff2':
      send(res, 200, 'font/woff2', FONT, { 'access-control-allow-origin': '*' });
      return;
    case '/web/img.png':
      send(res, 200, 'image/png', PNG);
      return;
    case '/web/preload.js':
      send(res, 200, 'text/javascript', 'window.__webPreloaded = true;\n');
      return;
    case '/web/prefetch.txt':
      send(res, 200, 'text/plain', 'prefetched\n', { 'cache-control': 'max-age=60' });
      return;
    case '/web/sse':
      sseNamed(req, res);
      return;
    case '/web/poll':
      held(res, POLL_HOLD_MS, () => send(res, 200, 'application/json', JSON.stringify({ n: Number(url.searchParams.get('n')) })));
      return;
    case '/web/data':
      send(res, 200, 'application/json', JSON.stringify({ from: url.searchParams.get('from') }), corsHeaders(req));
      return;
    default:
      send(res, 404, 'application/json', JSON.stringify({ error: 'not found', path }));
  }
}
