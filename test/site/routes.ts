import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { NEVER_READ_SENT, gzipBodyText, jsonBodyText, largeBody, patternBytes, pngBytes } from './bodies.js';
import { blankPage, indexPage, manyPage } from './pages.js';
import { SITE_SECRETS, TYPED_API_SECRETS, TYPED_API_TYPES } from './secrets.js';

/** What a route needs to know about the running site. */
export interface RouteContext {
  closedPort: number;
  /** Every request the site received, oldest first (bounded: the oldest are dropped past 20,000). */
  received: ReceivedRequest[];
}

/** One request as the site received it. */
export interface ReceivedRequest {
  method: string;
  /** Path with query. */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** The request body as text (first 4 KB), once it has been read; '' for none. */
  body?: string;
}

const MAX_RECEIVED = 20_000;

type Route = (req: IncomingMessage, res: ServerResponse, url: URL, ctx: RouteContext) => void;

/** Longest delay `/slow` honours. */
export const SLOW_MAX_MS = 30_000;
const SSE_EVENTS = 3;
const SSE_INTERVAL_MS = 50;
const MAX_REQUEST_BODY = 1024 * 1024;

// Built once: every response of a route is byte-identical.
const LARGE = largeBody();
const PNG = pngBytes();
const GZIP = gzipSync(Buffer.from(gzipBodyText(), 'utf8'));
const NEVER_READ_CHUNK = patternBytes(NEVER_READ_SENT);

function send(res: ServerResponse, status: number, type: string, body: string | Uint8Array, headers: Record<string, string> = {}): void {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  res.setHeader('content-type', type);
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.setHeader('content-length', String(bytes.length));
  res.writeHead(status);
  res.end(bytes);
}

function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  send(res, status, 'application/json', JSON.stringify(value), headers);
}

function redirect(res: ServerResponse, location: string): void {
  send(res, 302, 'text/plain; charset=utf-8', `redirecting to ${location}\n`, { location });
}

function hasSessionCookie(req: IncomingMessage): boolean {
  const cookie = req.headers.cookie ?? '';
  return cookie.split(';').some((part) => part.trim() === `sid=${SITE_SECRETS.sessionCookie}`);
}

function login(req: IncomingMessage, res: ServerResponse): void {
  if (req.method !== 'POST') {
    sendJson(res, 405, { error: 'use POST' }, { allow: 'POST' });
    return;
  }
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_REQUEST_BODY) req.destroy();
  });
  req.on('end', () => {
    sendJson(
      res,
      200,
      { ok: true, token: SITE_SECRETS.bearerToken },
      { 'set-cookie': `sid=${SITE_SECRETS.sessionCookie}; Path=/; HttpOnly` },
    );
  });
}

function sse(req: IncomingMessage, res: ServerResponse): void {
  const lastId = Number(req.headers['last-event-id'] ?? '0');
  let next = Number.isInteger(lastId) && lastId >= 0 ? lastId + 1 : 1;
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
  res.flushHeaders();
  let timer: NodeJS.Timeout | undefined;
  const emit = (): void => {
    if (next > SSE_EVENTS) return; // stay open: ending the stream would make EventSource reconnect
    res.write(`id: ${next}\ndata: sse-event-${next}\n\n`);
    next += 1;
    if (next <= SSE_EVENTS) timer = setTimeout(emit, SSE_INTERVAL_MS);
  };
  res.on('close', () => clearTimeout(timer));
  emit();
}

function slow(res: ServerResponse, url: URL): void {
  const asked = Number(url.searchParams.get('ms') ?? '1000');
  const ms = Number.isFinite(asked) ? Math.min(Math.max(0, Math.floor(asked)), SLOW_MAX_MS) : 0;
  const timer = setTimeout(() => send(res, 200, 'text/plain; charset=utf-8', `slept ${ms} ms\n`), ms);
  res.on('close', () => clearTimeout(timer));
}

function neverRead(res: ServerResponse): void {
  // Chunked, no content-length, never ended: the body only stops when the connection is destroyed.
  res.writeHead(200, { 'content-type': 'application/octet-stream' });
  res.write(NEVER_READ_CHUNK);
}

/**
 * An AWS-style JSON API: answers any method with a Cognito-like token document (over 500 characters, so details cut
 * it and offer confirm_output) under the content type asked for in `?type=` (one of {@link TYPED_API_TYPES});
 * `application/x-ndjson` gets two lines.
 */
