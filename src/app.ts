import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { CliOptions } from './cli/args.js';
import { chooseLauncher, type BrowserLauncher } from './browser/launcher.js';
import { createMcpServer } from './mcp/server.js';
import { SessionBudget } from './sessions/session-budget.js';
import { SessionManager } from './sessions/session-manager.js';
import type { AppConfig, AppContext } from './tools/context.js';
import { ConfirmTokens } from './tools/confirm-tokens.js';
import { allTools } from './tools/index.js';
import { VERSION } from './version.js';

const INSTRUCTIONS =
  'bidiscope drives a real browser over WebDriver BiDi and records its network traffic. Typical flow: ' +
  'initialize_session → start_network_capture → navigate / evaluate_script → list_network_requests → ' +
  'get_request_details → export_har → close_session. Secrets are redacted unless the session exposes them.';

/** One MCP client: its own sessions and confirm tokens, and the MCP server bound to them. */
export interface AppClient {
  context: AppContext;
  server: Server;
  /** Closes this client's browser sessions and its MCP server; safe to call more than once. */
  close(): Promise<void>;
}

/** One application instance: shared configuration and session budget, plus a factory for isolated clients. */
export interface App {
  config: AppConfig;
  /** The limit on browser sessions shared by every client. */
  budget: SessionBudget;
  /** A new client with its own sessions (stdio makes one; HTTP one per MCP session). */
  createClient(): AppClient;
  /** Shorthand for `createClient().server`. */
  createServer(): Server;
  /** Refuses new sessions, then closes every client's sessions and servers. */
  shutdown(): Promise<void>;
}

function configFrom(options: CliOptions): AppConfig {
  return {
    defaultBrowser: options.browser,
    headless: options.headless,
    chromePath: options.chromePath,
    chromedriverPath: options.chromedriverPath,
    firefoxPath: options.firefoxPath,
    outputDir: options.outputDir,
    maxSessions: options.maxSessions,
    allowAbsolutePaths: options.allowAbsolutePaths,
  };
}

/** What the app is built from besides its options; each part defaults to the real one. */
export interface AppDependencies {
  /** Starts (or connects to) a browser per session; default: the launcher the options choose. */
  launcher?: BrowserLauncher;
}

/** Wires configuration, the shared session budget and the tool list together. */
export function createApp(options: CliOptions, dependencies: AppDependencies = {}): App {
  const config = configFrom(options);
  const budget = new SessionBudget(options.maxSessions);
  const clients = new Set<AppClient>();
  const launcher =
    dependencies.launcher ??
    chooseLauncher({ webdriverUrl: options.webdriverUrl, webdriverCapabilities: options.webdriverCapabilities, bidiUrl: options.bidiUrl });

  const createClient = (): AppClient => {
    const context: AppContext = { version: VERSION, sessions: new SessionManager(budget, launcher), tokens: new ConfirmTokens(), config };
    const server = createMcpServer({ name: 'bidiscope', version: VERSION, instructions: INSTRUCTIONS }, allTools, context);
    let closing: Promise<void> | undefined;
    const client: AppClient = {
      context,
      server,
      close() {
        closing ??= (async () => {
          clients.delete(client);
          await context.sessions.closeAll();
          await server.close().catch(() => undefined);
        })();
        return closing;
      },
    };
    clients.add(client);
    return client;
  };

  return {
    config,
    budget,
    createClient,
    createServer: () => createClient().server,
    async shutdown() {
      budget.shutdown();
      await Promise.allSettled([...clients].map((client) => client.close()));
    },
  };
}
