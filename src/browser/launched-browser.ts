import type { BidiConnection } from './bidi-connection.js';
import type { BrowserIdentity } from './launch-options.js';
import type { OwnedProcess } from './owned-process.js';

/** A running browser with a BiDi session, owned by bidiscope. */
export interface LaunchedBrowser {
  identity: BrowserIdentity;
  bidi: BidiConnection;
  /** Processes started for this browser (for tests and diagnostics). */
  processes: readonly OwnedProcess[];
  /** Resolves with a reason when the browser or its driver process ends. Never rejects. */
  exited: Promise<string>;
  /** Ends the session, stops every process, removes temp dirs. Bounded; never throws. */
  close(): Promise<void>;
}
