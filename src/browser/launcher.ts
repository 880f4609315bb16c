import { launchChrome } from './chrome.js';
import { launchFirefox } from './firefox.js';
import type { LaunchOptions } from './launch-options.js';
import type { LaunchedBrowser } from './launched-browser.js';
import { attachBidiEndpoint, connectWebDriverEndpoint } from './remote.js';

/** Starts (or connects to) a browser for one session. */
export type BrowserLauncher = (options: LaunchOptions) => Promise<LaunchedBrowser>;

/** Where sessions come from: local browsers, a remote WebDriver endpoint, or a running browser's BiDi endpoint. */
export interface LauncherSource {
  webdriverUrl?: string;
  bidiUrl?: string;
}

/** Picks the launcher for the configured source. */
export function chooseLauncher(source: LauncherSource): BrowserLauncher {
  const { webdriverUrl, bidiUrl } = source;
  if (webdriverUrl !== undefined) return (options) => connectWebDriverEndpoint(webdriverUrl, options);
  if (bidiUrl !== undefined) return (options) => attachBidiEndpoint(bidiUrl, options);
  return (options) => (options.browser === 'firefox' ? launchFirefox(options) : launchChrome(options));
}
