import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startHttpTransport, type McpClientHandle } from '../../../src/mcp/http-transport.js';
import { createMcpServer } from '../../../src/mcp/server.js';
import { connectHttpClient, freePort } from '../../helpers/http-server.js';

const TOKEN = 'unit-test-token-0123456789';
const AUTH = { Authorization: `Bearer ${TOKEN}` };

/** An endpoint whose clients are tool-less MCP servers; records which were closed. */
async function endpoint(extra: { maxClients?: number; idleTimeoutMs?: number } = {}) {
  const closed: number[] = [];
  let made = 0;
  const logs: string[] = [];
  const port = await freePort();
  const served = await startHttpTransport({
    port,
    token: TOKEN,
    log: (line) => logs.push(line),
    createClient(): McpClientHandle {
      const id = ++made;
      const server = createMcpServer({ name: 't', version: '1' }, [], {});
      let done: Promise<void> | undefined;
      return {
        server,
        close() {
          done ??= (async () => {
            closed.push(id);
            await server.close();
          })();
          return done;
        },
      };
    },
    ...extra,
  });
  return { served, closed, logs, made: () => made };
}

test('DELETE closes exactly that client; the MCP session limit answers 503', async () => {
  const { served, closed } = await endpoint({ maxClients: 2 });
  try {
    const a = await connectHttpClient(served.url, AUTH);
    const b = await connectHttpClient(served.url, AUTH);
    assert.equal(served.clientCount(), 2);
    await assert.rejects(connectHttpClient(served.url, AUTH), (error) => error instanceof StreamableHTTPError && error.code === 503);
    await a.close();
    assert.deepEqual(closed, [1]);
    assert.equal(served.clientCount(), 1);
    assert.deepEqual((await b.client.listTools()).tools, []);
    const c = await connectHttpClient(served.url, AUTH);
    assert.equal(served.clientCount(), 2);
    await c.client.close();
    await b.client.close();
  } finally {
    await served.close();
  }
  assert.equal(served.clientCount(), 0);
  assert.deepEqual(closed.sort(), [1, 2, 3], 'close() ends every remaining client; the refused connect made none');
});

test('an idle MCP session is closed; close() ends the rest', async () => {
  const { served, closed, logs } = await endpoint({ idleTimeoutMs: 200 });
  try {
    const a = await connectHttpClient(served.url, AUTH);
    // The SDK client keeps a GET stream open; drop it so the session counts as idle.
    await a.transport.close();
    const deadline = Date.now() + 5_000;
    while (served.clientCount() > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(served.clientCount(), 0);
    assert.deepEqual(closed, [1]);
    assert.ok(
      logs.some((line) => /closed \(idle\)/.test(line)),
      logs.join('\n'),
    );
  } finally {
    await served.close();
  }
});
