import { buildHar, type Har } from '../har/index.js';
import type { NetworkEntry } from '../model/types.js';
import { redactEntry, redactUrl } from '../redact/index.js';
import type { BrowserSession } from '../sessions/browser-session.js';
import { ToolError } from '../mcp/tool.js';
import type { CaptureRecorder } from '../capture/recorder.js';

/**
 * Redacted copies of entries, reused while the entry is unchanged: a finished entry is redacted once, however many
 * searches, diffs and exports read it (redacting 10k entries costs ~1–2 s; searching the copies ~0.1 s). The stamp
 * is the entry's `revision`, which the capture's log bumps on every change it makes (events, bodies, shaping); an
 * entry without one (no log owns it) is redacted every time. Bounded: the least recently used copies go first, so
 * the cache never holds more than {@link MAX_REDACTED_COPIES} entries alive.
 */
const MAX_REDACTED_COPIES = 10_000;
const redactedCopies = new Map<NetworkEntry, { stamp: number; copy: NetworkEntry }>();

/** The entry as this session may show it: redacted unless the session exposes sensitive data. Do not modify it. */
export function redactedForSession(session: BrowserSession, entry: NetworkEntry): NetworkEntry {
  if (session.exposeSensitiveNetworkData) return entry;
  const stamp = entry.revision;
  if (stamp === undefined) return redactEntry(entry);
  const cached = redactedCopies.get(entry);
  redactedCopies.delete(entry);
  if (cached?.stamp === stamp) {
    redactedCopies.set(entry, cached);
    return cached.copy;
  }
  const copy = redactEntry(entry);
  redactedCopies.set(entry, { stamp, copy });
  if (redactedCopies.size > MAX_REDACTED_COPIES) {
    const oldest = redactedCopies.keys().next().value;
    if (oldest !== undefined) redactedCopies.delete(oldest);
  }
  return copy;
}

/**
 * The entry as one list line may show it. A line shows the URL, method, status, kind, size, duration and error name;
 * of those only the URL can carry secrets, so only the URL is redacted — a full {@link redactedForSession} deep copy of
 * every entry on a page of 100 costs far more than the page itself.
 */
export function urlRedactedForSession(session: BrowserSession, entry: NetworkEntry): NetworkEntry {
  return session.exposeSensitiveNetworkData ? entry : { ...entry, url: redactUrl(entry.url) };
}

/** The capture `captureId` names in the session (default: the latest), or an error that says why it is not there. */
export function requireCapture(session: BrowserSession, captureId?: string): CaptureRecorder {
  if (captureId === undefined) {
    const latest = session.capture;
    if (!latest) throw new ToolError(`Session ${session.id} has no network capture. Call start_network_capture first, then load the page.`);
    return latest;
  }
  const found = session.captures.find((capture) => capture.id === captureId);
  if (found) return found;
  const dropped = session.droppedCapture(captureId);
  if (dropped !== undefined) throw new ToolError(`Capture ${captureId} was dropped from ${session.id} (${dropped}); its entries are gone.`);
  const known = session.captures.map((capture) => capture.id).join(', ') || 'none';
  throw new ToolError(`Invalid "captureId": ${session.id} has no capture ${captureId} (it has: ${known}). list_captures lists them.`);
}

/** HAR 1.2 of entries already made {@link redactedForSession}, with the session's browser as the HAR's browser. */
export function harOfShownEntries(
  session: BrowserSession,
  shownEntries: readonly NetworkEntry[],
  version: string,
  includeBodies: boolean,
): Har {
  return buildHar(shownEntries, {
    creatorVersion: version,
    browser: { name: session.identity.name, version: session.identity.version },
    includeBodies,
  });
}

/**
 * The entry with this index: in `captureId` when given, else in whichever retained capture holds it (an index names
 * one request for the session's life, so it can only be in one). The error says why when it is in none.
 */
export function findEntry(session: BrowserSession, index: number, captureId?: string): { capture: CaptureRecorder; entry: NetworkEntry } {
  const chosen = requireCapture(session, captureId);
  const candidates = captureId === undefined ? [chosen, ...session.captures.filter((capture) => capture !== chosen)] : [chosen];
  for (const capture of candidates) {
    const entry = capture.entry(index);
    if (entry) return { capture, entry };
  }
  const entries = chosen.entries();
  const first = entries[0]?.index;
  const last = entries.at(-1)?.index;
  const range = first === undefined ? 'the capture is empty' : `valid indexes are ${first}–${last}`;
  const dropped = first !== undefined && index < first ? ' (cleared, dropped by maxEntries, or in a capture no longer kept)' : '';
  throw new ToolError(`No entry [${index}] in ${chosen.id}${dropped}: ${range}. Use list_network_requests to find one.`);
}
