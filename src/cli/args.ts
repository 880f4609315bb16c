import { isAbsolute, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { tokenProblem } from '../mcp/http-guards.js';
import { parseWebDriverCapabilities } from './capabilities.js';

/** Everything the command line and `BIDISCOPE_*` environment can set. */
export interface CliOptions {
  browser: 'chrome' | 'firefox';
  headless: boolean;
  chromePath?: string;
  chromedriverPath?: string;
  firefoxPath?: string;
  webdriverUrl?: string;
  bidiUrl?: string;
  /** Extra W3C capabilities merged into every new-session request to --webdriver-url (may hold secrets: never log). */
  webdriverCapabilities?: Record<string, unknown>;
  outputDir: string;
  httpPort?: number;
  /** Bearer token for --http; generated at start-up when absent. */
  httpToken?: string;
  maxSessions: number;
  allowAbsolutePaths: boolean;
  showVersion: boolean;
  showHelp: boolean;
}

/** A bad flag or environment value; main prints it with the usage hint and exits 2. */
export class UsageError extends Error {}

/** The `--help` text. */
export const HELP_TEXT = `bidiscope — MCP server that records browser network traffic over WebDriver BiDi

Usage: bidiscope [options]                 (serves MCP over stdio)
       bidiscope --http PORT [options]     (serves MCP Streamable HTTP on http://127.0.0.1:PORT/mcp)
       bidiscope report FILE.har [-o OUT]  (writes a self-contained HTML waterfall of any HAR; see report --help)

Options (environment variable in brackets):
  --browser chrome|firefox   default browser for initialize_session [BIDISCOPE_BROWSER] (default chrome)
  --headless / --headed      default window mode [BIDISCOPE_HEADLESS=1|0] (default headless)
  --chrome-path P            Chrome/Chromium executable [BIDISCOPE_CHROME_PATH]
  --chromedriver-path P      chromedriver executable [BIDISCOPE_CHROMEDRIVER_PATH]
  --firefox-path P           Firefox executable [BIDISCOPE_FIREFOX_PATH]
  --webdriver-url URL        create sessions on an existing WebDriver endpoint with BiDi [BIDISCOPE_WEBDRIVER_URL]
  --webdriver-capabilities J JSON object of extra capabilities merged into every new-session request to
                             --webdriver-url, e.g. '{"se:name":"ci"}' or a cloud vendor's options; not webSocketUrl or
                             browserName; never logged (prefer the env var for keys) [BIDISCOPE_WEBDRIVER_CAPABILITIES]
  --bidi-url WS              attach to a running browser's BiDi endpoint [BIDISCOPE_BIDI_URL]
  --output-dir D             where bodies, capture data and HAR files are written [BIDISCOPE_OUTPUT_DIR] (default ./.bidiscope)
  --http PORT                serve Streamable HTTP on 127.0.0.1:PORT/mcp instead of stdio [BIDISCOPE_HTTP_PORT]
  --http-token T             bearer token HTTP clients must send (16+ printable characters; prefer the env var, argv
                             is visible to other local users) [BIDISCOPE_HTTP_TOKEN] (default: random, printed to stderr)
  --max-sessions N           concurrent browser sessions allowed, across all HTTP clients [BIDISCOPE_MAX_SESSIONS] (default 8)
  --allow-absolute-paths     let export_har write to absolute paths outside the output dir [BIDISCOPE_ALLOW_ABSOLUTE_PATHS=1]
  --version                  print version and runtime
  --help                     print this help

Browsers are found on this machine (flag, environment variable, PATH, well-known install paths); nothing is ever
downloaded. Logs go to stderr.

With --http, every request needs "Authorization: Bearer <token>"; the server listens on 127.0.0.1 only and refuses
non-loopback Host and Origin headers. Each MCP client gets its own browser sessions, closed when its MCP session ends.`;

function positiveInteger(text: string, name: string, max: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > max)
    throw new UsageError(`${name} must be a whole number from 1 to ${max}, got "${text}"`);
  return value;
}

/** Validates an endpoint URL; messages never repeat credentials (a cloud URL may carry a user name and key). */
function endpointUrl(text: string, flag: string, protocols: readonly string[]): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    const shown = text.includes('@') ? 'a text with "@" (not shown: it may hold credentials)' : `"${text}"`;
    throw new UsageError(`${flag} must be an absolute URL (${protocols.join(' or ')}), got ${shown}`);
  }
  if (!protocols.includes(url.protocol)) throw new UsageError(`${flag} must use ${protocols.join(' or ')}, got "${url.protocol}"`);
  return text;
}

