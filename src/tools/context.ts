import type { SessionManager } from '../sessions/session-manager.js';

/** Settings from the command line and environment that tools need. */
export interface AppConfig {
  defaultBrowser: 'chrome' | 'firefox';
  headless: boolean;
  chromePath?: string;
  chromedriverPath?: string;
  firefoxPath?: string;
  /** Where saved bodies, capture data and HAR files go. Absolute. */
  outputDir: string;
  maxSessions: number;
}

/** The narrow interface tool handlers get. */
export interface AppContext {
  config: AppConfig;
  sessions: SessionManager;
  version: string;
}
