import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { CliOptions } from './cli/args.js';
import { createMcpServer } from './mcp/server.js';
import { SessionManager } from './sessions/session-manager.js';
import type { AppContext } from './tools/context.js';
import { ConfirmTokens } from './tools/confirm-tokens.js';
import { allTools } from './tools/index.js';
import { VERSION } from './version.js';

const INSTRUCTIONS =
  'bidiscope drives a real browser over WebDriver BiDi and records its network traffic. Typical flow: ' +
  'initialize_session → start_network_capture → navigate / evaluate_script → list_network_requests → ' +
  'get_request_details → export_har → close_session. Secrets are redacted unless the session exposes them.';

/** One application instance: context shared by the tools plus a factory for MCP servers bound to it. */
export interface App {
  context: AppContext;
  createServer(): Server;
  shutdown(): Promise<void>;
}

/** Wires configuration, the session manager and the tool list together. */
export function createApp(options: CliOptions): App {
  const sessions = new SessionManager(options.maxSessions);
  const context: AppContext = {
    version: VERSION,
    sessions,
    tokens: new ConfirmTokens(),
    config: {
      defaultBrowser: options.browser,
      headless: options.headless,
      chromePath: options.chromePath,
      chromedriverPath: options.chromedriverPath,
      firefoxPath: options.firefoxPath,
      outputDir: options.outputDir,
      maxSessions: options.maxSessions,
      allowAbsolutePaths: options.allowAbsolutePaths,
    },
  };
  return {
    context,
    createServer: () => createMcpServer({ name: 'bidiscope', version: VERSION, instructions: INSTRUCTIONS }, allTools, context),
    shutdown: () => sessions.closeAll(),
  };
}
