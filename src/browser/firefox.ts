import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectBidi, type BidiConnection } from './bidi-connection.js';
import { findExecutable } from './find-executable.js';
import type { LaunchOptions } from './launch-options.js';
import type { LaunchedBrowser } from './launched-browser.js';
import { createTempDir, delay, isolatedEnvironment, OwnedProcess, removeTempDir } from './owned-process.js';

/** A Firefox preference value. */
export type FirefoxPrefValue = string | number | boolean;

/**
 * Preferences that keep a fresh Firefox profile quiet and offline, wherever it runs: written to the profile's
 * `user.js` of a Firefox started here, sent as `moz:firefoxOptions.prefs` to a WebDriver endpoint.
 */
export function firefoxQuietPrefs(options: LaunchOptions): Record<string, FirefoxPrefValue> {
  const prefs: Record<string, FirefoxPrefValue> = {
    'app.update.enabled': false,
    'app.update.auto': false,
    'browser.shell.checkDefaultBrowser': false,
    'browser.startup.homepage_override.mstone': 'ignore',
    'browser.newtabpage.enabled': false,
    'browser.safebrowsing.malware.enabled': false,
    'browser.safebrowsing.phishing.enabled': false,
    'browser.safebrowsing.downloads.enabled': false,
    'datareporting.policy.dataSubmissionEnabled': false,
    'datareporting.healthreport.uploadEnabled': false,
    'toolkit.telemetry.enabled': false,
    'network.captive-portal-service.enabled': false,
    'network.connectivity-service.enabled': false,
    'extensions.update.enabled': false,
    'extensions.getAddons.cache.enabled': false,
    'browser.region.network.url': '',
    'browser.search.update': false,
    'services.settings.server': 'http://127.0.0.1:9/',
    'network.dns.disablePrefetch': true,
    'network.prefetch-next': false,
    'remote.prefs.recommended': true,
    // No content processes started ahead of need (three with Fission): ~33 MB PSS less per session (BENCHMARKS.md).
    'dom.ipc.processPrelaunch.enabled': false,
    // A JSON URL loads as a plain document (as in Chromium): with the JSON viewer on, page scripts would run in the
    // viewer, where fetch fails and the body text is the viewer's UI.
    'devtools.jsonview.enabled': false,
  };
  if (options.userAgent !== undefined) prefs['general.useragent.override'] = options.userAgent;
  return prefs;
}

/** The quiet preferences as the lines of the `user.js` of a profile bidiscope makes. */
export function firefoxUserJs(options: LaunchOptions): string {
  return Object.entries(firefoxQuietPrefs(options))
    .map(([name, value]) => `user_pref(${JSON.stringify(name)}, ${JSON.stringify(value)});`)
    .join('\n');
}

/** Waits for `WebDriver BiDi listening on ws://…` in Firefox's output. */
async function waitForBidiEndpoint(firefox: OwnedProcess, deadline: number): Promise<string> {
  while (Date.now() < deadline) {
    const match = /WebDriver BiDi listening on (ws:\/\/[^\s]+)/.exec(firefox.outputTail);
    if (match?.[1]) return match[1];
    if (!firefox.running) throw new Error(`Firefox exited during start-up. Its output:\n${firefox.outputTail || '(none)'}`);
    await delay(25);
  }
  throw new Error(`Firefox did not open its BiDi endpoint in time. Its output:\n${firefox.outputTail || '(none)'}`);
}

interface SessionNewResult {
  sessionId: string;
  capabilities: { browserName?: string; browserVersion?: string };
}

/** Launches Firefox with its native WebDriver BiDi server (no geckodriver) and opens a BiDi-only session. */
export async function launchFirefox(options: LaunchOptions): Promise<LaunchedBrowser> {
  const firefoxPath = findExecutable('firefox', options.firefoxPath);
  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  const tempDir = createTempDir('firefox');
  const profileDir = join(tempDir, 'profile');
  mkdirSync(profileDir);
  writeFileSync(join(profileDir, 'user.js'), firefoxUserJs(options));
  const args = ['--no-remote', '--profile', profileDir, '--remote-debugging-port=0'];
  if (options.headless) args.push('--headless');
  if (options.viewport) args.push('--width', String(options.viewport.width), '--height', String(options.viewport.height));
  args.push('about:blank');
  const firefox = new OwnedProcess('firefox', firefoxPath, args, isolatedEnvironment(tempDir, { MOZ_CRASHREPORTER_DISABLE: '1' }));
  let bidi: BidiConnection | undefined;
  try {
    const endpoint = await waitForBidiEndpoint(firefox, deadline);
    bidi = await connectBidi(`${endpoint.replace(/\/$/, '')}/session`);
    const session = await bidi.send<SessionNewResult>(
      'session.new',
      {
        capabilities: {
          alwaysMatch: { acceptInsecureCerts: options.acceptInsecureCerts ?? false, unhandledPromptBehavior: { default: 'ignore' } },
        },
      },
      Math.max(1000, deadline - Date.now()),
    );
    const connection = bidi;
    return {
      identity: { name: session.capabilities.browserName ?? 'firefox', version: session.capabilities.browserVersion ?? 'unknown' },
      bidi: connection,
      processes: [firefox],
      async close() {
        try {
          if (!connection.closed) await connection.send('session.end', {}, 2000);
        } catch {
          // browser already gone or busy: the process stop below handles it
        }
        connection.close();
        await firefox.stop();
        removeTempDir(tempDir);
      },
      exited: firefox.exited.then(() => 'Firefox exited'),
    };
  } catch (error) {
    bidi?.close();
    await firefox.stop(1000);
    removeTempDir(tempDir);
    throw error;
  }
}