function typedApi(req: IncomingMessage, res: ServerResponse, url: URL): void {
  const asked = url.searchParams.get('type') ?? '';
  const type = (TYPED_API_TYPES as readonly string[]).includes(asked) ? asked : 'application/json';
  req.resume();
  req.on('end', () => {
    const document = JSON.stringify({
      AuthenticationResult: {
        AccessToken: TYPED_API_SECRETS.accessToken,
        RefreshToken: TYPED_API_SECRETS.refreshToken,
        IdToken: TYPED_API_SECRETS.idToken,
        ExpiresIn: 3600,
        TokenType: 'Bearer',
      },
      ChallengeParameters: {},
      Padding: 'p'.repeat(600),
    });
    send(res, 200, type, type === 'application/x-ndjson' ? `${document}\n{"done":true}\n` : document);
  });
}

/** Echoes what arrived: method, path with query, a few headers and the body (as text and base64), as JSON. */
function echoRequest(req: IncomingMessage, res: ServerResponse, url: URL): void {
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_REQUEST_BODY) req.destroy();
    else chunks.push(chunk);
  });
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    sendJson(res, 200, {
      method: req.method,
      path: url.pathname + url.search,
      contentType: req.headers['content-type'] ?? null,
      xTest: req.headers['x-test'] ?? null,
      bodyText: body.toString('utf8'),
      bodyBase64: body.toString('base64'),
    });
  });
}

function tiny(res: ServerResponse, url: URL): void {
  const i = Number.parseInt(url.searchParams.get('i') ?? '', 10);
  sendJson(res, 200, { i: Number.isFinite(i) ? i : null });
}

const ROUTES: ReadonlyMap<string, Route> = new Map<string, Route>([
  ['/', (_req, res, _url, ctx) => send(res, 200, 'text/html; charset=utf-8', indexPage(ctx.closedPort))],
  ['/api/json', (_req, res) => send(res, 200, 'application/json', jsonBodyText())],
  ['/api/login', (req, res) => login(req, res)],
  ['/api/xhr', (req, res, url) => sendJson(res, 200, { q: url.searchParams.get('q'), sawSession: hasSessionCookie(req) })],
  ['/img.png', (_req, res) => send(res, 200, 'image/png', PNG)],
  ['/r1', (_req, res) => redirect(res, '/r2')],
  ['/r2', (_req, res) => redirect(res, '/final')],
  ['/final', (_req, res) => send(res, 200, 'text/plain; charset=utf-8', 'final\n')],
  ['/gzip', (_req, res) => send(res, 200, 'application/json', GZIP, { 'content-encoding': 'gzip', vary: 'accept-encoding' })],
  ['/large', (_req, res) => send(res, 200, 'application/octet-stream', LARGE)],
  ['/sse', (req, res) => sse(req, res)],
  ['/many', (_req, res) => send(res, 200, 'text/html; charset=utf-8', manyPage())],
  ['/tiny', (_req, res, url) => tiny(res, url)],
  ['/api/typed', (req, res, url) => typedApi(req, res, url)],
  ['/api/echo', (req, res, url) => echoRequest(req, res, url)],
  ['/blank', (_req, res) => send(res, 200, 'text/html; charset=utf-8', blankPage())],
  // A page that forbids every script and eval: evaluate_script must still work (BiDi scripts are not page scripts).
  [
    '/csp',
    (_req, res) =>
      send(res, 200, 'text/html; charset=utf-8', blankPage(), { 'content-security-policy': "default-src 'none'; script-src 'none'" }),
  ],
  ['/slow', (_req, res, url) => slow(res, url)],
  ['/never-read', (_req, res) => neverRead(res)],
  // 204 rather than 404: Firefox asks for it on every page; an empty success keeps captures free of a noise error.
  ['/favicon.ico', (_req, res) => res.writeHead(204).end()],
]);

/** Serves one HTTP request of the test site; every response gets `cache-control: no-store`. */
export function handleRequest(req: IncomingMessage, res: ServerResponse, ctx: RouteContext): void {
  res.setHeader('cache-control', 'no-store');
  res.on('error', () => undefined);
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const received: ReceivedRequest = { method: req.method ?? '', path: url.pathname + url.search, headers: { ...req.headers } };
  ctx.received.push(received);
  const chunks: Buffer[] = [];
  let kept = 0;
  req.on('data', (chunk: Buffer) => {
    if (kept < 4096) chunks.push(chunk);
    kept += chunk.length;
  });
  req.on('end', () => {
    received.body = Buffer.concat(chunks).toString('utf8').slice(0, 4096);
  });
  if (ctx.received.length > MAX_RECEIVED) ctx.received.splice(0, ctx.received.length - MAX_RECEIVED);
  const route = ROUTES.get(url.pathname);
  if (route) route(req, res, url, ctx);
  else sendJson(res, 404, { error: 'not found', path: url.pathname });
}
