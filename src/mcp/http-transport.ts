import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { checkRequest, MCP_METHODS, MCP_PATH } from './http-guards.js';
import { headerValue, readBody, sendJsonError } from './http-io.js';

/** One MCP client's server and how to release what it owns (its browser sessions). */
export interface McpClientHandle {
  server: Server;
  close(): Promise<void>;
}

/** How {@link startHttpTransport} serves. */
export interface HttpTransportOptions {
  port: number;
  /** Bearer token every request must carry. */
  token: string;
  /** Makes an isolated client for each new MCP session. */
  createClient(): McpClientHandle;
  log(message: string): void;
  /** Concurrent MCP sessions (default 32). */
  maxClients?: number;
  /** Largest POST body in bytes (default 4 MiB). */
  maxBodyBytes?: number;
  /** An MCP session with no request for this long (and no open stream) is closed (default 30 min). */
  idleTimeoutMs?: number;
}

/** A running Streamable HTTP endpoint. */
export interface HttpMcpEndpoint {
  /** `http://127.0.0.1:PORT/mcp` */
  url: string;
  /** MCP sessions open now. */
  clientCount(): number;
  /** Stops listening, closes every MCP session (and with it the clients' browser sessions) and every connection. */
  close(): Promise<void>;
}

/** Loopback only: the endpoint is never reachable from another machine. */
const BIND_ADDRESS = '127.0.0.1';
const CLOSE_BOUND_MS = 5_000;

interface ClientEntry {
  id: string | undefined;
  transport: StreamableHTTPServerTransport;
  client: McpClientHandle;
  lastSeen: number;
  inFlight: number;
  closing?: Promise<void>;
}

/**
 * Serves MCP Streamable HTTP (stateful: one transport and one MCP server per MCP session) on 127.0.0.1:PORT/mcp,
 * behind Host/Origin checks, a bearer token and a body size bound.
 */
