import * as v from 'valibot';
import { formatDetails, formatListPage, originOf } from '../format/index.js';
import { buildHar } from '../har/index.js';
import { base64ToBytes, utf8ByteLength } from '../model/bytes.js';
import { compileEntryFilter, describeEntryFilter, StatusFilterError, type EntryFilterSpec } from '../model/entry-filter.js';
import { RESOURCE_TYPES, type BodyRecord, type NetworkEntry } from '../model/types.js';
import { UrlFilterError } from '../model/url-filter.js';
import { defineTool, ToolError, type AnyTool } from '../mcp/tool.js';
import { safeFileName, writeOutputFile } from '../output/files.js';
import type { BrowserSession } from '../sessions/browser-session.js';
import type { AppContext } from './context.js';
import { listable, presentable, requireCapture } from './present.js';
import { sessionIdField } from './schemas.js';

const indexField = v.pipe(v.number('an entry index from list_network_requests'), v.integer('a whole number'), v.minValue(0, '0 or more'));

function entryFilter(spec: EntryFilterSpec): (entry: NetworkEntry) => boolean {
  try {
    return compileEntryFilter(spec);
  } catch (error) {
    if (error instanceof UrlFilterError) throw new ToolError(`Invalid "urlFilter": ${error.message}`);
    if (error instanceof StatusFilterError) throw new ToolError(`Invalid "status": ${error.message}`);
    throw error;
  }
}

/** The origin most of the capture's documents came from, so list lines can show paths only. */
function baseOriginOf(entries: readonly NetworkEntry[]): string | undefined {
  const document = entries.find((entry) => entry.resourceType === 'document') ?? entries[0];
  return document ? originOf(document.url) : undefined;
}

const listNetworkRequests = defineTool({
  name: 'list_network_requests',
  title: 'List captured requests',
  description:
    'One compact line per captured request: `[index] METHOD url status kind size duration`, with stable indexes for ' +
    'get_request_details. Filters: urlFilter (substring, glob or /regex/), method, status (404, "4xx", "400-499"), ' +
    'resourceType, failedOnly (network errors and HTTP ≥ 400). Paged with offset/limit; the footer gives the next offset.',
  input: v.strictObject({
    sessionId: sessionIdField,
    urlFilter: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(500, 'at most 500 characters'))),
    method: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z]{1,20}$/, 'an HTTP method like GET'))),
    status: v.optional(v.union([v.pipe(v.number(), v.integer(), v.minValue(100), v.maxValue(999)), v.pipe(v.string(), v.maxLength(20))], 'a status like 404, "4xx" or "400-499"')),
    resourceType: v.optional(v.picklist(RESOURCE_TYPES, `one of ${RESOURCE_TYPES.join(', ')}`)),
    failedOnly: v.optional(v.boolean('true or false'), false),
    offset: v.optional(v.pipe(v.number(), v.integer('a whole number'), v.minValue(0, '0 or more')), 0),
    limit: v.optional(v.pipe(v.number(), v.integer('a whole number'), v.minValue(1, 'at least 1'), v.maxValue(500, 'at most 500')), 50),
  }),
  annotations: { readOnlyHint: true },
  async handler(input, context: AppContext) {
    const session = context.sessions.get(input.sessionId);
    const capture = requireCapture(session);
    const spec: EntryFilterSpec = { urlFilter: input.urlFilter, method: input.method, status: input.status, resourceType: input.resourceType, failedOnly: input.failedOnly };
    const all = capture.log.entries();
    const matching = all.filter(entryFilter(spec));
    const page = matching.slice(input.offset, input.offset + input.limit).map((entry) => listable(session, entry));
    const baseOrigin = baseOriginOf(all);
    const dropped = capture.stats().dropped;
    const text = formatListPage(page, {
      offset: input.offset,
      limit: input.limit,
      total: matching.length,
      capturedTotal: all.length,
      filtersText: describeEntryFilter(spec),
      ...(baseOrigin ? { baseOrigin } : {}),
      dropped,
    });
    const nextOffset = input.offset + page.length < matching.length ? input.offset + page.length : undefined;
    return {
      text: capture.active ? text : `${text}\n(capture ${capture.id} is stopped)`,
      structured: {
        sessionId: session.id,
        captureId: capture.id,
        total: matching.length,
        capturedTotal: all.length,
        dropped,
        offset: input.offset,
        returned: page.length,
        ...(nextOffset !== undefined ? { nextOffset } : {}),
        indexes: page.map((entry) => entry.index),
      },
    };
  },
});

