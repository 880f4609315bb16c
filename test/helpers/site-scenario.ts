import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { isAnswerFromAnotherHop } from '../../src/model/bidi/redirect-race.js';
import { findHeader } from '../../src/model/headers.js';
import type { Header } from '../../src/model/types.js';
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
  responses: Array<{ index: number; url: string; status: number; mimeType?: string; bodyState?: string; headers?: Header[] }>;
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

/** The test page's redirect chain, in order. */
const REDIRECT_CHAIN = ['/r1', '/r2', '/final'] as const;

/**
 * The paths of the test page's redirect chain when Chromium's BiDi mapper gave one of its hops another hop's answer
 * (the race the model flags, src/model/bidi/redirect-race.ts): the chain's statuses and bodies are then what the
 * browser sent, not the site's. Empty when the chain is consistent.
 */
export function mixedUpRedirectChain(data: CapturedData): Set<string> {
  const urlOf = (path: string | undefined) => data.requests.find((request) => path !== undefined && pathOf(request.url) === path)?.url;
  const mixed = REDIRECT_CHAIN.some((path, i) => {
    const response = data.responses.find((item) => pathOf(item.url) === path);
    const url = urlOf(path);
    if (response === undefined || url === undefined) return false;
    return isAnswerFromAnotherHop({
      url,
      status: response.status,
      location: findHeader(response.headers ?? [], 'location'),
      earlierUrls: REDIRECT_CHAIN.slice(0, i)
        .reverse()
        .map((earlier) => urlOf(earlier))
        .filter((earlier): earlier is string => earlier !== undefined),
      nextUrl: urlOf(REDIRECT_CHAIN[i + 1]),
    });
  });
  return new Set(mixed ? REDIRECT_CHAIN : []);
}

/**
 * Asserts that a capture of the test site's main page (with `captureBodies: 'all'`) holds every request with its
 * status, the failed `/dead` request, the 3 MB body, the three WebSocket frames each way and the three SSE events.
 */
export function assertSitePageCaptured(data: CapturedData): void {
  const byPath = new Map(data.requests.map((request) => [pathOf(request.url), request]));
  const mixedUp = mixedUpRedirectChain(data);
  const statusOf = (path: string) => data.responses.find((response) => pathOf(response.url) === path)?.status;
  for (const [path, status] of [
    ['/', 200],
    ['/api/json', 200],
    ['/api/login', 200],
    ['/img.png', 200],
    ['/r1', 302],
    ['/r2', 302],
    ['/final', 200],
    ['/missing', 404],
    ['/gzip', 200],
    ['/large', 200],
    ['/sse', 200],
  ] as const) {
    assert.ok(byPath.has(path), `${path} missing from ${[...byPath.keys()].join(' ')}`);
    if (!mixedUp.has(path)) assert.equal(statusOf(path), status, `status of ${path}`);
  }
  assert.equal(byPath.get('/api/login')?.method, 'POST');
  assert.ok(
    [...byPath.keys()].some((path) => path.startsWith('/api/xhr?q=1')),
    'XHR captured',
  );
  const dead = data.requests.find((request) => request.url.includes('/dead'));
  assert.equal(dead?.state, 'failed');
  assert.match(String(dead?.error), /CONNECTION_REFUSED/);
  const sse = byPath.get('/sse');
  assert.equal(sse?.state, 'complete', 'an EventSource closed by the page is not a failure');
  const large = data.responses.find((response) => pathOf(response.url) === '/large');
  assert.equal(large?.bodyState, 'available', 'the 3 MB body was captured');

  const sent = data.wsFrames.filter((frame) => frame.direction === 'sent').map((frame) => frame.data);
  const received = data.wsFrames.filter((frame) => frame.direction === 'received').map((frame) => frame.data);
  assert.deepEqual(sent, ['hello-1', 'hello-2', '{"m":3}']);
  assert.deepEqual(received, ['echo:hello-1', 'echo:hello-2', 'echo:{"m":3}']);
  const stream = data.streamingResponses.find((item) => pathOf(item.url) === '/sse');
  assert.deepEqual(
    stream?.events.map((event) => event.data),
    ['sse-event-1', 'sse-event-2', 'sse-event-3'],
  );
  assert.deepEqual(
    stream?.events.map((event) => event.id),
    ['1', '2', '3'],
  );
}