export async function startHttpTransport(options: HttpTransportOptions): Promise<HttpMcpEndpoint> {
  const maxClients = options.maxClients ?? 32;
  const maxBodyBytes = options.maxBodyBytes ?? 4 * 1024 * 1024;
  const idleTimeoutMs = options.idleTimeoutMs ?? 30 * 60_000;
  const entries = new Map<string, ClientEntry>();
  let pending = 0;
  let stopping = false;

  const closeEntry = (entry: ClientEntry, why: string): Promise<void> => {
    if (entry.closing) return entry.closing;
    if (entry.id !== undefined) entries.delete(entry.id);
    // Deferred so that the transport's onclose, which lands here again, already finds `closing` set.
    entry.closing = Promise.resolve().then(async () => {
      await entry.transport.close().catch(() => undefined);
      await entry.client.close().catch(() => undefined);
      if (entry.id !== undefined) options.log(`MCP session ${entry.id} closed (${why}); its browser sessions are closed`);
    });
    return entry.closing;
  };

  const forward = async (entry: ClientEntry, req: IncomingMessage, res: ServerResponse, body?: unknown): Promise<void> => {
    entry.inFlight += 1;
    entry.lastSeen = Date.now();
    res.once('close', () => {
      entry.inFlight -= 1;
      entry.lastSeen = Date.now();
    });
    await entry.transport.handleRequest(req, res, body);
  };

  const initialize = async (req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void> => {
    if (entries.size + pending >= maxClients) {
      sendJsonError(res, 503, -32000, `Too many MCP sessions (limit ${maxClients}); close one (HTTP DELETE) first.`);
      return;
    }
    pending += 1;
    const client = options.createClient();
    // Registered as soon as the transport assigns the id, before the reply leaves, so the client's next request finds it.
    const register = (id: string): void => {
      entry.id = id;
      entries.set(id, entry);
      options.log(`MCP session ${id} opened (${entries.size} open)`);
    };
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: register,
      // Awaited before the DELETE is answered, so "200" means the client's browsers are gone.
      onsessionclosed: () => closeEntry(entry, 'client ended the session'),
    });
    const entry: ClientEntry = { id: undefined, transport, client, lastSeen: Date.now(), inFlight: 0 };
    try {
      client.server.onclose = () => void closeEntry(entry, 'transport closed');
      await client.server.connect(transport);
      await forward(entry, req, res, body);
    } finally {
      pending -= 1;
      if (entry.id === undefined) await closeEntry(entry, 'initialize failed');
      else if (stopping) await closeEntry(entry, 'server stopping');
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const refusal = checkRequest({
      method: req.method,
      path,
      host: headerValue(req, 'host'),
      origin: headerValue(req, 'origin'),
      authorization: headerValue(req, 'authorization'),
      port: options.port,
      token: options.token,
    });
    if (refusal) {
      if (refusal.status === 401 || refusal.status === 403)
        options.log(`refused ${req.method ?? '?'} ${path}: ${refusal.status} ${refusal.message}`);
      const headers: Record<string, string> =
        refusal.status === 401
          ? { 'WWW-Authenticate': 'Bearer realm="bidiscope"' }
          : refusal.status === 405
            ? { Allow: MCP_METHODS.join(', ') }
            : {};
      sendJsonError(res, refusal.status, -32000, refusal.message, headers, req.method === 'POST');
      return;
    }
    if (stopping) {
      sendJsonError(res, 503, -32000, 'bidiscope is shutting down.', {}, true);
      return;
    }
    const sessionId = headerValue(req, 'mcp-session-id');
    const entry = sessionId === undefined ? undefined : entries.get(sessionId);
    if (req.method !== 'POST') {
      if (sessionId === undefined) sendJsonError(res, 400, -32000, 'Bad Request: Mcp-Session-Id header is required.');
      else if (!entry) sendJsonError(res, 404, -32001, 'Session not found.');
      else await forward(entry, req, res);
      return;
    }
    const read = await readBody(req, maxBodyBytes);
    if (!read.ok) {
      sendJsonError(res, 413, -32000, `Request body too large (limit ${maxBodyBytes} bytes).`);
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(read.text);
    } catch {
      sendJsonError(res, 400, -32700, 'Parse error: Invalid JSON.');
      return;
    }
    if (sessionId !== undefined) {
      if (!entry) sendJsonError(res, 404, -32001, 'Session not found.');
      else await forward(entry, req, res, body);
      return;
    }
    if (!isInitializeRequest(body)) {
      sendJsonError(res, 400, -32000, 'Bad Request: send initialize first; later requests need its Mcp-Session-Id header.');
      return;
    }
    await initialize(req, res, body);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      options.log(`HTTP request failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      sendJsonError(res, 500, -32603, 'Internal error.');
    });
  });
  await listen(server, options.port);

  const sweep = setInterval(
    () => {
      const now = Date.now();
      for (const entry of entries.values()) {
        if (entry.inFlight <= 0 && now - entry.lastSeen > idleTimeoutMs) void closeEntry(entry, 'idle');
      }
    },
    Math.min(60_000, idleTimeoutMs),
  );
  sweep.unref();

  return {
    url: `http://${BIND_ADDRESS}:${options.port}${MCP_PATH}`,
    clientCount: () => entries.size,
    async close() {
      stopping = true;
      clearInterval(sweep);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.allSettled([...entries.values()].map((entry) => closeEntry(entry, 'server stopping')));
      server.closeAllConnections?.();
      await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, CLOSE_BOUND_MS).unref())]);
    },
  };
}

function listen(server: HttpServer, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      const why = error.code === 'EADDRINUSE' ? `port ${port} is already in use` : error.message;
      reject(new Error(`cannot listen on ${BIND_ADDRESS}:${port}: ${why}`));
    };
    server.once('error', onError);
    server.listen(port, BIND_ADDRESS, () => {
      server.off('error', onError);
      resolve();
    });
  });
}
