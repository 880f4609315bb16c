/**
 * Reads HAR 1.2 written by any producer (bidiscope, Chrome DevTools, Firefox DevTools, Playwright) into bidiscope's
 * HAR types: required fields checked, optional ones defaulted, producer extras (`_resourceType`, `_webSocketMessages`,
 * `_eventSourceMessages`, `_error`) kept when well-formed. Pure: the caller reads the file.
 */
import * as v from 'valibot';
import type { Har, HarEntry, HarEventSourceMessage, HarNameValue, HarWebSocketMessage } from './types.js';

/** A file that is not JSON, or JSON that is not HAR; the message names the first bad field. */
export class HarReadError extends Error {}

const nameValues = v.optional(v.array(v.looseObject({ name: v.string(), value: v.optional(v.string(), '') })), []);
const num = (fallback: number) =>
  v.optional(
    v.pipe(
      v.unknown(),
      v.transform((value) => (typeof value === 'number' && Number.isFinite(value) ? value : fallback)),
    ),
    fallback,
  );

const entrySchema = v.looseObject({
  pageref: v.optional(v.string()),
  startedDateTime: v.pipe(
    v.string('an ISO date string'),
    v.check((text) => Number.isFinite(Date.parse(text)), 'an ISO date'),
  ),
  time: num(-1),
  request: v.looseObject({
    method: v.string('an HTTP method'),
    url: v.string('a URL'),
    httpVersion: v.optional(v.string(), ''),
    headers: nameValues,
    cookies: v.optional(v.array(v.looseObject({ name: v.string(), value: v.optional(v.string(), '') })), []),
    queryString: nameValues,
    postData: v.optional(v.looseObject({ mimeType: v.optional(v.string(), ''), text: v.optional(v.string()) })),
    headersSize: num(-1),
    bodySize: num(-1),
  }),
  response: v.looseObject({
    status: v.pipe(
      v.unknown(),
      v.transform((value) => (typeof value === 'number' && Number.isFinite(value) ? value : 0)),
    ),
    statusText: v.optional(v.string(), ''),
    httpVersion: v.optional(v.string(), ''),
    headers: nameValues,
    cookies: v.optional(v.array(v.looseObject({ name: v.string(), value: v.optional(v.string(), '') })), []),
    content: v.optional(
      v.looseObject({
        size: num(-1),
        mimeType: v.optional(v.string(), ''),
        text: v.optional(v.string()),
        encoding: v.optional(v.string()),
      }),
      { size: -1, mimeType: '' },
    ),
    redirectURL: v.optional(v.string(), ''),
    headersSize: num(-1),
    bodySize: num(-1),
  }),
  timings: v.optional(
    v.looseObject({
      blocked: num(-1),
      dns: num(-1),
      connect: num(-1),
      ssl: num(-1),
      send: num(-1),
      wait: num(-1),
      receive: num(-1),
    }),
    { blocked: -1, dns: -1, connect: -1, ssl: -1, send: -1, wait: -1, receive: -1 },
  ),
  _resourceType: v.optional(v.string()),
  _error: v.optional(v.string()),
  _webSocketMessages: v.optional(v.array(v.unknown())),
  _eventSourceMessages: v.optional(v.array(v.unknown())),
});

const harSchema = v.looseObject({
  log: v.looseObject({
    version: v.optional(v.string(), '1.2'),
    creator: v.optional(v.looseObject({ name: v.optional(v.string(), ''), version: v.optional(v.string(), '') }), {
      name: '',
      version: '',
    }),
    browser: v.optional(v.looseObject({ name: v.optional(v.string(), ''), version: v.optional(v.string(), '') })),
    pages: v.optional(
      v.array(
        v.looseObject({
          id: v.string(),
          startedDateTime: v.string(),
          title: v.optional(v.string(), ''),
          pageTimings: v.optional(v.looseObject({}), {}),
        }),
      ),
    ),
    entries: v.array(entrySchema, 'an array of entries'),
  }),
});

/** Epoch ms from a HAR message time (seconds in Chrome's and bidiscope's HAR; some tools write ms). */
function epochMs(time: number): number {
  return time < 1e11 ? time * 1000 : time;
}

function webSocketMessages(raw: readonly unknown[] | undefined): HarWebSocketMessage[] | undefined {
  if (!raw) return undefined;
  const messages: HarWebSocketMessage[] = [];
  for (const item of raw) {
    const message = v.safeParse(
      v.looseObject({ type: v.string(), time: v.number(), opcode: v.optional(v.number(), 1), data: v.optional(v.string(), '') }),
      item,
    );
    if (!message.success) continue;
    const { type, time, opcode, data } = message.output;
    messages.push({ type: type === 'send' ? 'send' : 'receive', time: epochMs(time) / 1000, opcode, data });
  }
  return messages;
}

