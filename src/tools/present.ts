import { buildHar, type Har } from '../har/index.js';
import type { NetworkEntry } from '../model/types.js';
import { redactEntry, redactUrl } from '../redact/index.js';
import type { BrowserSession } from '../sessions/browser-session.js';
import { ToolError } from '../mcp/tool.js';
import type { CaptureRecorder } from '../capture/recorder.js';

/** The entry as this session may show it: redacted unless the session exposes sensitive data. */
export function presentable(session: BrowserSession, entry: NetworkEntry): NetworkEntry {
  return session.exposeSensitiveNetworkData ? entry : redactEntry(entry);
}

/**
 * The entry as one list line may show it. A line shows the URL, method, status, kind, size, duration and error name;
 * of those only the URL can carry secrets, so only the URL is redacted — a full {@link presentable} deep copy of
 * every entry on a page of 100 costs far more than the page itself.
 */
export function listable(session: BrowserSession, entry: NetworkEntry): NetworkEntry {
  return session.exposeSensitiveNetworkData ? entry : { ...entry, url: redactUrl(entry.url) };
}

/** The session's capture (active or stopped), or a clear error. */
export function requireCapture(session: BrowserSession): CaptureRecorder {
  const capture = session.capture;
  if (!capture) {
    throw new ToolError(`Session ${session.id} has no network capture. Call start_network_capture first, then load the page.`);
  }
  return capture;
}

/** HAR 1.2 of entries already made {@link presentable}, with the session's browser as the HAR's browser. */
export function presentableHar(session: BrowserSession, shownEntries: readonly NetworkEntry[], version: string, includeBodies: boolean): Har {
  return buildHar(shownEntries, {
    creatorVersion: version,
    browser: { name: session.launched.identity.name, version: session.launched.identity.version },
    includeBodies,
  });
}
