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
  /** Extra capabilities for every new-session request to `webdriverUrl`. */
  webdriverCapabilities?: Record<string, unknown>;
  bidiUrl?: string;
}

/** Picks the launcher for the configured source. */
export function chooseLauncher(source: LauncherSource): BrowserLauncher {
  const { webdriverUrl, webdriverCapabilities, bidiUrl } = source;
  if (webdriverUrl !== undefined) {
    const endpoint = { url: webdriverUrl, ...(webdriverCapabilities ? { capabilities: webdriverCapabilities } : {}) };
    return (options) => connectWebDriverEndpoint(endpoint, options);
  }
  if (bidiUrl !== undefined) return (options) => attachBidiEndpoint(bidiUrl, options);
  return (options) => (options.browser === 'firefox' ? launchFirefox(options) : launchChrome(options));
}