function eventSourceMessages(raw: readonly unknown[] | undefined): HarEventSourceMessage[] | undefined {
  if (!raw) return undefined;
  const messages: HarEventSourceMessage[] = [];
  for (const item of raw) {
    const parsed = v.safeParse(
      v.looseObject({
        time: v.number(),
        eventName: v.optional(v.string(), 'message'),
        eventId: v.optional(v.string()),
        data: v.optional(v.string(), ''),
      }),
      item,
    );
    if (!parsed.success) continue;
    const { time, eventName, eventId, data } = parsed.output;
    messages.push({ time: epochMs(time) / 1000, eventName, ...(eventId !== undefined ? { eventId } : {}), data });
  }
  return messages;
}

function pairs(list: ReadonlyArray<{ name: string; value: string }>): HarNameValue[] {
  return list.map(({ name, value }) => ({ name, value }));
}

/**
 * HAR text as JSON whose `log.entries` is an array (a leading byte-order mark allowed); throws {@link HarReadError}
 * otherwise. The one entry point for every HAR bidiscope reads (the report, replay).
 */
export function parseHarJson(text: string): { log: Record<string, unknown> & { entries: unknown[] } } {
  let json: unknown;
  try {
    json = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    throw new HarReadError(`not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const log = typeof json === 'object' && json !== null ? (json as { log?: unknown }).log : undefined;
  if (typeof log !== 'object' || log === null) throw new HarReadError('not a HAR 1.2 file: log: missing');
  if (!Array.isArray((log as { entries?: unknown }).entries)) throw new HarReadError('not a HAR 1.2 file: log.entries: missing');
  return json as { log: Record<string, unknown> & { entries: unknown[] } };
}

/** Parses HAR text into bidiscope's HAR types, strictly; throws {@link HarReadError} naming what is wrong. */
export function readHar(text: string): Har {
  const json = parseHarJson(text);
  const parsed = v.safeParse(harSchema, json);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    const path = v.getDotPath(issue) ?? '(top level)';
    const problem = issue.received === 'undefined' ? 'missing' : `expected ${issue.expected ?? 'a valid value'}, got ${issue.received}`;
    throw new HarReadError(`not a HAR 1.2 file: ${path}: ${problem}`);
  }
  const { log } = parsed.output;
  const entries: HarEntry[] = log.entries.map((entry) => {
    const { request, response, timings } = entry;
    const harEntry: HarEntry = {
      ...(entry.pageref !== undefined ? { pageref: entry.pageref } : {}),
      startedDateTime: entry.startedDateTime,
      time: entry.time,
      request: {
        method: request.method,
        url: request.url,
        httpVersion: request.httpVersion,
        cookies: pairs(request.cookies),
        headers: pairs(request.headers),
        queryString: pairs(request.queryString),
        ...(request.postData
          ? {
              postData: {
                mimeType: request.postData.mimeType,
                ...(request.postData.text !== undefined ? { text: request.postData.text } : {}),
              },
            }
          : {}),
        headersSize: request.headersSize,
        bodySize: request.bodySize,
      },
      response: {
        status: response.status,
        statusText: response.statusText,
        httpVersion: response.httpVersion,
        cookies: pairs(response.cookies),
        headers: pairs(response.headers),
        content: {
          size: response.content.size,
          mimeType: response.content.mimeType,
          ...(response.content.text !== undefined ? { text: response.content.text } : {}),
          ...(response.content.encoding === 'base64' ? { encoding: 'base64' as const } : {}),
        },
        redirectURL: response.redirectURL,
        headersSize: response.headersSize,
        bodySize: response.bodySize,
      },
      cache: {},
      timings,
      _resourceType: entry._resourceType ?? '',
    };
    if (entry._error !== undefined) harEntry._error = entry._error;
    const frames = webSocketMessages(entry._webSocketMessages);
    if (frames) harEntry._webSocketMessages = frames;
    const events = eventSourceMessages(entry._eventSourceMessages);
    if (events) harEntry._eventSourceMessages = events;
    return harEntry;
  });
  return {
    log: {
      version: '1.2',
      creator: { name: log.creator.name, version: log.creator.version },
      ...(log.browser ? { browser: { name: log.browser.name, version: log.browser.version } } : {}),
      pages: (log.pages ?? []).map((page) => ({ id: page.id, startedDateTime: page.startedDateTime, title: page.title, pageTimings: {} })),
      entries,
    },
  };
}
