/**
 * bidiscope's reach-ins into WebdriverIO, run against the installed `webdriver` package (not a fake socket): a real
 * classic session (`WebDriver.newSession` on a loopback WebDriver endpoint) whose BiDi handler connects to a loopback
 * WebSocket. If a WebdriverIO release renames the private field or the socket listeners, or changes the text of a
 * failed command's error, these tests fail.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebDriver from 'webdriver';
import { WebSocketServer, type WebSocket } from 'ws';
import { BidiCommandError, classicSessionBidi } from '../../../src/browser/bidi-connection.js';
import { routeMessages } from '../../../src/browser/message-routing.js';
import {
  CLIENT_REEMITTER_NAME,
  commandErrorParts,
  HANDLER_LISTENER_NAME,
  isRequestTimeout,
  sessionBidiHandler,
} from '../../../src/browser/webdriverio-internals.js';

interface Endpoint {
  port: number;
  sockets: WebSocket[];
  close(): Promise<void>;
}

/** What the fake BiDi server answers to `browsingContext.navigate` (as Firefox does for an unknown context). */
const NO_SUCH_FRAME = { error: 'no such frame', message: 'Browsing context with id missing - or closed - not found' };

/**
 * A WebDriver endpoint whose new sessions point at a BiDi server that answers `browsingContext.navigate` with a
 * `no such frame` error response and every other command with an empty success.
 */
async function endpoint(): Promise<Endpoint> {
  const sockets: WebSocket[] = [];
  const bidi = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => bidi.once('listening', () => resolve()));
  bidi.on('connection', (socket) => {
    sockets.push(socket);
    socket.on('message', (data) => {
      const command = JSON.parse(String(data)) as { id: number; method: string };
      const answer =
        command.method === 'browsingContext.navigate'
          ? { type: 'error', id: command.id, ...NO_SUCH_FRAME, stacktrace: 'at navigate\nat dispatch' }
          : { type: 'success', id: command.id, result: {} };
      socket.send(JSON.stringify(answer));
    });
  });
  const bidiPort = (bidi.address() as AddressInfo).port;
  const http = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const value =
        req.method === 'POST' && req.url === '/session'
          ? {
              sessionId: 's1',
              capabilities: { browserName: 'chrome', browserVersion: '1', webSocketUrl: `ws://127.0.0.1:${bidiPort}/session/s1` },
            }
          : null;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ value }));
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    port: (http.address() as AddressInfo).port,
    sockets,
    async close() {
      for (const socket of bidi.clients) socket.terminate();
      await new Promise<void>((resolve) => bidi.close(() => resolve()));
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

async function classicSession(port: number) {
  return WebDriver.newSession({
    hostname: '127.0.0.1',
    port,
    protocol: 'http',
    path: '/',
    logLevel: 'silent',
    connectionRetryCount: 0,
    capabilities: { browserName: 'chrome', webSocketUrl: true },
  });
}

test('a classic session keeps its BiDi handler where bidiscope looks for it, with the listeners it routes', async () => {
  const server = await endpoint();
  try {
    const client = await classicSession(server.port);
    const handler = sessionBidiHandler(client);
    assert.ok(handler, 'WebdriverIO keeps the handler in _bidiHandler');
    assert.equal(handler.isConnected, true);
    const socket = handler.socket as unknown as { listeners(event: string): Array<{ name: string }> };
    const names = socket.listeners('message').map((listener) => listener.name);
    assert.ok(names.includes(HANDLER_LISTENER_NAME), `the handler's listener: ${names.join(', ')}`);
    assert.ok(names.includes(CLIENT_REEMITTER_NAME), `the client's re-emitter: ${names.join(', ')}`);
    const events: string[] = [];
    assert.equal(
      routeMessages(handler.socket as unknown as Parameters<typeof routeMessages>[0], (text) => events.push(text)),
      true,
      'the router engages',
    );
    const after = socket.listeners('message').map((listener) => listener.name);
    assert.ok(!after.includes(CLIENT_REEMITTER_NAME), 'the re-emitter is gone');
    server.sockets[0]?.send(JSON.stringify({ type: 'event', method: 'network.beforeRequestSent', params: {} }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(events.length, 1, 'events reach bidiscope, parsed once');
    handler.close();
  } finally {
    await server.close();
  }
});

test("classicSessionBidi answers commands over the session's own connection, without compression", async () => {
  const server = await endpoint();
  try {
    const client = await classicSession(server.port);
    const bidi = await classicSessionBidi(client, () => new Error('no BiDi'));
    assert.deepEqual(await bidi.send('session.status', {}, 5_000), {});
    bidi.close();
  } finally {
    await server.close();
  }
});

test("a failed command's error code and message are read back from the handler's own rejection", async () => {
  const server = await endpoint();
  try {
    const client = await classicSession(server.port);
    const handler = sessionBidiHandler(client);
    assert.ok(handler);
    const rejection = await handler.send({ method: 'browsingContext.navigate', params: { context: 'missing', url: 'about:blank' } }).then(
      () => assert.fail('the command should fail'),
      (error: unknown) => error,
    );
    assert.ok(rejection instanceof Error);
    assert.deepEqual(commandErrorParts(rejection.message), { code: NO_SUCH_FRAME.error, message: NO_SUCH_FRAME.message });
    handler.close();
  } finally {
    await server.close();
  }
});

test('an error response reaches the caller of send as a BidiCommandError with its code, through the routed socket', async () => {
  const server = await endpoint();
  try {
    const client = await classicSession(server.port);
    const bidi = await classicSessionBidi(client, () => new Error('no BiDi'));
    await assert.rejects(bidi.send('browsingContext.navigate', { context: 'missing', url: 'about:blank' }, 5_000), (error: unknown) => {
      assert.ok(error instanceof BidiCommandError);
      assert.equal(error.bidiError, 'no such frame');
      assert.equal(error.method, 'browsingContext.navigate');
      assert.equal(error.message, `browsingContext.navigate: no such frame — ${NO_SUCH_FRAME.message}`);
      return true;
    });
    assert.deepEqual(await bidi.send('session.status', {}, 5_000), {}, 'the connection goes on after a failed command');
    bidi.close();
  } finally {
    await server.close();
  }
});

test('a new-session request the endpoint never answers is recognised as timed out from its text', async () => {
  const held: ServerResponse[] = [];
  const http = createServer((req, res) => {
    req.resume();
    held.push(res);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  try {
    const rejection = await WebDriver.newSession({
      hostname: '127.0.0.1',
      port: (http.address() as AddressInfo).port,
      protocol: 'http',
      path: '/',
      logLevel: 'silent',
      connectionRetryCount: 0,
      connectionRetryTimeout: 300,
      capabilities: { browserName: 'chrome', webSocketUrl: true },
    }).then(
      () => assert.fail('the session should not start'),
      (error: unknown) => error,
    );
    assert.ok(rejection instanceof Error);
    assert.equal(isRequestTimeout(rejection.message), true, rejection.message);
    assert.equal(isRequestTimeout('Request failed with error code ECONNREFUSED'), false);
  } finally {
    for (const res of held) res.destroy();
    await new Promise<void>((resolve) => http.close(() => resolve()));
  }
});