function findEntry(session: BrowserSession, index: number): NetworkEntry {
  const capture = requireCapture(session);
  const entry = capture.entry(index);
  if (!entry) {
    const entries = capture.log.entries();
    const first = entries[0]?.index;
    const last = entries.at(-1)?.index;
    const range = first === undefined ? 'the capture is empty' : `valid indexes are ${first}–${last}`;
    const dropped = first !== undefined && index < first ? ' (older entries were dropped by maxEntries)' : '';
    throw new ToolError(`No entry [${index}] in ${capture.id}${dropped}: ${range}. Use list_network_requests to find one.`);
  }
  return entry;
}

const getRequestDetails = defineTool({
  name: 'get_request_details',
  title: 'Show one request',
  description:
    'Everything about one captured request by its [index]: status and duration, sizes, important headers (secrets ' +
    'redacted), request body, response body preview (500 chars), timing phases, redirect chain, WebSocket frames or SSE ' +
    'events. When a body is cut, the result offers a one-time confirm_output token to save the full body to a file.',
  input: v.strictObject({ sessionId: sessionIdField, index: indexField }),
  annotations: { readOnlyHint: true },
  async handler(input, context: AppContext) {
    const session = context.sessions.get(input.sessionId);
    const capture = requireCapture(session);
    const entry = findEntry(session, input.index);
    const shown = presentable(session, entry);
    const details = formatDetails(shown, {
      resolveEntry: (id) => {
        const linked = capture.log.findById(id);
        return linked ? { index: linked.index, url: presentable(session, linked).url } : undefined;
      },
    });
    let text = details.text;
    let token: string | undefined;
    if (details.truncatedBodies.length > 0) {
      token = context.tokens.issue({ sessionId: session.id, captureId: capture.id, index: entry.index, bodies: details.truncatedBodies });
      text += `\n\nFull ${details.truncatedBodies.join(' and ')} body not shown. To save it to a file: confirm_output {"token":"${token}"} (one use, expires in 10 min).`;
    }
    return {
      text,
      structured: {
        sessionId: session.id,
        captureId: capture.id,
        index: entry.index,
        method: shown.method,
        url: shown.url,
        state: shown.state,
        status: shown.response?.status,
        resourceType: shown.resourceType,
        durationMs: shown.timings.total,
        timings: shown.timings,
        ...(shown.source.timings !== undefined ? { timingsSource: shown.source.timings } : {}),
        ...(shown.estimatedTimings ? { estimatedTimings: shown.estimatedTimings } : {}),
        ...(token ? { confirmToken: token, truncatedBodies: details.truncatedBodies } : {}),
      },
    };
  },
});

