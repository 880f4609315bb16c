import { chromeQuietArgs } from './chrome.js';
import { firefoxQuietPrefs } from './firefox.js';
import WebDriver from 'webdriver';
import { redactKnownValues, stringLeaves } from '../redact/index.js';
import { classicSessionBidi, connectBidi, type BidiConnection } from './bidi-connection.js';
import { mergeCapabilities } from './capabilities.js';
import { displayEndpoint, endpointStatus, gridSessionTimeoutMs, newSessionTimeoutMessage } from './endpoint-status.js';
import { keepAliveInterval, startKeepAlive } from './keep-alive.js';
import type { BrowserIdentity, LaunchOptions } from './launch-options.js';
import type { LaunchedBrowser } from './launched-browser.js';
import { delay } from './owned-process.js';
import { isRequestTimeout } from './webdriverio-internals.js';

/** The connection with every close reason prefixed by where it led, e.g. "connection to the WebDriver endpoint … lost". */
function labelled(bidi: BidiConnection, label: string): BidiConnection {
  return {
    get closed() {
      return bidi.closed;
    },
    send: (method, params, timeoutMs) => bidi.send(method, params, timeoutMs),
    on: (event, listener) => bidi.on(event, listener),
    off: (event, listener) => bidi.off(event, listener),
    onClose: (listener) => bidi.onClose((reason) => listener(`${label}: ${reason}`)),
    close: () => bidi.close(),
  };
}

/**
 * A session bidiscope did not start: closing it ends the session but stops no process. When the endpoint goes away
 * (a grid stopped, a cloud dropped the session) the session dies as with a browser crash, with `label` in the reason.
 */
function remoteBrowser(
  identity: BrowserIdentity,
  connection: BidiConnection,
  end: () => Promise<unknown>,
  label: string,
  keepAliveMs?: number,
): LaunchedBrowser {
  const bidi = labelled(connection, label);
  let resolveExited: (reason: string) => void = () => undefined;
  const exited = new Promise<string>((resolve) => {
    resolveExited = resolve;
  });
  bidi.onClose((reason) => resolveExited(reason));
  const stopKeepAlive =
    keepAliveMs === undefined ? () => undefined : startKeepAlive(bidi, keepAliveMs, (reason) => resolveExited(`${label}: ${reason}`));
  bidi.onClose(stopKeepAlive);
  return {
    identity,
    bidi,
    processes: [],
    exited,
    async close() {
      stopKeepAlive();
      try {
        await Promise.race([end(), delay(5000)]);
      } catch {
        // the remote side may already have ended the session
      }
      bidi.close();
    },
  };
}

/**
 * The capabilities bidiscope asks a WebDriver endpoint for: the same quiet Chromium flags or Firefox preferences as a
 * browser it starts itself, with BiDi (`webSocketUrl`). The operator's extra capabilities are merged over these.
 */
export function webdriverCapabilities(options: LaunchOptions): Record<string, unknown> {
  const args: string[] = [];
  if (options.browser === 'chrome') {
    // The sandbox cannot start as root; a loopback endpoint run by root needs it off (a grid decides for itself).
    if (process.getuid?.() === 0) args.push('--no-sandbox');
    args.push(...chromeQuietArgs(options));
    return {
      browserName: 'chrome',
      webSocketUrl: true,
      acceptInsecureCerts: options.acceptInsecureCerts ?? false,
      'goog:chromeOptions': { args },
    };
  }
  if (options.headless) args.push('-headless');
  return {
    browserName: 'firefox',
    webSocketUrl: true,
    acceptInsecureCerts: options.acceptInsecureCerts ?? false,
    'moz:firefoxOptions': { args, prefs: firefoxQuietPrefs(options) },
  };
}

/** A percent-decoded URL user name or password (as given when its encoding is broken). */
function decoded(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/** Where and how to create sessions on a WebDriver endpoint. */
export interface WebDriverEndpoint {
  url: string;
  /** The operator's extra capabilities (--webdriver-capabilities), merged into every new-session request. */
  capabilities?: Record<string, unknown>;
}

/**
 * Creates a session on an existing WebDriver endpoint with BiDi support (a Selenium Grid, a cloud, a remote
 * chromedriver or geckodriver): classic new session with `webSocketUrl: true`, then BiDi on the returned URL (without
 * permessage-deflate where the endpoint negotiated it). Credentials in the URL go out as HTTP basic auth on the
 * new-session request; they and the operator's capabilities are hidden in every error message.
 */
export async function connectWebDriverEndpoint(endpoint: WebDriverEndpoint | string, options: LaunchOptions): Promise<LaunchedBrowser> {
  const target = typeof endpoint === 'string' ? { url: endpoint } : endpoint;
  const url = new URL(target.url);
  const secrets = [
    ...stringLeaves(target.capabilities ?? {}),
    ...stringLeaves([decoded(url.username), decoded(url.password), url.username, url.password]),
  ];
  const shown = displayEndpoint(url);
  const protocol = url.protocol === 'https:' ? 'https' : 'http';
  const port = url.port === '' ? (protocol === 'https' ? 443 : 80) : Number(url.port);
  const timeoutMs = options.startTimeoutMs ?? 30_000;
  const started = Date.now();
  let client: Awaited<ReturnType<typeof WebDriver.newSession>>;
  try {
    client = await WebDriver.newSession({
      protocol,
      hostname: url.hostname,
      port,
      path: url.pathname === '' ? '/' : url.pathname,
      ...(url.username !== '' ? { user: decoded(url.username), key: decoded(url.password) } : {}),
      logLevel: 'silent',
      connectionRetryCount: 0,
      connectionRetryTimeout: timeoutMs,
      capabilities: mergeCapabilities(webdriverCapabilities(options), target.capabilities),
    });
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    const timedOut = isRequestTimeout(text) || Date.now() - started >= timeoutMs;
    const message = timedOut
      ? await newSessionTimeoutMessage(url, shown, timeoutMs)
      : `The WebDriver endpoint ${shown} could not create a session: ${text}`;
    throw new Error(redactKnownValues(message, secrets));
  }
  const endSession = () => client.deleteSession();
  try {
    const bidi = await classicSessionBidi(
      client,
      () => new Error(`The WebDriver endpoint ${shown} created a session without BiDi (no webSocketUrl). It needs WebDriver BiDi support.`),
    );
    const caps = client.capabilities as { browserName?: string; browserVersion?: string };
    const identity = { name: caps.browserName ?? options.browser, version: caps.browserVersion ?? 'unknown' };
    const keepAliveMs = keepAliveInterval(gridSessionTimeoutMs(await endpointStatus(url)));
    return remoteBrowser(identity, bidi, endSession, `connection to the WebDriver endpoint ${shown} lost`, keepAliveMs);
  } catch (error) {
    await Promise.race([endSession().catch(() => undefined), delay(5000)]);
    throw new Error(redactKnownValues(error instanceof Error ? error.message : String(error), secrets));
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
    const identity = {
      name: session.capabilities.browserName ?? options.browser,
      version: session.capabilities.browserVersion ?? 'unknown',
    };
    return remoteBrowser(identity, bidi, () => bidi.send('session.end', {}, 3000), `connection to the BiDi endpoint ${trimmed} lost`);
  } catch (error) {
    bidi.close();
    throw new Error(
      `Could not start a BiDi session at ${sessionUrl}: ${error instanceof Error ? error.message : String(error)}. ` +
        'A browser allows one BiDi session at a time; close other clients of that endpoint.',
    );
  }
}
