/**
 * A launcher that starts no browser: each session gets a {@link FakeBidi} connection and a {@link FakeBrowser}
 * that can be made to die. Plugged in through `createApp`'s `launcher` dependency.
 */
import type { BrowserLauncher } from '../../src/browser/launcher.js';
import type { BrowserIdentity, LaunchOptions } from '../../src/browser/launch-options.js';
import type { LaunchedBrowser } from '../../src/browser/launched-browser.js';
import { FakeBidi, type FakeBidiOptions } from './fake-bidi.js';

/** Versions the recorded fixtures came from. */
export const FAKE_IDENTITIES: Record<'chrome' | 'firefox', BrowserIdentity> = {
  chrome: { name: 'chrome', version: '156.0.7000.0' },
  firefox: { name: 'firefox', version: '153.0' },
};

/** A launched browser whose process is imaginary. */
export class FakeBrowser implements LaunchedBrowser {
  readonly processes = [];
  readonly exited: Promise<string>;
  closeCalls = 0;
  #exit: (reason: string) => void = () => undefined;

  constructor(
    readonly options: LaunchOptions,
    readonly bidi: FakeBidi,
    readonly identity: BrowserIdentity,
  ) {
    this.exited = new Promise((resolve) => {
      this.#exit = resolve;
    });
  }

  /** The browser process ends on its own (crash, killed): its connection drops too. */
  crash(reason = 'browser exited with code 1'): void {
    this.#exit(reason);
    this.bidi.drop(`BiDi connection closed (${reason})`);
  }

  async close(): Promise<void> {
    this.closeCalls += 1;
    this.bidi.close();
    this.#exit('closed by bidiscope');
  }
}

/** How {@link fakeLauncher} makes browsers. */
export interface FakeLauncherOptions extends FakeBidiOptions {
  /** Identity per browser (default {@link FAKE_IDENTITIES}). */
  identity?: (options: LaunchOptions) => BrowserIdentity;
  /** Scripts each new connection before the session uses it. */
  setup?: (bidi: FakeBidi, options: LaunchOptions) => void;
  /** Makes a launch fail with this error instead. */
  fail?: (options: LaunchOptions) => Error | undefined;
}

/** A launcher and every browser it made, newest last. */
export interface FakeLauncher {
  launcher: BrowserLauncher;
  browsers: FakeBrowser[];
  launches: LaunchOptions[];
}

/** A launcher that hands back fake browsers. */
export function fakeLauncher(options: FakeLauncherOptions = {}): FakeLauncher {
  const browsers: FakeBrowser[] = [];
  const launches: LaunchOptions[] = [];
  const launcher: BrowserLauncher = async (launch) => {
    launches.push(launch);
    const failure = options.fail?.(launch);
    if (failure) throw failure;
    const bidi = new FakeBidi(options);
    options.setup?.(bidi, launch);
    const browser = new FakeBrowser(launch, bidi, options.identity?.(launch) ?? FAKE_IDENTITIES[launch.browser]);
    browsers.push(browser);
    return browser;
  };
  return { launcher, browsers, launches };
}
