/**
 * Reads HAR 1.2 files for replay: bidiscope's own, Chrome DevTools', Firefox DevTools' and Playwright's. Pure: takes
 * the file's text, returns what can be served and, in words, what cannot.
 *
 * What the writers differ in, and what is done about it:
 * - Bodies are decoded text (`content.text`), base64 when `content.encoding` is `base64` (binary, or Playwright's
 *   `embed` mode). A HAR keeps the *decoded* body but the original `content-encoding`/`content-length` headers, so
 *   those (and hop-by-hop headers) are dropped before serving; the browser computes the length.
 * - HTTP/2 pseudo-headers (`:status`, `:authority`, Chrome DevTools) are dropped.
 * - Playwright's `attach` mode keeps bodies in side files (`content._file`): they are named here and read by the
 *   caller, inside the same path policy as the HAR.
 * - Failed requests (status 0, `_error` or `response._failureText`) replay as network errors.
 * - WebSocket entries (`_webSocketMessages`, status 101, `_resourceType: websocket`) cannot be replayed: frames are
 *   not an HTTP response. Event streams are served as one body: their events arrive at once, without the recorded
 *   timing.
 */
import { bytesToBase64, encodeUtf8 } from '../lib/bytes.js';
import { findHeader } from '../model/headers.js';
import { HarReadError, parseHarJson } from '../har/read.js';

export { HarReadError };

/** One HAR entry as replay serves it. */
export interface ReplayEntry {
  method: string;
  url: string;
  /** The request body text, when the HAR has one (for `matchBody`). */
  requestBody?: string;
  /** 0 for a request that failed (served as a network error). */
  status: number;
  statusText: string;
  headers: Array<{ name: string; value: string }>;
  /** The body: bytes as base64, or a Playwright side file to read. */
  body?: { base64: string } | { file: string };
  /** A fact about this entry worth telling (event stream timing lost, body missing). */
  note?: string;
}

/** What a HAR yields. */
export interface ParsedHar {
  creator: string;
  entries: ReplayEntry[];
  /** One line per entry (or group) that cannot be replayed, and why. */
  notReplayable: string[];
  /** Facts about what will be served differently from the recording. */
  notes: string[];
}

type Json = Record<string, unknown>;

const DROPPED_HEADERS = new Set(['content-encoding', 'content-length', 'transfer-encoding', 'connection', 'keep-alive']);

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function headersOf(value: unknown): Array<{ name: string; value: string }> {
  if (!Array.isArray(value)) return [];
  const headers: Array<{ name: string; value: string }> = [];
  for (const item of value) {
    if (!isObject(item) || typeof item.name !== 'string' || typeof item.value !== 'string') continue;
    headers.push({ name: item.name, value: item.value });
  }
  return headers;
}

/** Response headers as they can be served with a decoded body. */
function servableHeaders(headers: ReadonlyArray<{ name: string; value: string }>): Array<{ name: string; value: string }> {
  return headers.filter((header) => !header.name.startsWith(':') && !DROPPED_HEADERS.has(header.name.toLowerCase()));
}

function isWebSocket(entry: Json, response: Json): boolean {
  const type = typeof entry._resourceType === 'string' ? entry._resourceType.toLowerCase() : '';
  return Array.isArray(entry._webSocketMessages) || type === 'websocket' || response.status === 101;
}

/** An event stream's body rebuilt from `_eventSourceMessages` (bidiscope, Chrome DevTools) when the HAR has no text. */
function eventStreamText(messages: unknown[]): string {
  let text = '';
  for (const message of messages) {
    if (!isObject(message) || typeof message.data !== 'string') continue;
    if (typeof message.eventId === 'string' && message.eventId) text += `id: ${message.eventId}\n`;
    if (typeof message.eventName === 'string' && message.eventName && message.eventName !== 'message')
      text += `event: ${message.eventName}\n`;
    for (const line of message.data.split('\n')) text += `data: ${line}\n`;
    text += '\n';
  }
  return text;
}

