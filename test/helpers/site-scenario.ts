import { readFileSync } from 'node:fs';
import type { ServerUnderTest } from './mcp-server.js';

/** Polls `check` until it returns a value that is not undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await check();
    if (last !== undefined) return last;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** Capture counters as get_network_capture_status reports them. */
export interface CaptureCounts {
  requests: number;
  responses: number;
  wsFrames: number;
  streamingResponses: number;
  failed: number;
  streamEvents: number;
  retained: number;
  dropped: number;
  filtered: number;
  bodiesPending: number;
}

/** Current capture counters of a session. */
export async function captureCounts(server: ServerUnderTest, sessionId: string): Promise<CaptureCounts> {
  const status = await server.call('get_network_capture_status', { sessionId });
  return { ...(status.structured?.currentStats as object), ...(status.structured?.extraStats as object) } as CaptureCounts;
}

/**
 * Loads the test site's main page and waits until the page reports done and the capture holds its WebSocket frames
 * and SSE events (page-shim messages may trail the page's own completion slightly).
 */
export async function loadSitePage(server: ServerUnderTest, sessionId: string, origin: string): Promise<void> {
  const nav = await server.call('navigate', { sessionId, url: `${origin}/` });
  if (nav.isError) throw new Error(nav.text);
  await waitFor('the test page to finish', async () => {
    const done = await server.call('evaluate_script', { sessionId, expression: 'window.__siteDone === true' });
    return done.structured?.result === true ? true : undefined;
  });
  await waitFor('WebSocket frames and SSE events in the capture', async () => {
    const counts = await captureCounts(server, sessionId);
    return counts.wsFrames >= 6 && counts.streamEvents >= 3 && counts.bodiesPending === 0 ? true : undefined;
  });
}

/** Captured request records as stop_network_capture returns them (inline, or from the file it wrote). */
export interface CapturedData {
  requests: Array<{ index: number; method: string; url: string; resourceType: string; state: string; error?: string; bodyState?: string }>;
  responses: Array<{ index: number; url: string; status: number; mimeType?: string; bodyState?: string }>;
  wsFrames: Array<{ index: number; direction: string; data?: string; opcode: number }>;
  streamingResponses: Array<{ index: number; url: string; events: Array<{ data: string; id?: string; event: string }> }>;
}

/** Reads `data` from a stop_network_capture result. */
export function capturedData(structured: Record<string, unknown> | undefined): CapturedData {
  const data = structured?.data as Record<string, unknown> | undefined;
  if (!data) throw new Error('no data in stop_network_capture result');
  if (typeof data.file === 'string') {
    return (JSON.parse(readFileSync(data.file, 'utf8')) as { data: CapturedData }).data;
  }
  return data as unknown as CapturedData;
}

/** The path of a URL (with query). */
export function pathOf(url: string): string {
  const parsed = new URL(url);
  return parsed.pathname + parsed.search;
}
