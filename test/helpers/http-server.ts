import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { callTool, REPO_ROOT, serverCommand, waitForExit, type CallOutcome } from './mcp-server.js';

/** A bidiscope process serving `--http`, with its private TMPDIR and captured output. */
export interface HttpServerUnderTest {
  child: ChildProcess;
  pid: number;
  port: number;
  /** `http://127.0.0.1:PORT/mcp` */
  url: string;
  tempRoot: string;
  workDir: string;
  stderr(): string;
  stdout(): string;
  /** Resolves with the exit code (or signal name) once the process ended. */
  exited: Promise<number | string>;
  /** Sends a signal and waits (bounded) for exit. */
  stop(signal?: NodeJS.Signals): Promise<number | string>;
  /** Removes the private temp dirs. */
  cleanup(): void;
}

/** An MCP client connected over Streamable HTTP. */
export interface HttpClientUnderTest {
  client: Client;
  transport: StreamableHTTPClientTransport;
  call(name: string, args?: Record<string, unknown>, timeoutMs?: number): Promise<CallOutcome>;
  /** DELETEs the MCP session, then closes the client. */
  close(): Promise<void>;
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Starts `bidiscope --http <free port> ...args` and waits until it says it is ready. */
export async function startHttpServer(args: string[] = [], env: Record<string, string> = {}): Promise<HttpServerUnderTest> {
  const tempRoot = mkdtempSync(join(tmpdir(), 'bidiscope-test-tmp-'));
  const workDir = mkdtempSync(join(tmpdir(), 'bidiscope-test-cwd-'));
  const port = await freePort();
  const { command, args: leading } = serverCommand();
  const child = spawn(command, [...leading, '--http', String(port), '--output-dir', join(workDir, 'out'), ...args], {
    cwd: command === process.execPath ? REPO_ROOT : workDir,
    env: { ...process.env, TMPDIR: tempRoot, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderrText = '';
  let stdoutText = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderrText = (stderrText + chunk.toString()).slice(-50_000);
  });
  child.stdout?.on('data', (chunk: Buffer) => {
    stdoutText += chunk.toString();
  });
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  const pid = child.pid ?? -1;
  const deadline = Date.now() + 30_000;
  while (!/ready \(/.test(stderrText)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`bidiscope --http did not become ready:\n${stderrText}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    child,
    pid,
    port,
    url: `http://127.0.0.1:${port}/mcp`,
    tempRoot,
    workDir,
    stderr: () => stderrText,
    stdout: () => stdoutText,
    exited,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null) child.kill(signal);
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<string>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), 20_000);
      });
      const code = await Promise.race([exited, timedOut]);
      clearTimeout(timer);
      if (code === 'timeout') {
        child.kill('SIGKILL');
        await waitForExit(pid, 5_000);
      }
      return code;
    },
    cleanup() {
      rmSync(tempRoot, { recursive: true, force: true });
      rmSync(workDir, { recursive: true, force: true });
    },
  };
}

/** Connects the SDK's Streamable HTTP client with these extra request headers (e.g. Authorization). */
export async function connectHttpClient(url: string, headers: Record<string, string>): Promise<HttpClientUnderTest> {
  const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } });
  const client = new Client({ name: 'bidiscope-http-tests', version: '1.0.0' });
  await client.connect(transport);
  // Listing the tools makes the SDK client validate every later result's structuredContent against the tool's
  // outputSchema (a mismatch fails the call), so each e2e test also checks the published output schemas.
  await client.listTools();
  return {
    client,
    transport,
    call: (name, args = {}, timeoutMs = 90_000) => callTool(client, name, args, timeoutMs),
    async close() {
      await transport.terminateSession().catch(() => undefined);
      await client.close().catch(() => undefined);
    },
  };
}
