/** The details view of one request (`get_request_details`), in mcp-web-inspector's layout plus timing, redirects, frames. */
import type { Header, NetworkEntry, SourceField, Timings } from '../model/types.js';
import { bodyMimeType } from '../model/body-kind.js';
import { previewBody } from './body-preview.js';
import { sameHeaderName } from '../model/headers.js';
import { METHODS_WITHOUT_BODY } from '../model/http.js';
import { formatBytes, formatMs, formatTimeOfDay, oneLinePreview } from './units.js';
import { ANSWER_FROM_ANOTHER_HOP_NOTE } from '../model/bidi/redirect-race.js';

export interface DetailsOptions {
  /** Characters of each body shown before cutting. Default 500. */
  maxBodyChars?: number;
  /** WebSocket frames / SSE events shown before summarizing the rest. Default 20. */
  maxFrames?: number;
  /** Maps an entry id (as in `entry.redirect`) to its list index and URL, to render redirect links. */
  resolveEntry?: (id: string) => { index: number; url: string } | undefined;
}

export interface DetailsResult {
  text: string;
  /** Bodies that are available but not shown in full (cut or binary): worth offering to save to a file. */
  truncatedBodies: Array<'request' | 'response'>;
}

const IMPORTANT_REQUEST_HEADERS = ['content-type', 'authorization', 'cookie', 'user-agent', 'accept', 'origin'];
const IMPORTANT_RESPONSE_HEADERS = [
  'content-type',
  'content-length',
  'content-encoding',
  'cache-control',
  'location',
  'set-cookie',
  'x-cache',
  'access-control-allow-origin',
];
const MAX_HEADER_VALUE_CHARS = 200;
const MAX_FRAME_PREVIEW_CHARS = 80;

/** `  name: value` lines for the important headers (in the given order), plus a count of the others. */
function headerLines(headers: readonly Header[], important: readonly string[]): string[] {
  if (headers.length === 0) return ['  (none recorded)'];
  const lines: string[] = [];
  let shown = 0;
  for (const name of important) {
    for (const header of headers) {
      if (!sameHeaderName(header.name, name)) continue;
      lines.push(`  ${header.name}: ${oneLinePreview(header.value, MAX_HEADER_VALUE_CHARS)}`);
      shown += 1;
    }
  }
  const others = headers.length - shown;
  if (others > 0) lines.push(`  (+${others} other header${others === 1 ? '' : 's'})`);
  return lines;
}

function statusLine(entry: NetworkEntry): string {
  const total = entry.timings.total;
  const approx = entry.estimatedTimings?.includes('total') === true ? '~' : '';
  const took = total === undefined ? '' : ` (took ${approx}${formatMs(total)} ms)`;
  const response = entry.response;
  const statusText = response ? `${response.status} ${response.statusText}`.trim() : undefined;
  const cached = response?.fromCache ? ' (from cache)' : '';
  if (entry.state === 'failed') {
    const after = statusText === undefined ? '' : ` after ${statusText}`;
    return `Status: failed${after} — ${entry.error ?? 'unknown error'}${took}`;
  }
  if (entry.state === 'pending') return statusText === undefined ? 'Status: pending' : `Status: ${statusText}, still loading`;
  if (statusText === undefined) return `Status: no HTTP response recorded${took}`;
  return `Status: ${statusText}${cached}${took}`;
}

function typeLine(entry: NetworkEntry): string {
  const parts: string[] = [entry.resourceType];
  const mimeType = bodyMimeType(entry, 'response');
  if (mimeType !== undefined) parts.push(mimeType);
  if (entry.response?.protocol !== undefined) parts.push(entry.response.protocol);
  return `Type: ${parts.join(' · ')}`;
}

function bytesText(bytes: number): string {
  return bytes < 10240 ? `${bytes} B` : formatBytes(bytes);
}

function sizeLine(entry: NetworkEntry): string | undefined {
  const parts: string[] = [];
  const response = entry.response;
  const decoded = response?.decodedBodySize ?? response?.body?.size;
  const encoded = response?.encodedBodySize;
  if (decoded !== undefined && encoded !== undefined && encoded !== decoded) {
    parts.push(`response ${bytesText(decoded)} (${bytesText(encoded)} encoded)`);
  } else if (decoded !== undefined || encoded !== undefined) {
    parts.push(`response ${bytesText(decoded ?? encoded ?? 0)}`);
  }
  const requestBody = entry.request.bodySize ?? entry.request.body?.size;
  if (requestBody !== undefined && requestBody > 0) parts.push(`request body ${bytesText(requestBody)}`);
  return parts.length === 0 ? undefined : `Size: ${parts.join(' · ')}`;
}

const TIMING_PHASES: ReadonlyArray<keyof Timings> = ['blocked', 'dns', 'connect', 'ssl', 'send', 'wait', 'receive', 'total'];

/** Says what `~` means on a timing line. */
const ESTIMATED_TIMING_NOTE = "~ estimated from when the browser's events arrived (Chromium reports no end of body)";

