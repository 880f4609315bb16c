import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Host names that reach this machine only. */
const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * DNS-rebinding guard: the `Host` header must name a loopback host and the port we listen on
 * (`127.0.0.1:PORT`, `localhost:PORT` or `[::1]:PORT`).
 */
export function isAllowedHost(host: string | undefined, port: number): boolean {
  if (host === undefined) return false;
  const match = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/i.exec(host.trim());
  if (!match) return false;
  const [, name = '', portText] = match;
  // Clients leave out the default port.
  const givenPort = portText === undefined ? 80 : Number(portText);
  return LOOPBACK_NAMES.has(name.toLowerCase()) && givenPort === port;
}

/**
 * Cross-site guard: an `Origin` header, when present, must be an http(s) origin on a loopback host (any port, so a
 * local inspector UI works). `null` and other origins are refused.
 */
export function isAllowedOrigin(origin: string | undefined): boolean {
  if (origin === undefined) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  return LOOPBACK_NAMES.has(url.hostname.toLowerCase());
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/**
 * True when `authorization` is `Bearer <expected>`. Compares fixed-length digests with `timingSafeEqual`, so neither
 * the token's content nor its length leaks through timing.
 */
export function hasBearerToken(authorization: string | undefined, expected: string): boolean {
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(authorization ?? '');
  const given = match?.[1] ?? '';
  const same = timingSafeEqual(digest(given), digest(expected));
  return match !== null && same;
}

/** A fresh random bearer token: 32 bytes as 64 hex characters. */
export function generateToken(): string {
  return randomBytes(32).toString('hex');
}

/** Why a user-chosen token is unusable, or undefined when it is fine. */
export function tokenProblem(token: string): string | undefined {
  if (token.length < 16) return 'must be at least 16 characters long';
  if (token.length > 1024) return 'must be at most 1024 characters long';
  if (!/^[\x21-\x7e]+$/.test(token)) return 'may contain only printable ASCII without spaces';
  return undefined;
}

/** Which HTTP status a request gets before it reaches MCP, or undefined to let it through. */
export interface GuardInput {
  method: string | undefined;
  path: string;
  host: string | undefined;
  origin: string | undefined;
  authorization: string | undefined;
  port: number;
  token: string;
}

/** The refusal for a request, in check order: Host (403), Origin (403), path (404), method (405), token (401). */
export type GuardRefusal = { status: 403 | 404 | 405 | 401; message: string };

/** The endpoint path. */
export const MCP_PATH = '/mcp';

/** Methods the endpoint answers. */
export const MCP_METHODS = ['POST', 'GET', 'DELETE'] as const;

/** Runs every pre-MCP check on a request; pure. */
export function checkRequest(input: GuardInput): GuardRefusal | undefined {
  if (!isAllowedHost(input.host, input.port)) {
    return { status: 403, message: `Forbidden: Host must be 127.0.0.1:${input.port}, localhost:${input.port} or [::1]:${input.port}.` };
  }
  if (!isAllowedOrigin(input.origin)) return { status: 403, message: 'Forbidden: Origin must be a loopback http(s) origin.' };
  if (input.path !== MCP_PATH) return { status: 404, message: `Not found: the MCP endpoint is ${MCP_PATH}.` };
  if (!(MCP_METHODS as readonly string[]).includes(input.method ?? '')) {
    return { status: 405, message: `Method not allowed: use ${MCP_METHODS.join(', ')}.` };
  }
  if (!hasBearerToken(input.authorization, input.token)) {
    return { status: 401, message: 'Unauthorized: send "Authorization: Bearer <token>" (the token bidiscope printed or --http-token).' };
  }
  return undefined;
}
