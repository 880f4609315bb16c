import { PAGE_SHIM_LIMITATIONS } from './page-shim.js';

/** What network capture can record in a given browser build, from measured minimum versions. */
export interface CaptureSupport {
  requestBodies: boolean;
  responseBodies: boolean;
  webSocketFrames: 'page shim';
  serverSentEvents: 'page shim';
  notes: string[];
}

function majorVersion(version: string): number | undefined {
  const major = Number.parseInt(version.split('.')[0] ?? '', 10);
  return Number.isFinite(major) ? major : undefined;
}

/**
 * BiDi data collectors: Chrome ≥ 140 responses, ≥ 142 requests; Firefox ≥ 143 responses, ≥ 146 requests.
 * WebSocket frames and EventSource messages come from a preload script (BiDi has no events for them).
 */
export function captureSupportFor(browser: 'chrome' | 'firefox', version: string): CaptureSupport {
  const major = majorVersion(version);
  const [responseMin, requestMin] = browser === 'chrome' ? [140, 142] : [143, 146];
  const known = major !== undefined;
  const notes = [`WebSocket frames and EventSource messages are recorded by a preload script. ${PAGE_SHIM_LIMITATIONS.join(' ')}`];
  if (browser === 'chrome')
    notes.push('Chromium sends no network events for WebSocket handshakes; those entries are built from the page script.');
  if (browser === 'firefox') notes.push('Firefox sends no initiator details.');
  if (!known) notes.push(`Browser version "${version}" not understood; body capture assumed available.`);
  return {
    requestBodies: !known || major >= requestMin,
    responseBodies: !known || major >= responseMin,
    webSocketFrames: 'page shim',
    serverSentEvents: 'page shim',
    notes,
  };
}
