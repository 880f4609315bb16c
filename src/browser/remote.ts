import WebDriver, { type BidiHandler } from 'webdriver';
import { connectBidi, wrapHandler, type BidiConnection } from './bidi-connection.js';
import type { BrowserIdentity, LaunchOptions } from './launch-options.js';
import type { LaunchedBrowser } from './launched-browser.js';
import { delay } from './owned-process.js';

/** A session bidiscope did not start: closing it ends the session but stops no process. */
function remoteBrowser(identity: BrowserIdentity, bidi: BidiConnection, end: () => Promise<unknown>): LaunchedBrowser {
  let resolveExited: (reason: string) => void = () => undefined;
  const exited = new Promise<string>((resolve) => {
    resolveExited = resolve;
  });
  bidi.onClose((reason) => resolveExited(`remote endpoint: ${reason}`));
  return {
    identity,
    bidi,
    processes: [],
    exited,
    async close() {
      try {
        await Promise.race([end(), delay(5000)]);
      } catch {
        // the remote side may already have ended the session
      }
      bidi.close();
    },
  };
}

function webdriverCapabilities(options: LaunchOptions): Record<string, unknown> {
  const args: string[] = [];
  if (options.browser === 'chrome') {
    // The sandbox cannot start as root; a loopback endpoint run by root needs it off (a grid decides for itself).
    if (process.getuid?.() === 0) args.push('--no-sandbox');
    args.push('--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync');
    if (options.headless) args.push('--headless=new');
    if (options.userAgent !== undefined) args.push(`--user-agent=${options.userAgent}`);
    return { browserName: 'chrome', webSocketUrl: true, acceptInsecureCerts: options.acceptInsecureCerts ?? false, 'goog:chromeOptions': { args } };
  }
  if (options.headless) args.push('-headless');
  const prefs = options.userAgent !== undefined ? { 'general.useragent.override': options.userAgent } : {};
  return { browserName: 'firefox', webSocketUrl: true, acceptInsecureCerts: options.acceptInsecureCerts ?? false, 'moz:firefoxOptions': { args, prefs } };
}

/**
 * Creates a session on an existing WebDriver endpoint with BiDi support (a Selenium Grid, a remote chromedriver or
 * geckodriver): classic new session with `webSocketUrl: true`, then BiDi on the returned URL.
 */
export async function connectWebDriverEndpoint(endpoint: string, options: LaunchOptions): Promise<LaunchedBrowser> {
  const url = new URL(endpoint);
  const protocol = url.protocol === 'https:' ? 'https' : 'http';
  const port = url.port === '' ? (protocol === 'https' ? 443 : 80) : Number(url.port);
  const client = await WebDriver.newSession({
    protocol,
    hostname: url.hostname,
    port,
    path: url.pathname === '' ? '/' : url.pathname,
    logLevel: 'silent',
    connectionRetryCount: 0,
    connectionRetryTimeout: options.startTimeoutMs ?? 30_000,
    capabilities: webdriverCapabilities(options),
  });
  const endSession = () => client.deleteSession();
  try {
    const handler = (client as unknown as { _bidiHandler?: BidiHandler })._bidiHandler;
    const webSocketUrl = (client.capabilities as { webSocketUrl?: unknown }).webSocketUrl;
    let bidi: BidiConnection;
    if (handler?.isConnected) bidi = wrapHandler(handler);
    else if (typeof webSocketUrl === 'string') bidi = await connectBidi(webSocketUrl);
    else throw new Error(`The WebDriver endpoint ${endpoint} created a session without BiDi (no webSocketUrl). It needs WebDriver BiDi support.`);
    const caps = client.capabilities as { browserName?: string; browserVersion?: string };
    return remoteBrowser({ name: caps.browserName ?? options.browser, version: caps.browserVersion ?? 'unknown' }, bidi, endSession);
  } catch (error) {
    await Promise.race([endSession().catch(() => undefined), delay(5000)]);
    throw error;
  }
}

/**
 * Attaches to a running browser's BiDi WebSocket endpoint (e.g. Firefox started with `--remote-debugging-port`):
 * connects to `<url>/session` and sends `session.new`. The browser keeps running after close_session.
 */
export async function attachBidiEndpoint(endpoint: string, options: LaunchOptions): Promise<LaunchedBrowser> {
  const trimmed = endpoint.replace(/\/+$/, '');
  const sessionUrl = trimmed.endsWith('/session') ? trimmed : `${trimmed}/session`;
  const bidi = await connectBidi(sessionUrl);
  try {
    const session = await bidi.send<{ capabilities: { browserName?: string; browserVersion?: string } }>(
      'session.new',
      { capabilities: { alwaysMatch: { acceptInsecureCerts: options.acceptInsecureCerts ?? false } } },
      options.startTimeoutMs ?? 30_000,
    );
    const identity = { name: session.capabilities.browserName ?? options.browser, version: session.capabilities.browserVersion ?? 'unknown' };
    return remoteBrowser(identity, bidi, () => bidi.send('session.end', {}, 3000));
  } catch (error) {
    bidi.close();
    throw new Error(
      `Could not start a BiDi session at ${sessionUrl}: ${error instanceof Error ? error.message : String(error)}. ` +
        'A browser allows one BiDi session at a time; close other clients of that endpoint.',
    );
  }
}
