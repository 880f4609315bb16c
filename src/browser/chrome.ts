import WebDriver from 'webdriver';
import { classicSessionBidi, type BidiConnection } from './bidi-connection.js';
import { findExecutable } from './find-executable.js';
import { findFreePort } from './free-port.js';
import type { BrowserIdentity, LaunchOptions } from './launch-options.js';
import { createTempDir, delay, isolatedEnvironment, OwnedProcess, removeTempDir } from './owned-process.js';
import type { LaunchedBrowser } from './launched-browser.js';

/** Chromium flags for a quiet, offline-friendly instance, wherever it runs (started here or by a WebDriver endpoint). */
export function chromeQuietArgs(options: LaunchOptions): string[] {
  const args = [
    '--disable-gpu',
    // Memory (BENCHMARKS.md, "Memory of the whole process tree"): a 1 MB V8 young generation keeps the BiDi mapper's
    // tab from growing by ~40 MB over 1,000 requests; no spare renderer waits for the next navigation (~15 MB).
    // chromedriver merges this --disable-features list with its own.
    '--js-flags=--max-semi-space-size=1',
    '--disable-features=SpareRendererForSitePerProcess',
    '--disable-quic',
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-default-apps',
    '--disable-extensions',
    '--metrics-recording-only',
  ];
  if (options.headless) args.push('--headless=new');
  if (options.userAgent !== undefined) args.push(`--user-agent=${options.userAgent}`);
  return args;
}

/** Chromium flags for an instance bidiscope starts: the quiet ones, plus its own profile and no OS keyring. */
export function chromeArgs(options: LaunchOptions, profileDir: string): string[] {
  const args = [
    '--no-sandbox',
    ...chromeQuietArgs(options),
    '--password-store=basic',
    '--use-mock-keychain',
    `--user-data-dir=${profileDir}`,
  ];
  if (options.viewport) args.push(`--window-size=${options.viewport.width},${options.viewport.height}`);
  return args;
}

async function waitForDriverReady(driver: OwnedProcess, port: number, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    if (!driver.running) {
      throw new Error(`chromedriver exited during start-up. Its output:\n${driver.outputTail || '(none)'}`);
    }
    try {
      const response = await fetch(`http://127.0.0.1:${port}/status`, { signal: AbortSignal.timeout(1000) });
      const body = (await response.json()) as { value?: { ready?: boolean } };
      if (body.value?.ready) return;
    } catch {
      // not listening yet
    }
    await delay(50);
  }
  throw new Error(`chromedriver did not become ready on port ${port}. Its output:\n${driver.outputTail || '(none)'}`);
}

/**
 * Starts chromedriver on a free loopback port, creates a classic WebDriver session with `webSocketUrl: true`
 * (WebdriverIO's `webdriver` package) and returns its BiDi connection. Everything started is stopped on failure.
 */
export async function launchChrome(options: LaunchOptions): Promise<LaunchedBrowser> {
  const chromePath = findExecutable('chrome', options.chromePath);
  const driverPath = findExecutable('chromedriver', options.chromedriverPath);
  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  const tempDir = createTempDir('chrome');
  let driver: OwnedProcess | undefined;
  let bidi: BidiConnection | undefined;
  try {
    const port = await findFreePort();
    driver = new OwnedProcess(
      'chromedriver',
      driverPath,
      [`--port=${port}`, '--allowed-ips=127.0.0.1', '--log-level=SEVERE'],
      isolatedEnvironment(tempDir),
    );
    await waitForDriverReady(driver, port, deadline);
    const client = await WebDriver.newSession({
      hostname: '127.0.0.1',
      port,
      protocol: 'http',
      path: '/',
      logLevel: 'silent',
      connectionRetryCount: 0,
      connectionRetryTimeout: Math.max(1000, deadline - Date.now()),
      capabilities: {
        browserName: 'chrome',
        webSocketUrl: true,
        acceptInsecureCerts: options.acceptInsecureCerts ?? false,
        'goog:chromeOptions': { binary: chromePath, args: chromeArgs(options, `${tempDir}/profile`) },
      },
    });
    bidi = await classicSessionBidi(
      client,
      () => new Error('chromedriver created a session without a BiDi WebSocket URL (is chromedriver older than 115?)'),
    );
    const caps = client.capabilities as { browserName?: string; browserVersion?: string };
    const identity: BrowserIdentity = { name: caps.browserName ?? 'chrome', version: caps.browserVersion ?? 'unknown' };
    const owned = { driver, bidi };
    return {
      identity,
      bidi,
      processes: [driver],
      async close() {
        owned.bidi.close();
        try {
          await Promise.race([client.deleteSession(), delay(3000)]);
        } catch {
          // the browser may already be gone
        }
        await owned.driver.stop();
        removeTempDir(tempDir);
      },
      exited: driver.exited.then(() => 'chromedriver exited'),
    };
  } catch (error) {
    bidi?.close();
    await driver?.stop(1000);
    removeTempDir(tempDir);
    throw error;
  }
}