/**
 * `Timing: blocked 1 · dns 0.1 · … · total 7 ms`, or `(not reported by browser)` when nothing is known. Phases in
 * `estimated` are shown as `~N` and the line says what that means.
 */
export function timingLine(timings: Timings, estimated: ReadonlyArray<keyof Timings> = []): string {
  const parts: string[] = [];
  for (const phase of TIMING_PHASES) {
    const value = timings[phase];
    if (value !== undefined) parts.push(`${phase} ${estimated.includes(phase) ? '~' : ''}${formatMs(value)}`);
  }
  if (parts.length === 0) return 'Timing: (not reported by browser)';
  const note = estimated.some((phase) => timings[phase] !== undefined) ? ` (${ESTIMATED_TIMING_NOTE})` : '';
  return `Timing: ${parts.join(' · ')} ms${note}`;
}

function redirectLine(entry: NetworkEntry, options: DetailsOptions): string | undefined {
  const redirect = entry.redirect;
  if (!redirect || (redirect.from === undefined && redirect.to === undefined)) return undefined;
  const describe = (id: string): string => {
    const resolved = options.resolveEntry?.(id);
    return resolved === undefined ? id : `[${resolved.index}] ${resolved.url}`;
  };
  const parts: string[] = [];
  if (redirect.from !== undefined) parts.push(`from ${describe(redirect.from)}`);
  if (redirect.to !== undefined) parts.push(`to ${describe(redirect.to)}`);
  return `Redirect: ${parts.join(' → ')}`;
}

function webSocketLines(entry: NetworkEntry, maxFrames: number): string[] {
  const socket = entry.webSocket;
  if (!socket) return [];
  const sent = socket.frames.filter((frame) => frame.direction === 'sent').length;
  const summary = [`${sent} sent`, `${socket.frames.length - sent} received`];
  if (socket.protocol) summary.push(`protocol ${socket.protocol}`);
  if (socket.closed) {
    const code = socket.closed.code === undefined ? '' : ` ${socket.closed.code}`;
    const reason = socket.closed.reason ? ` "${socket.closed.reason}"` : '';
    const clean = socket.closed.wasClean === undefined ? '' : socket.closed.wasClean ? ' (clean)' : ' (not clean)';
    summary.push(`closed${code}${reason}${clean} at ${formatTimeOfDay(socket.closed.time)}`);
  } else {
    summary.push('open');
  }
  if (socket.error !== undefined) summary.push(`error: ${socket.error}`);
  const lines = [`WebSocket: ${summary.join(' · ')}`];
  for (const frame of socket.frames.slice(0, maxFrames)) {
    const arrow = frame.direction === 'sent' ? '↑' : '↓';
    const kind = frame.opcode === 1 ? 'text' : 'binary';
    const payload = frame.data === undefined ? '' : frame.opcode === 1 ? ` ${oneLinePreview(frame.data, MAX_FRAME_PREVIEW_CHARS)}` : '';
    lines.push(`  ${arrow} ${formatTimeOfDay(frame.time)} ${kind} ${formatBytes(frame.size)}${payload}`);
  }
  const rest = socket.frames.length - maxFrames;
  if (rest > 0) lines.push(`  … ${rest} more frame${rest === 1 ? '' : 's'} not shown (in export_har)`);
  return lines;
}

function streamLines(entry: NetworkEntry, maxFrames: number): string[] {
  const stream = entry.stream;
  if (!stream) return [];
  const error = stream.error === undefined ? '' : ` · error: ${stream.error}`;
  const lines = [`EventSource: ${stream.events.length} event${stream.events.length === 1 ? '' : 's'}${error}`];
  for (const event of stream.events.slice(0, maxFrames)) {
    const id = event.id === undefined ? '' : ` id=${event.id}`;
    const data = oneLinePreview(event.data, MAX_FRAME_PREVIEW_CHARS);
    lines.push(`  ${formatTimeOfDay(event.time)} event=${event.event}${id} data=${data}`);
  }
  const rest = stream.events.length - maxFrames;
  if (rest > 0) lines.push(`  … ${rest} more event${rest === 1 ? '' : 's'} not shown (in export_har)`);
  return lines;
}