const EXTENSIONS: Array<[RegExp, string]> = [
  [/json/, 'json'], [/html/, 'html'], [/javascript|ecmascript/, 'js'], [/css/, 'css'], [/xml/, 'xml'], [/png/, 'png'],
  [/jpe?g/, 'jpg'], [/gif/, 'gif'], [/webp/, 'webp'], [/svg/, 'svg'], [/text\//, 'txt'], [/octet-stream/, 'bin'],
];

function extensionFor(mimeType: string | undefined, body: BodyRecord): string {
  const mime = (mimeType ?? '').toLowerCase();
  for (const [pattern, extension] of EXTENSIONS) if (pattern.test(mime)) return extension;
  return body.encoding === 'base64' ? 'bin' : 'txt';
}

function bodyBytes(body: BodyRecord): string | Uint8Array {
  if (body.encoding === 'base64') return base64ToBytes(body.data ?? '') ?? new Uint8Array();
  return body.data ?? '';
}

const confirmOutput = defineTool({
  name: 'confirm_output',
  title: 'Save full bodies',
  description:
    'Redeems a token from get_request_details: writes the full request/response body to <output dir>/network-bodies/ ' +
    '(redacted unless the session exposes sensitive data; binary bodies byte for byte) and returns the file paths. ' +
    'Tokens work once and expire after 10 minutes.',
  input: v.strictObject({ token: v.pipe(v.string('the token from get_request_details'), v.regex(/^cfm_[0-9a-f]{16}$/, 'a token like cfm_0123456789abcdef')) }),
  annotations: { readOnlyHint: false },
  async handler(input, context: AppContext) {
    const redeemed = context.tokens.redeem(input.token);
    if (!redeemed.ok) throw new ToolError(redeemed.reason);
    const { output } = redeemed;
    let session: BrowserSession;
    try {
      session = context.sessions.get(output.sessionId);
    } catch {
      throw new ToolError(`Session ${output.sessionId} is closed; its bodies are gone.`);
    }
    if (session.capture?.id !== output.captureId) throw new ToolError(`Capture ${output.captureId} was replaced or cleared; its bodies are gone.`);
    const entry = presentable(session, findEntry(session, output.index));
    const saved: Array<{ body: string; path: string; bytes: number; truncated: boolean }> = [];
    for (const kind of output.bodies) {
      const body = kind === 'request' ? entry.request.body : entry.response?.body;
      if (!body || body.state !== 'available' || body.data === undefined) continue;
      const mime = kind === 'request' ? entry.request.headers.find((h) => h.name.toLowerCase() === 'content-type')?.value : entry.response?.mimeType;
      const name = `network-bodies/${entry.index}-${kind}-${safeFileName(new URL(entry.url).pathname, 60)}.${extensionFor(mime, body)}`;
      const content = bodyBytes(body);
      const path = await writeOutputFile(context.config.outputDir, name, content);
      saved.push({ body: kind, path, bytes: typeof content === 'string' ? utf8ByteLength(content) : content.length, truncated: body.truncated === true });
    }
    if (saved.length === 0) throw new ToolError(`Entry [${output.index}] has no body left to save.`);
    const lines = saved.map((file) => `${file.body} body → ${file.path} (${file.bytes} bytes${file.truncated ? ', cut at maxBodyBytes during capture' : ''})`);
    return { text: `Saved:\n${lines.join('\n')}`, structured: { files: saved } };
  },
});

const exportHar = defineTool({
  name: 'export_har',
  title: 'Export the capture as HAR',
  description:
    'Writes the capture as a HAR 1.2 file (WebSocket frames as _webSocketMessages, SSE as _eventSourceMessages), ' +
    'redacted unless the session exposes sensitive data. `path` is relative to the output directory (default ' +
    'har/<session>-<capture>.har). Returns the path and counts.',
  input: v.strictObject({
    sessionId: sessionIdField,
    path: v.optional(v.pipe(v.string('a file path'), v.minLength(1), v.maxLength(1000, 'at most 1000 characters'), v.check((p) => !p.includes('\0'), 'a path without NUL characters'))),
    includeBodies: v.optional(v.boolean('true or false'), true),
  }),
  annotations: { readOnlyHint: false },
  async handler(input, context: AppContext) {
    const session = context.sessions.get(input.sessionId);
    const capture = requireCapture(session);
    const entries = capture.log.entries().map((entry) => presentable(session, entry));
    const har = buildHar(entries, {
      creatorVersion: context.version,
      browser: { name: session.launched.identity.name, version: session.launched.identity.version },
      includeBodies: input.includeBodies,
    });
    const relative = input.path ?? `har/${session.id}-${capture.id}.har`;
    const path = await writeOutputFile(context.config.outputDir, relative, JSON.stringify(har, null, 1), context.config.allowAbsolutePaths);
    const wsMessages = entries.reduce((sum, entry) => sum + (entry.webSocket?.frames.length ?? 0), 0);
    return {
      text: `Wrote HAR 1.2 with ${har.log.entries.length} entries (${wsMessages} WebSocket messages, bodies ${input.includeBodies ? 'included' : 'omitted'}, ${session.exposeSensitiveNetworkData ? 'NOT redacted' : 'redacted'}) to ${path}.`,
      structured: { sessionId: session.id, captureId: capture.id, path, entries: har.log.entries.length, pages: har.log.pages?.length ?? 0, webSocketMessages: wsMessages, redacted: !session.exposeSensitiveNetworkData },
    };
  },
});

/** Tools that read a capture. */
export const inspectTools: AnyTool<AppContext>[] = [listNetworkRequests, getRequestDetails, confirmOutput, exportHar];
