import type { SessionManager } from '../sessions/session-manager.js';
import type { ConfirmTokens } from './confirm-tokens.js';

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
  /** When true, export paths may be absolute and outside outputDir (--allow-absolute-paths). */
  allowAbsolutePaths: boolean;
}

/** The narrow interface tool handlers get. */
export interface AppContext {
  config: AppConfig;
  sessions: SessionManager;
  tokens: ConfirmTokens;
  version: string;
}