/** Provenance notes, only for facts the entry lacks (so the agent knows it is the browser, not a bug). */
function noteLines(entry: NetworkEntry): string[] {
  const missing: SourceField[] = [];
  const timingsKnown = Object.values(entry.timings).some((value) => value !== undefined);
  if (!timingsKnown) missing.push('timings');
  if (!entry.response && entry.state !== 'pending') missing.push('response');
  if (!entry.initiator) missing.push('initiator');
  if (entry.request.body && entry.request.body.state !== 'available' && entry.request.body.reason === undefined) {
    missing.push('requestBody');
  }
  const responseBody = entry.response?.body;
  if (responseBody && responseBody.state !== 'available' && responseBody.reason === undefined) missing.push('responseBody');
  if (entry.response && entry.response.decodedBodySize === undefined && entry.response.encodedBodySize === undefined) {
    missing.push('sizes');
  }
  if (entry.resourceType === 'websocket' && !entry.webSocket) missing.push('webSocket');
  if (entry.resourceType === 'eventsource' && !entry.stream) missing.push('stream');
  // A response the browser is known to have mixed up with a neighbouring hop's is shown with the note that says so.
  if (entry.response && entry.source.response === ANSWER_FROM_ANOTHER_HOP_NOTE) missing.push('response');
  const lines: string[] = [];
  for (const field of missing) {
    const note = entry.source[field];
    if (note !== undefined && note.length > 0) lines.push(`  ${field}: ${note}`);
  }
  return lines.length === 0 ? [] : ['Notes:', ...lines];
}

function shouldShowRequestBody(entry: NetworkEntry): boolean {
  const body = entry.request.body;
  if (body?.state === 'available') return true;
  if ((entry.request.bodySize ?? 0) > 0) return true;
  return body !== undefined && body.state !== 'not-captured' && !METHODS_WITHOUT_BODY.has(entry.method.toUpperCase());
}

/** A request that says it sends a body (a Content-Type on a method that carries one), with no body record at all. */
function sentUnreportedBody(entry: NetworkEntry): boolean {
  if (entry.request.body !== undefined || METHODS_WITHOUT_BODY.has(entry.method.toUpperCase())) return false;
  return bodyMimeType(entry, 'request') !== undefined;
}

function initiatorLine(entry: NetworkEntry): string | undefined {
  const initiator = entry.initiator;
  if (!initiator || (initiator.type === 'other' && initiator.url === undefined)) return undefined;
  const position =
    initiator.lineNumber === undefined
      ? ''
      : `:${initiator.lineNumber}${initiator.columnNumber === undefined ? '' : `:${initiator.columnNumber}`}`;
  return `Initiator: ${initiator.type}${initiator.url === undefined ? '' : ` ${initiator.url}${position}`}`;
}

/**
 * Renders one entry for `get_request_details`: `METHOD URL`, status, type, sizes, important headers, bodies
 * (JSON pretty-printed when small, text cut at `maxBodyChars` with a coverage note, binary described), timing
 * phases, redirect links, WebSocket frames / SSE events, and provenance notes for missing facts.
 * Does not redact: pass an entry that went through `redactEntry` unless the session exposes sensitive data.
 */
export function formatDetails(entry: NetworkEntry, options: DetailsOptions = {}): DetailsResult {
  const maxBodyChars = options.maxBodyChars ?? 500;
  const maxFrames = options.maxFrames ?? 20;
  const truncatedBodies: Array<'request' | 'response'> = [];
  const lines: string[] = [`${entry.method} ${entry.url}`, statusLine(entry), typeLine(entry)];
  if (entry.shapedBy !== undefined) lines.push(`Shaped: ${entry.shapedBy}`);
  const size = sizeLine(entry);
  if (size !== undefined) lines.push(size);
  const initiator = initiatorLine(entry);
  if (initiator !== undefined) lines.push(initiator);

  lines.push('Request Headers:', ...headerLines(entry.request.headers, IMPORTANT_REQUEST_HEADERS));
  if (shouldShowRequestBody(entry)) {
    const preview = previewBody(entry.request.body, bodyMimeType(entry, 'request'), maxBodyChars);
    if (preview.partial) truncatedBodies.push('request');
    lines.push('Request Body:', preview.text);
  } else if (sentUnreportedBody(entry)) {
    lines.push('Request Body:', "(not recorded: the browser reported neither this request's body nor its size)");
  }

  const response = entry.response;
  if (response) {
    lines.push('Response Headers:', ...headerLines(response.headers, IMPORTANT_RESPONSE_HEADERS));
    if (!entry.webSocket && !entry.stream?.events.length) {
      const knownEmpty = !response.body && (response.decodedBodySize ?? response.encodedBodySize) === 0;
      const preview = knownEmpty
        ? { text: '(empty)', partial: false }
        : !response.body && entry.state === 'pending'
          ? { text: '(pending: the response is still loading)', partial: false }
          : !response.body && entry.state === 'failed'
            ? {
                text: `(not recorded: the request failed before the browser gave its body${entry.error === undefined ? '' : ` — ${entry.error}`})`,
                partial: false,
              }
            : previewBody(response.body, bodyMimeType(entry, 'response'), maxBodyChars);
      if (preview.partial) truncatedBodies.push('response');
      lines.push('Response Body:', preview.text);
    }
  }

  lines.push(timingLine(entry.timings, entry.estimatedTimings));
  const redirect = redirectLine(entry, options);
  if (redirect !== undefined) lines.push(redirect);
  lines.push(...webSocketLines(entry, maxFrames), ...streamLines(entry, maxFrames), ...noteLines(entry));
  return { text: lines.join('\n'), truncatedBodies };
}
