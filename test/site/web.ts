/**
 * The test web: every origin the tests load, on 127.0.0.1, started together.
 *
 * - `http`: the test site over HTTP/1.1 (the index page and its routes, plus `/timed`);
 * - `https`: HTTPS + HTTP/2 with a self-signed certificate made at start (`/blank`, `/timed`); open browser sessions
 *   with `acceptInsecureCerts: true`.
 *
 * `/timed?ttfb=MS&body=MS&id=ID` on either origin records server-side hooks in the shared {@link TimedLog}.
 */
import { startSecureOrigin, type SecureOrigin } from './secure.js';
import { startTestSite, type TestSite } from './server.js';
import { TimedLog } from './timed.js';

export { TIMED_CHUNK_BYTES, TIMED_MAX_MS, TimedLog } from './timed.js';
export type { ConnectionRecord, TimedRecord } from './timed.js';

/** The running test web. */
export interface TestWeb {
  /** HTTP/1.1 origin (`http://127.0.0.1:<port>`). */
  http: TestSite;
  /** HTTPS + HTTP/2 origin (`https://127.0.0.1:<port>`). */
  https: SecureOrigin;
  /** Hooks of every `/timed` request on both origins. */
  timed: TimedLog;
  /** Stops both origins (bounded). */
  close(): Promise<void>;
}

/** The protocols the test web serves, with the origin that serves each. */
export type WebProtocol = 'h1' | 'h2';

/** The origin of the test web that speaks `protocol`. */
export function originFor(web: TestWeb, protocol: WebProtocol): string {
  return protocol === 'h1' ? web.http.origin : web.https.origin;
}

/** Starts both origins on 127.0.0.1 (random ports). */
export async function startTestWeb(): Promise<TestWeb> {
  const timed = new TimedLog();
  const http = await startTestSite({ timed });
  let https: SecureOrigin;
  try {
    https = await startSecureOrigin(timed);
  } catch (error) {
    await http.close();
    throw error;
  }
  return {
    http,
    https,
    timed,
    close: async () => {
      await Promise.all([http.close(), https.close()]);
    },
  };
}
