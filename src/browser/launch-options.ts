/** What a caller can ask of a new browser. */
export interface LaunchOptions {
  browser: 'chrome' | 'firefox';
  headless: boolean;
  viewport?: { width: number; height: number };
  userAgent?: string;
  acceptInsecureCerts?: boolean;
  /** Explicit executable paths from the CLI; undefined means search. */
  chromePath?: string;
  chromedriverPath?: string;
  firefoxPath?: string;
  /** Bound on the whole start-up, ms. */
  startTimeoutMs?: number;
}

/** The browser's identity as the session reports it. */
export interface BrowserIdentity {
  name: string;
  version: string;
}
