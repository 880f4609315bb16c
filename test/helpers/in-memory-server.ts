/**
 * A whole bidiscope MCP server in the test process, spoken to by the SDK's MCP client over the SDK's in-memory
 * transport pair, with fake browsers: a tool call goes from JSON-RPC to formatted text in milliseconds.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { LaunchOptions } from '../../src/browser/launch-options.js';
import { createApp, type App, type AppClient } from '../../src/app.js';
import { parseCli } from '../../src/cli/args.js';
import type { FakeBidi } from './fake-bidi.js';
import { fakeLauncher, type FakeBrowser, type FakeLauncherOptions } from './fake-browser.js';
import { callTool, type CallOutcome } from './mcp-server.js';

/** The server, its fake browsers and a client. */
export interface InMemoryServer {
  app: App;
  appClient: AppClient;
  client: Client;
  /** Every fake browser launched so far, newest last. */
  browsers: FakeBrowser[];
  /** The options of every launch asked for, failed ones included. */
  launches: LaunchOptions[];
  /** The output directory (a fresh temp dir). */
  outputDir: string;
  call(name: string, args?: Record<string, unknown>): Promise<CallOutcome>;
  /** Opens a session and returns its id and fake connection; fails the test when the call fails. */
  open(args?: Record<string, unknown>): Promise<{ sessionId: string; bidi: FakeBidi; browser: FakeBrowser }>;
  close(): Promise<void>;
}

/** Starts a server with `args` as its command line (parsed by the real parser) and a fake launcher. */
export async function startInMemoryServer(args: string[] = [], launcherOptions: FakeLauncherOptions = {}): Promise<InMemoryServer> {
  const outputDir = mkdtempSync(join(tmpdir(), 'bidiscope-unit-out-'));
  const options = parseCli(['--output-dir', outputDir, ...args], {}, outputDir);
  const fake = fakeLauncher(launcherOptions);
  const app = createApp(options, { launcher: fake.launcher });
  const appClient = app.createClient();
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await appClient.server.connect(serverTransport);
  const client = new Client({ name: 'bidiscope-unit-tests', version: '1.0.0' });
  await client.connect(clientTransport);
  // As in the e2e helper: listing the tools makes the client check every structuredContent against its outputSchema.
  await client.listTools();
  const call = (name: string, callArgs: Record<string, unknown> = {}): Promise<CallOutcome> => callTool(client, name, callArgs, 10_000);
  return {
    app,
    appClient,
    client,
    browsers: fake.browsers,
    launches: fake.launches,
    outputDir,
    call,
    async open(openArgs = {}) {
      const opened = await call('initialize_session', openArgs);
      if (opened.isError) throw new Error(`initialize_session failed: ${opened.text}`);
      const browser = fake.browsers.at(-1);
      if (!browser) throw new Error('no fake browser was launched');
      return { sessionId: String(opened.structured?.sessionId), bidi: browser.bidi, browser };
    },
    async close() {
      await client.close().catch(() => undefined);
      await app.shutdown();
      rmSync(outputDir, { recursive: true, force: true });
    },
  };
}
