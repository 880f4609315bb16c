/**
 * A bidiscope server for the benchmarks: the test helper's server (real MCP SDK client over stdio, private TMPDIR),
 * plus timed calls with their raw result, the server's RSS from /proc, and (optionally) Node's inspector to force a
 * garbage collection and read heap figures from outside the process — no hook in src needed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import {
  leftoverTempDirs,
  processesMentioning,
  REPO_ROOT,
  removeTestDirs,
  startServer,
  waitForNoProcessesMentioning,
  type CallOutcome,
  type ServerUnderTest,
} from '../../test/helpers/mcp-server.js';
import { nowMs, sleep } from './stats.js';

/** One tool call as the benchmarks see it: outcome, client round-trip ms, and the size of the whole result. */
export interface TimedCall extends CallOutcome {
  ms: number;
  /** UTF-8 bytes of the text content. */
  textBytes: number;
  /** UTF-8 bytes of the whole JSON-RPC result (content + structuredContent). */
  resultBytes: number;
}

/** Heap figures read through the inspector after a forced GC. */
export interface HeapFigures {
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

/** A running server under benchmark. */
export interface BenchServer {
  readonly inner: ServerUnderTest;
  readonly pid: number;
  call(name: string, args?: Record<string, unknown>, timeoutMs?: number): Promise<TimedCall>;
  /** Like {@link call} but throws on an error result. */
  must(name: string, args?: Record<string, unknown>, timeoutMs?: number): Promise<TimedCall>;
  /** VmRSS of the server process in bytes. */
  rss(): number;
  /** CPU time (user + system) the server process has used, ms. */
  cpuMs(): number;
  /** CPU time (user + system) used so far by the live browser and driver processes this server started, ms. */
  browserCpuMs(): number;
  /** Forces a full GC in the server and returns process.memoryUsage() (needs `inspect`). */
  collectGarbage(): Promise<HeapFigures>;
  /** Closes the server and checks that nothing it started is left; returns what was left (should be empty). */
  close(): Promise<string[]>;
}

const CLOCK_TICKS_PER_SECOND = 100;

/** CPU time (utime + stime) of a process from /proc/<pid>/stat, ms; 0 when it is gone. */
export function cpuMsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** Reads VmRSS (bytes) of a process from /proc. */
export function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!match?.[1]) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]) * 1024;
}

class Inspector {
  #socket: WebSocket | undefined;
  #nextId = 0;
  readonly #pending = new Map<number, (result: unknown) => void>();

  async connect(url: string): Promise<void> {
    const socket = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    socket.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString()) as { id?: number; result?: unknown; error?: unknown };
      if (message.id === undefined) return;
      this.#pending.get(message.id)?.(message.result ?? message.error);
      this.#pending.delete(message.id);
    });
    this.#socket = socket;
  }

  send(method: string, params: object = {}): Promise<unknown> {
    const socket = this.#socket;
    if (!socket) return Promise.reject(new Error('inspector not connected'));
    const id = ++this.#nextId;
    return new Promise((resolve) => {
      this.#pending.set(id, resolve);
      socket.send(JSON.stringify({ id, method, params }));
    });
  }

  close(): void {
    this.#socket?.terminate();
  }
}

async function inspectorUrl(server: ServerUnderTest): Promise<string> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const match = /Debugger listening on (ws:\/\/\S+)/.exec(server.stderr());
    if (match?.[1]) return match[1];
    await sleep(50);
  }
  throw new Error('the server printed no inspector URL');
}

/** How {@link startBenchServer} starts the server. */
export interface BenchServerOptions {
  /** Adds `--inspect=127.0.0.1:0` for {@link BenchServer.collectGarbage}. */
  inspect?: boolean;
  nodeArgs?: string[];
  /** bidiscope's own arguments (e.g. `--webdriver-url`). */
  args?: string[];
  /** A compiled server to run instead of Node from source. */
  binary?: string;
  /** Another checkout of the repository whose `src/main.ts` to run (A/B runs across commits); default this one. */
  sourceDir?: string;
}

/**
 * Starts a server (Node from source); `inspect` adds `--inspect=127.0.0.1:0` for {@link BenchServer.collectGarbage};
 * `args` are bidiscope's own (e.g. `--webdriver-url`).
 */
export async function startBenchServer(options: BenchServerOptions = {}): Promise<BenchServer> {
  const nodeArgs = [...(options.inspect ? ['--inspect=127.0.0.1:0'] : []), ...(options.nodeArgs ?? [])];
  const sourceDir = options.sourceDir ?? REPO_ROOT;
  const inner = await startServer({
    command:
      options.binary !== undefined
        ? { command: options.binary, args: [] }
        : { command: process.execPath, args: [...nodeArgs, '--import', 'tsx', join(sourceDir, 'src', 'main.ts')] },
    ...(options.binary === undefined ? { cwd: sourceDir } : {}),
    args: options.args ?? [],
  });
  const inspector = options.inspect ? new Inspector() : undefined;
  if (inspector) await inspector.connect(await inspectorUrl(inner));

  const call = async (name: string, args: Record<string, unknown> = {}, timeoutMs = 300_000): Promise<TimedCall> => {
    const start = nowMs();
    const result = await inner.client.callTool({ name, arguments: args }, undefined, { timeout: timeoutMs });
    const ms = nowMs() - start;
    const content = (result.content ?? []) as Array<{ type: string; text?: string }>;
    const text = content.map((item) => item.text ?? '').join('\n');
    return {
      text,
      isError: result.isError === true,
      structured: result.structuredContent as Record<string, unknown> | undefined,
      ms,
      textBytes: Buffer.byteLength(text),
      resultBytes: Buffer.byteLength(JSON.stringify(result)),
    };
  };

  return {
    inner,
    pid: inner.pid,
    call,
    async must(name, args, timeoutMs) {
      const outcome = await call(name, args, timeoutMs);
      if (outcome.isError) throw new Error(`${name} failed: ${outcome.text}`);
      return outcome;
    },
    rss: () => rssOf(inner.pid),
    cpuMs: () => cpuMsOf(inner.pid),
    browserCpuMs: () => processesMentioning(`${inner.tempRoot}/bidiscope-`).reduce((sum, process) => sum + cpuMsOf(process.pid), 0),
    async collectGarbage() {
      if (!inspector) throw new Error('server started without inspect');
      await inspector.send('HeapProfiler.collectGarbage');
      await sleep(200);
      await inspector.send('HeapProfiler.collectGarbage');
      const evaluated = (await inspector.send('Runtime.evaluate', {
        expression: 'JSON.stringify(process.memoryUsage())',
        returnByValue: true,
      })) as { result?: { value?: string } };
      const usage = JSON.parse(evaluated.result?.value ?? '{}') as Partial<HeapFigures>;
      return { rss: rssOf(inner.pid), heapUsed: usage.heapUsed ?? 0, external: usage.external ?? 0, arrayBuffers: usage.arrayBuffers ?? 0 };
    },
    async close() {
      inspector?.close();
      await inner.close();
      const left = await waitForNoProcessesMentioning(`${inner.tempRoot}/bidiscope-`);
      // Whatever the server failed to stop was started for this run (it names the run's private temp dir): end it.
      for (const process of left) {
        try {
          globalThis.process.kill(process.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      const dirs = leftoverTempDirs(inner.tempRoot);
      removeTestDirs(inner);
      return [...left.map((process) => `pid ${process.pid}: ${process.cmdline}`), ...dirs.map((dir) => `dir ${dir}`)];
    },
  };
}
