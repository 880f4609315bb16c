import './quiet-dependencies.js';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createApp } from './app.js';
import { HELP_TEXT, parseCli, UsageError } from './cli/args.js';
import { runReportCommand } from './cli/report-command.js';
import { killEverythingNow } from './browser/owned-process.js';
import { httpBanner } from './mcp/http-banner.js';
import { generateToken } from './mcp/http-guards.js';
import { startHttpTransport, type HttpMcpEndpoint } from './mcp/http-transport.js';
import { logToStderr } from './mcp/server.js';
import { runtimeDescription, VERSION } from './version.js';

const SHUTDOWN_BOUND_MS = 15_000;

async function main(): Promise<void> {
  if (process.argv[2] === 'report') {
    const result = await runReportCommand(process.argv.slice(3), process.cwd());
    (result.exitCode === 0 ? process.stdout : process.stderr).write(`${result.message}\n`);
    process.exit(result.exitCode);
  }
  let options;
  try {
    options = parseCli(process.argv.slice(2), process.env, process.cwd());
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`bidiscope: ${error.message}\nRun bidiscope --help for usage.\n`);
      process.exit(2);
    }
    throw error;
  }
  if (options.showHelp) {
    process.stdout.write(`${HELP_TEXT}\n`);
    return;
  }
  if (options.showVersion) {
    process.stdout.write(`bidiscope ${VERSION} (${runtimeDescription()}, ${process.platform}-${process.arch})\n`);
    return;
  }
  const app = createApp(options);
  let server: Server | undefined;
  let endpoint: HttpMcpEndpoint | undefined;
  let shuttingDown = false;
  const shutdown = async (why: string, exitCode: number): Promise<void> => {
    if (shuttingDown) return;
    shuttingDown = true;
    logToStderr(`shutting down (${why})`);
    const bound = setTimeout(() => {
      killEverythingNow();
      process.exit(exitCode);
    }, SHUTDOWN_BOUND_MS);
    try {
      await endpoint?.close();
      await app.shutdown();
      await server?.close().catch(() => undefined);
    } finally {
      clearTimeout(bound);
      killEverythingNow();
      process.exit(exitCode);
    }
  };
  // A signal during a shutdown (e.g. the MCP client's SIGTERM 2 s after it closed stdin, before its SIGKILL) means
  // hurry: kill what is left now, so a graceful close that takes long cannot turn into orphaned browsers.
  const onSignal = (signal: NodeJS.Signals, exitCode: number): void => {
    if (!shuttingDown) {
      void shutdown(signal, exitCode);
      return;
    }
    logToStderr(`${signal} while shutting down: stopping every browser now`);
    killEverythingNow();
    process.exit(exitCode);
  };
  process.on('SIGINT', () => onSignal('SIGINT', 130));
  process.on('SIGTERM', () => onSignal('SIGTERM', 143));
  process.on('SIGHUP', () => onSignal('SIGHUP', 129));
  process.on('uncaughtException', (error) => logToStderr(`uncaught exception: ${error.stack ?? error.message}`));
  process.on('unhandledRejection', (reason) =>
    logToStderr(`unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`),
  );

  if (options.httpPort !== undefined) {
    // HTTP mode: stdin and stdout are not the protocol; the process lives until a signal.
    const token = options.httpToken ?? generateToken();
    try {
      endpoint = await startHttpTransport({ port: options.httpPort, token, createClient: () => app.createClient(), log: logToStderr });
    } catch (error) {
      logToStderr(error instanceof Error ? error.message : String(error));
      await app.shutdown();
      process.exit(1);
    }
    for (const line of httpBanner(endpoint.url, token, options.httpToken === undefined)) logToStderr(line);
    logToStderr(`${VERSION} ready (${runtimeDescription()})`);
    return;
  }

  process.stdin.on('end', () => void shutdown('client disconnected (stdin closed)', 0));
  process.stdin.on('close', () => void shutdown('client disconnected (stdin closed)', 0));
  process.stdout.on('error', () => void shutdown('stdout closed', 0));
  server = app.createServer();
  const transport = new StdioServerTransport();
  transport.onclose = () => void shutdown('transport closed', 0);
  await server.connect(transport);
  logToStderr(`${VERSION} serving MCP over stdio (${runtimeDescription()})`);
}

main().catch((error: unknown) => {
  logToStderr(`fatal: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  killEverythingNow();
  process.exit(1);
});