/** Parses argv (without the runtime and script) and the environment. */
export function parseCli(argv: readonly string[], env: NodeJS.ProcessEnv, cwd: string): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        browser: { type: 'string' },
        headless: { type: 'boolean' },
        headed: { type: 'boolean' },
        'chrome-path': { type: 'string' },
        'chromedriver-path': { type: 'string' },
        'firefox-path': { type: 'string' },
        'webdriver-url': { type: 'string' },
        'webdriver-capabilities': { type: 'string' },
        'bidi-url': { type: 'string' },
        'output-dir': { type: 'string' },
        http: { type: 'string' },
        'http-token': { type: 'string' },
        'max-sessions': { type: 'string' },
        'allow-absolute-paths': { type: 'boolean' },
        version: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const flags = parsed.values;
  const browser = flags.browser ?? env.BIDISCOPE_BROWSER ?? 'chrome';
  if (browser !== 'chrome' && browser !== 'firefox') throw new UsageError(`--browser must be chrome or firefox, got "${browser}"`);
  if (flags.headless && flags.headed) throw new UsageError('--headless and --headed contradict each other');
  const envHeadless = env.BIDISCOPE_HEADLESS;
  const headless = flags.headed
    ? false
    : flags.headless
      ? true
      : envHeadless === undefined
        ? true
        : !['0', 'false', 'no'].includes(envHeadless.toLowerCase());
  const outputDirText = flags['output-dir'] ?? env.BIDISCOPE_OUTPUT_DIR ?? '.bidiscope';
  const httpText = flags.http ?? env.BIDISCOPE_HTTP_PORT;
  const maxSessionsText = flags['max-sessions'] ?? env.BIDISCOPE_MAX_SESSIONS;
  const options: CliOptions = {
    browser,
    headless,
    outputDir: isAbsolute(outputDirText) ? outputDirText : resolve(cwd, outputDirText),
    maxSessions: maxSessionsText === undefined ? 8 : positiveInteger(maxSessionsText, '--max-sessions', 64),
    allowAbsolutePaths: flags['allow-absolute-paths'] === true || env.BIDISCOPE_ALLOW_ABSOLUTE_PATHS === '1',
    showVersion: flags.version === true,
    showHelp: flags.help === true,
  };
  const chromePath = flags['chrome-path'];
  if (chromePath !== undefined) options.chromePath = chromePath;
  const chromedriverPath = flags['chromedriver-path'];
  if (chromedriverPath !== undefined) options.chromedriverPath = chromedriverPath;
  const firefoxPath = flags['firefox-path'];
  if (firefoxPath !== undefined) options.firefoxPath = firefoxPath;
  const webdriverUrl = flags['webdriver-url'] ?? env.BIDISCOPE_WEBDRIVER_URL;
  if (webdriverUrl !== undefined) options.webdriverUrl = endpointUrl(webdriverUrl, '--webdriver-url', ['http:', 'https:']);
  const bidiUrl = flags['bidi-url'] ?? env.BIDISCOPE_BIDI_URL;
  if (bidiUrl !== undefined) options.bidiUrl = endpointUrl(bidiUrl, '--bidi-url', ['ws:', 'wss:']);
  if (options.webdriverUrl !== undefined && options.bidiUrl !== undefined) {
    throw new UsageError('--webdriver-url and --bidi-url are alternatives; give one');
  }
  const capabilitiesText = flags['webdriver-capabilities'] ?? (env.BIDISCOPE_WEBDRIVER_CAPABILITIES || undefined);
  if (flags['webdriver-capabilities'] !== undefined && options.webdriverUrl === undefined) {
    throw new UsageError('--webdriver-capabilities needs --webdriver-url URL');
  }
  if (capabilitiesText !== undefined && options.webdriverUrl !== undefined) {
    const parsed = parseWebDriverCapabilities(capabilitiesText);
    const from = flags['webdriver-capabilities'] !== undefined ? '--webdriver-capabilities' : 'BIDISCOPE_WEBDRIVER_CAPABILITIES';
    if ('problem' in parsed) throw new UsageError(`${from} ${parsed.problem}`);
    options.webdriverCapabilities = parsed.capabilities;
  }
  if (httpText !== undefined) options.httpPort = positiveInteger(httpText, '--http', 65535);
  const httpToken = flags['http-token'] ?? (env.BIDISCOPE_HTTP_TOKEN || undefined);
  if (flags['http-token'] !== undefined && options.httpPort === undefined) throw new UsageError('--http-token needs --http PORT');
  if (httpToken !== undefined && options.httpPort !== undefined) {
    const problem = tokenProblem(httpToken);
    if (problem) throw new UsageError(`--http-token ${problem}`);
    options.httpToken = httpToken;
  }
  return options;
}
