import * as v from 'valibot';
import { utf8ByteLength } from '../lib/bytes.js';
import { formatDetails, formatListPage, originOf } from '../format/index.js';
import { compileEntryFilter, describeEntryFilter, StatusFilterError, type EntryFilterSpec } from '../model/entry-filter.js';
import { RESOURCE_TYPES, type NetworkEntry } from '../model/types.js';
import { UrlFilterError } from '../model/url-filter.js';
import { defineTool, ToolError, type AnyTool, type ToolReply } from '../mcp/tool.js';
import { writeOutputFile } from '../output/files.js';
import { savedBodyFile } from '../format/saved-body.js';
import type { BrowserSession } from '../sessions/browser-session.js';
import { MAX_KEPT_CHARS, RESULT_LIFETIME_MS } from '../sessions/script-results.js';
import type { PendingScriptResult } from './confirm-tokens.js';
import type { AppContext } from './context.js';
import { findEntry, urlRedactedForSession, redactedForSession, harOfShownEntries, requireCapture } from './present.js';
import { confirmOutputOutput, exportHarOutput, listRequestsOutput, requestDetailsOutput } from './output-schemas.js';
import { captureIdField, limitField, offsetField, outputPathField, sessionIdField, urlPatternField, entryIndexField } from './schemas.js';

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
    'One line per captured request: `[index] METHOD url status kind size duration`; indexes are stable for ' +
    'get_request_details. Filtered, paged with offset/limit (the footer gives the next offset).',
  input: v.strictObject({
    sessionId: sessionIdField,
    captureId: captureIdField,
    urlFilter: v.optional(urlPatternField('Only URLs matching a substring, a glob ("/api/*") or a /regex/.')),
    method: v.optional(
      v.pipe(v.string(), v.regex(/^[A-Za-z]{1,20}$/, 'an HTTP method like GET'), v.description('Only this HTTP method, e.g. "POST".')),
    ),
    status: v.optional(
      v.pipe(
        v.union(
          [v.pipe(v.number(), v.integer(), v.minValue(100), v.maxValue(999)), v.pipe(v.string(), v.maxLength(20))],
          'a status like 404, "4xx" or "400-499"',
        ),
        v.description('Only this status: 404, a class "4xx" or a range "400-499".'),
      ),
    ),
    resourceType: v.optional(
      v.pipe(v.picklist(RESOURCE_TYPES, `one of ${RESOURCE_TYPES.join(', ')}`), v.description('Only this kind, e.g. "fetch".')),
    ),
    failedOnly: v.optional(
      v.pipe(v.boolean('true or false'), v.description('Only network errors and HTTP status ≥ 400. Default false.')),
      false,
    ),
    offset: offsetField('Matching lines'),
    limit: limitField('Lines', 500, 50),
  }),
  output: listRequestsOutput,
  annotations: { readOnlyHint: true },
  async handler(input, context: AppContext) {
    const session = context.sessions.get(input.sessionId);
    const capture = requireCapture(session, input.captureId);
    const spec: EntryFilterSpec = {
      urlFilter: input.urlFilter,
      method: input.method,
      status: input.status,
      resourceType: input.resourceType,
      failedOnly: input.failedOnly,
    };
    const all = capture.entries();
    const matching = all.filter(entryFilter(spec));
    const page = matching.slice(input.offset, input.offset + input.limit).map((entry) => urlRedactedForSession(session, entry));
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

const getRequestDetails = defineTool({
  name: 'get_request_details',
  title: 'Show one request',
  description:
    'One request by [index]: status, duration, sizes, headers, bodies (500-char preview), timing phases, redirects, ' +
    'WebSocket frames or SSE events; secrets redacted. A cut body comes with a confirm_output token to save it.',
  input: v.strictObject({ sessionId: sessionIdField, index: entryIndexField, captureId: captureIdField }),
  output: requestDetailsOutput,
  annotations: { readOnlyHint: true },
  async handler(input, context: AppContext) {
    const session = context.sessions.get(input.sessionId);
    const { capture, entry } = findEntry(session, input.index, input.captureId);
    const shown = redactedForSession(session, entry);
    const details = formatDetails(shown, {
      resolveEntry: (id) => {
        const linked = capture.findById(id);
        return linked ? { index: linked.index, url: redactedForSession(session, linked).url } : undefined;
      },
    });
    let text = details.text;
    let token: string | undefined;
    if (details.truncatedBodies.length > 0) {
      token = context.tokens.issue({
        kind: 'bodies',
        sessionId: session.id,
        captureId: capture.id,
        index: entry.index,
        entryId: entry.id,
        bodies: details.truncatedBodies,
      });
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

async function saveScriptResult(output: PendingScriptResult, context: AppContext): Promise<ToolReply> {
  let session: BrowserSession;
  try {
    session = context.sessions.get(output.sessionId);
  } catch {
    throw new ToolError(`Session ${output.sessionId} is closed; its script results are gone. Run evaluate_script again in a new session.`);
  }
  const kept = session.scriptResults.take(output.resultId);
  if (!kept.ok) {
    throw new ToolError(
      kept.reason === 'dropped'
        ? `That script result is no longer kept: a session keeps its latest few results (and ${MAX_KEPT_CHARS / 1024 / 1024} Mi characters) for ${RESULT_LIFETIME_MS / 60_000} minutes. Run evaluate_script again.`
        : 'That script result is not kept by this session. Run evaluate_script again.',
    );
  }
  const name = `script-results/${session.id}-${output.resultId}.json`;
  const path = await writeOutputFile(context.config.outputDir, name, kept.json);
  const bytes = utf8ByteLength(kept.json);
  return {
    text: `Saved:\nscript result → ${path} (${bytes} bytes of JSON)`,
    structured: { files: [{ body: 'script-result', path, bytes, truncated: false }] },
  };
}

const confirmOutput = defineTool({
  name: 'confirm_output',
  title: 'Save full bodies',
  description:
    'Redeems a one-time token (valid 10 min): saves the full body(ies) from get_request_details under ' +
    '<output dir>/network-bodies/ (redacted; binary byte for byte), or a full evaluate_script result as JSON under ' +
    '<output dir>/script-results/, and returns the paths.',
  input: v.strictObject({
    token: v.pipe(
      v.string('the token from get_request_details or evaluate_script'),
      v.regex(/^cfm_[0-9a-f]{16}$/, 'a token like cfm_0123456789abcdef'),
      v.description('The one-time token a result offered, e.g. "cfm_0123456789abcdef".'),
    ),
  }),
  output: confirmOutputOutput,
  annotations: { readOnlyHint: false },
  async handler(input, context: AppContext) {
    const redeemed = context.tokens.redeem(input.token);
    if (!redeemed.ok) throw new ToolError(redeemed.reason);
    const { output } = redeemed;
    if (output.kind === 'script-result') return saveScriptResult(output, context);
    let session: BrowserSession;
    try {
      session = context.sessions.get(output.sessionId);
    } catch {
      throw new ToolError(`Session ${output.sessionId} is closed; its bodies are gone.`);
    }
    const live = requireCapture(session, output.captureId).entry(output.index);
    if (!live || live.id !== output.entryId) {
      throw new ToolError(
        `Entry [${output.index}] is no longer in ${output.captureId} (the capture was cleared or maxEntries dropped it); its bodies are gone.`,
      );
    }
    const entry = redactedForSession(session, live);
    const saved: Array<{ body: string; path: string; bytes: number; truncated: boolean }> = [];
    for (const which of output.bodies) {
      const file = savedBodyFile(entry, which);
      if (!file) continue;
      const path = await writeOutputFile(context.config.outputDir, `network-bodies/${file.fileName}`, file.content);
      saved.push({ body: which, path, bytes: file.bytes, truncated: file.truncated });
    }
    if (saved.length === 0) throw new ToolError(`Entry [${output.index}] has no body left to save.`);
    const lines = saved.map(
      (file) => `${file.body} body → ${file.path} (${file.bytes} bytes${file.truncated ? ', cut at maxBodyBytes during capture' : ''})`,
    );
    return { text: `Saved:\n${lines.join('\n')}`, structured: { files: saved } };
  },
});

const exportHar = defineTool({
  name: 'export_har',
  title: 'Export the capture as HAR',
  description:
    'Writes the capture as HAR 1.2 (WebSocket frames as _webSocketMessages, SSE as _eventSourceMessages), redacted ' +
    'unless the session exposes sensitive data. Returns the path and counts.',
  input: v.strictObject({
    sessionId: sessionIdField,
    captureId: captureIdField,
    path: outputPathField('File path relative to the output directory, e.g. "har/login.har". Default har/<session>-<capture>.har.'),
    includeBodies: v.optional(v.pipe(v.boolean('true or false'), v.description('Include captured bodies (redacted). Default true.')), true),
  }),
  output: exportHarOutput,
  annotations: { readOnlyHint: false },
  async handler(input, context: AppContext) {
    const session = context.sessions.get(input.sessionId);
    const capture = requireCapture(session, input.captureId);
    const entries = capture.entries().map((entry) => redactedForSession(session, entry));
    const har = harOfShownEntries(session, entries, context.version, input.includeBodies);
    const relative = input.path ?? `har/${session.id}-${capture.id}.har`;
    const path = await writeOutputFile(context.config.outputDir, relative, JSON.stringify(har, null, 1), context.config.allowAbsolutePaths);
    const wsMessages = entries.reduce((sum, entry) => sum + (entry.webSocket?.frames.length ?? 0), 0);
    return {
      text: `Wrote HAR 1.2 with ${har.log.entries.length} entries (${wsMessages} WebSocket messages, bodies ${input.includeBodies ? 'included' : 'omitted'}, ${session.exposeSensitiveNetworkData ? 'NOT redacted' : 'redacted'}) to ${path}.`,
      structured: {
        sessionId: session.id,
        captureId: capture.id,
        path,
        entries: har.log.entries.length,
        pages: har.log.pages?.length ?? 0,
        webSocketMessages: wsMessages,
        redacted: !session.exposeSensitiveNetworkData,
      },
    };
  },
});

/** Tools that read a capture. */
export const inspectTools: AnyTool<AppContext>[] = [listNetworkRequests, getRequestDetails, confirmOutput, exportHar];