function bodyOf(content: Json, messages: unknown): ReplayEntry['body'] {
  if (typeof content._file === 'string') return { file: content._file };
  if ((typeof content.text !== 'string' || content.text === '') && Array.isArray(messages) && messages.length > 0) {
    return { base64: bytesToBase64(encodeUtf8(eventStreamText(messages))) };
  }
  if (typeof content.text !== 'string') return undefined;
  if (content.encoding === 'base64') return { base64: content.text.replace(/\s+/g, '') };
  return { base64: bytesToBase64(encodeUtf8(content.text)) };
}

function mimeOf(content: Json, headers: ReadonlyArray<{ name: string; value: string }>): string {
  if (typeof content.mimeType === 'string' && content.mimeType) return content.mimeType.toLowerCase();
  return findHeader(headers, 'content-type')?.toLowerCase() ?? '';
}

function readEntry(raw: unknown, position: number, notReplayable: string[]): ReplayEntry | undefined {
  if (!isObject(raw) || !isObject(raw.request) || !isObject(raw.response)) {
    notReplayable.push(`entry ${position}: no request/response object`);
    return undefined;
  }
  const request = raw.request;
  const response = raw.response;
  if (typeof request.url !== 'string' || typeof request.method !== 'string' || !URL.canParse(request.url)) {
    notReplayable.push(`entry ${position}: no usable request.url/method`);
    return undefined;
  }
  const label = `${request.method} ${request.url}`;
  if (isWebSocket(raw, response)) {
    notReplayable.push(`${label}: WebSocket — frames cannot be replayed (the handshake fails)`);
    return undefined;
  }
  const status = typeof response.status === 'number' && Number.isInteger(response.status) ? response.status : 0;
  const failed = status === 0 || typeof raw._error === 'string' || typeof response._failureText === 'string';
  const base = {
    method: request.method.toUpperCase(),
    url: request.url,
    ...(isObject(request.postData) && typeof request.postData.text === 'string' ? { requestBody: request.postData.text } : {}),
  };
  if (failed) return { ...base, status: 0, statusText: '', headers: [] };
  if (status < 100 || status > 599) {
    notReplayable.push(`${label}: status ${status} cannot be served`);
    return undefined;
  }
  const headers = headersOf(response.headers);
  const content = isObject(response.content) ? response.content : {};
  const body = bodyOf(content, raw._eventSourceMessages);
  const entry: ReplayEntry = {
    ...base,
    status,
    statusText: typeof response.statusText === 'string' ? response.statusText : '',
    headers: servableHeaders(headers),
    ...(body ? { body } : {}),
  };
  const size = typeof content.size === 'number' ? content.size : 0;
  if (mimeOf(content, headers).startsWith('text/event-stream') || Array.isArray(raw._eventSourceMessages)) {
    entry.note = `${label}: event stream served as one body (recorded timing lost)`;
  } else if (!body && size > 0 && status !== 304) {
    entry.note = `${label}: the HAR holds no body (${size} B recorded); served empty`;
  }
  return entry;
}

/** Parses HAR text; throws {@link HarReadError} for text that is not JSON or not a HAR 1.2 log with entries. */
export function parseHar(text: string): ParsedHar {
  const { log } = parseHarJson(text);
  const creator = isObject(log.creator) && typeof log.creator.name === 'string' ? log.creator.name : 'unknown';
  const notReplayable: string[] = [];
  const entries: ReplayEntry[] = [];
  const sorted = log.entries
    .map((entry, position) => ({
      entry,
      position,
      at: isObject(entry) && typeof entry.startedDateTime === 'string' ? Date.parse(entry.startedDateTime) : NaN,
    }))
    .sort((a, b) => (Number.isNaN(a.at) || Number.isNaN(b.at) ? a.position - b.position : a.at - b.at || a.position - b.position));
  for (const { entry, position } of sorted) {
    const read = readEntry(entry, position, notReplayable);
    if (read) entries.push(read);
  }
  const notes = entries.flatMap((entry) => (entry.note ? [entry.note] : []));
  return { creator, entries, notReplayable, notes };
}
