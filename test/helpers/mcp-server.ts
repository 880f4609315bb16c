import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

/** Repository root. */
export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');

/** What one tool call returned, flattened for assertions. */
export interface CallOutcome {
  text: string;
  isError: boolean;
  structured: Record<string, unknown> | undefined;
}

/** A bidiscope server under test, spoken to by the real MCP SDK client over stdio. */
export interface ServerUnderTest {
  client: Client;
  pid: number;
  /** Private TMPDIR of the server: every temp profile it makes lives below it. */
  tempRoot: string;
  /** Private working directory (the default output dir lives below it). */
  workDir: string;
  stderr(): string;
  call(name: string, args?: Record<string, unknown>, timeoutMs?: number): Promise<CallOutcome>;
  close(): Promise<void>;
}

/**
 * How to start the server: `BIDISCOPE_TEST_COMMAND` (e.g. a compiled binary) or Node with tsx from source.
 */
export function serverCommand(): { command: string; args: string[] } {
  const custom = process.env.BIDISCOPE_TEST_COMMAND;
  if (custom) return { command: custom, args: [] };
  return { command: process.execPath, args: ['--import', 'tsx', join(REPO_ROOT, 'src', 'main.ts')] };
}

/** How {@link startServer} starts the server; every field is optional. */
export interface StartServerOptions {
  /** Extra bidiscope arguments (appended). */
  args?: string[];
  /** Extra environment (wins over the base environment). */
  env?: Record<string, string>;
  /** Executable and leading arguments instead of {@link serverCommand} (e.g. another runtime, a wrapper). */
  command?: { command: string; args: string[] };
  /** Working directory; default: the repository for Node from source, else the private empty work dir. */
  cwd?: string;
  /** Base environment instead of the test process's (TMPDIR and `env` are still added). */
  baseEnv?: Record<string, string>;
}

/** Calls a tool through an MCP client and flattens the result for assertions. */
export async function callTool(client: Client, name: string, args: Record<string, unknown>, timeoutMs: number): Promise<CallOutcome> {
  const result = await client.callTool({ name, arguments: args }, undefined, { timeout: timeoutMs });
  const content = (result.content ?? []) as Array<{ type: string; text?: string }>;
  return {
    text: content.map((item) => item.text ?? '').join('\n'),
    isError: result.isError === true,
    structured: result.structuredContent as Record<string, unknown> | undefined,
  };
}

/** Starts the server with a private TMPDIR and cwd, connects the MCP client. */
export async function startServer(options: StartServerOptions = {}): Promise<ServerUnderTest> {
  const tempRoot = mkdtempSync(join(tmpdir(), 'bidiscope-test-tmp-'));
  const workDir = mkdtempSync(join(tmpdir(), 'bidiscope-test-cwd-'));
  const { command, args } = options.command ?? serverCommand();
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(options.baseEnv ?? process.env)) if (value !== undefined) env[key] = value;
  Object.assign(env, { TMPDIR: tempRoot }, options.env ?? {});
  const transport = new StdioClientTransport({
    command,
    args: [...args, ...(options.args ?? [])],
    env,
    cwd: options.cwd ?? (command === process.execPath ? REPO_ROOT : workDir),
    stderr: 'pipe',
  });
  let stderrText = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderrText = (stderrText + chunk.toString()).slice(-20_000);
  });
  const client = new Client({ name: 'bidiscope-tests', version: '1.0.0' });
  await client.connect(transport);
  // Listing the tools makes the SDK client validate every later result's structuredContent against the tool's
  // outputSchema (a mismatch fails the call), so each e2e test also checks the published output schemas.
  await client.listTools();
  const pid = transport.pid ?? -1;
  return {
    client,
    pid,
    tempRoot,
    workDir,
    stderr: () => stderrText,
    call: (name, callArgs = {}, timeoutMs = 90_000) => callTool(client, name, callArgs, timeoutMs),
    async close() {
      await client.close().catch(() => undefined);
      await waitForExit(pid, 20_000);
    },
  };
}

/** True while a process with this PID exists. */
export function isAlive(pid: number): boolean {
  if (pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits (bounded) for a process to exit. */
export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((resolveWait) => setTimeout(resolveWait, 50));
  }
  return !isAlive(pid);
}

/** PIDs of live processes whose command line or environment mentions `needle` (Linux /proc). */
export function processesMentioning(needle: string): Array<{ pid: number; cmdline: string }> {
  const found: Array<{ pid: number; cmdline: string }> = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    if (pid === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8').replaceAll('\0', ' ');
      let environ = '';
      try {
        environ = readFileSync(`/proc/${name}/environ`, 'utf8');
      } catch {
        // not readable
      }
      const status = readFileSync(`/proc/${name}/status`, 'utf8');
      if (/State:\s+Z/.test(status)) continue; // zombies hold nothing
      if (cmdline.includes(needle) || environ.includes(needle)) found.push({ pid, cmdline: cmdline.slice(0, 200) });
    } catch {
      // process ended while we looked
    }
  }
  return found;
}

/** Waits (bounded) until no process mentions `needle`; returns what is left. */
export async function waitForNoProcessesMentioning(needle: string, timeoutMs = 15_000): Promise<Array<{ pid: number; cmdline: string }>> {
  const deadline = Date.now() + timeoutMs;
  let left = processesMentioning(needle);
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((resolveWait) => setTimeout(resolveWait, 100));
    left = processesMentioning(needle);
  }
  return left;
}

/** Entries bidiscope left in a temp root (profiles are `bidiscope-*`). */
export function leftoverTempDirs(tempRoot: string): string[] {
  try {
    return readdirSync(tempRoot).filter((name) => name.startsWith('bidiscope-'));
  } catch {
    return [];
  }
}

/** Removes the test's own temp dirs. */
export function removeTestDirs(server: ServerUnderTest): void {
  rmSync(server.tempRoot, { recursive: true, force: true });
  rmSync(server.workDir, { recursive: true, force: true });
}

/** The browsers every capture promise is tested on. */
export const BROWSERS = ['chrome', 'firefox'] as const;

/** A server under test whose `--output-dir` is a fresh temp dir. */
export interface ServerWithOutputDir extends ServerUnderTest {
  outputDir: string;
  /** Stops the server and removes its private dirs and the output dir. */
  closeAll(): Promise<void>;
}

/** Starts a server writing into a fresh temp output dir (extra `args` appended after `--output-dir`). */
export async function startServerWithOutputDir(options: StartServerOptions = {}): Promise<ServerWithOutputDir> {
  const outputDir = mkdtempSync(join(tmpdir(), 'bidiscope-test-out-'));
  const server = await startServer({ ...options, args: ['--output-dir', outputDir, ...(options.args ?? [])] });
  return {
    ...server,
    outputDir,
    async closeAll() {
      await server.close();
      removeTestDirs(server);
      rmSync(outputDir, { recursive: true, force: true });
    },
  };
}
