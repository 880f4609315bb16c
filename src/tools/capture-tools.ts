import * as v from 'valibot';
import { CaptureRecorder } from '../capture/recorder.js';
import { CAPTURE_DEFAULTS, type CaptureOptions } from '../capture/capture-options.js';
import { formatListLine } from '../format/index.js';
import { RESOURCE_TYPES } from '../model/types.js';
import { compileUrlFilter, UrlFilterError, type UrlFilter } from '../model/url-filter.js';
import { defineTool, ToolError, type AnyTool } from '../mcp/tool.js';
import { writeOutputFile } from '../output/files.js';
import type { BrowserSession } from '../sessions/browser-session.js';
import { captureData } from './capture-data.js';
import type { AppContext } from './context.js';
import { presentable, requireCapture } from './present.js';
import { sessionIdField } from './schemas.js';

/** Above this many characters of JSON, stop_network_capture writes its data to a file. */
const INLINE_DATA_LIMIT = 40_000;

const startInput = v.strictObject({
  sessionId: sessionIdField,
  urlFilter: v.optional(v.pipe(v.string('a substring, glob or /regex/'), v.minLength(1, 'a non-empty filter'), v.maxLength(500, 'at most 500 characters'))),
  resourceTypes: v.optional(v.pipe(v.array(v.picklist(RESOURCE_TYPES, `one of ${RESOURCE_TYPES.join(', ')}`)), v.minLength(1, 'at least one type'))),
  methods: v.optional(
    v.pipe(v.array(v.pipe(v.string(), v.regex(/^[A-Za-z]{1,20}$/, 'an HTTP method like GET or POST'))), v.minLength(1, 'at least one method')),
  ),
  captureBodies: v.optional(v.picklist(['none', 'text', 'all'], '"none", "text" or "all"'), CAPTURE_DEFAULTS.captureBodies),
  maxBodyBytes: v.optional(
    v.pipe(v.number('a number of bytes'), v.integer('a whole number'), v.minValue(1, 'at least 1'), v.maxValue(100 * 1024 * 1024, 'at most 104857600 (100 MiB)')),
    CAPTURE_DEFAULTS.maxBodyBytes,
  ),
  maxTotalBodyBytes: v.optional(
    v.pipe(v.number('a number of bytes'), v.integer('a whole number'), v.minValue(1, 'at least 1'), v.maxValue(2 * 1024 * 1024 * 1024, 'at most 2147483648 (2 GiB)')),
    CAPTURE_DEFAULTS.maxTotalBodyBytes,
  ),
  captureWebSockets: v.optional(v.boolean('true or false'), CAPTURE_DEFAULTS.captureWebSockets),
  captureStreaming: v.optional(v.boolean('true or false'), CAPTURE_DEFAULTS.captureStreaming),
  maxEntries: v.optional(
    v.pipe(v.number('a number of entries'), v.integer('a whole number'), v.minValue(1, 'at least 1'), v.maxValue(1_000_000, 'at most 1000000')),
    CAPTURE_DEFAULTS.maxEntries,
  ),
});

function compileFilter(text: string | undefined): UrlFilter | undefined {
  if (text === undefined) return undefined;
  try {
    return compileUrlFilter(text);
  } catch (error) {
    if (error instanceof UrlFilterError) throw new ToolError(`Invalid "urlFilter": ${error.message}`);
    throw error;
  }
}

/** Status in webscout-mcp's shape, plus bidiscope's extra counters. */
export function captureStatus(session: BrowserSession): Record<string, unknown> {
  const capture = session.capture;
  if (!capture) return { sessionId: session.id, status: 'inactive', currentStats: { requests: 0, responses: 0, wsFrames: 0, streamingResponses: 0 } };
  const stats = capture.stats();
  const end = capture.endedAt ?? Date.now();
  return {
    sessionId: session.id,
    captureId: capture.id,
    status: capture.active ? 'active' : 'inactive',
    startTime: new Date(capture.startedAt).toISOString(),
    duration: end - capture.startedAt,
    currentStats: {
      requests: stats.requests,
      responses: stats.responses,
      wsFrames: stats.wsFrames,
      streamingResponses: stats.streamingResponses,
    },
    extraStats: {
      failed: stats.failed,
      streamEvents: stats.streamEvents,
      retained: stats.retained,
      dropped: stats.dropped,
      filtered: stats.filtered,
      bodiesStoredBytes: stats.bodiesStoredBytes,
      bodiesPending: stats.bodiesPending,
      bodiesSkippedForBudget: stats.bodiesSkippedForBudget,
    },
    options: capture.describeOptions(),
    ...(capture.notes.length > 0 ? { notes: capture.notes } : {}),
    ...(session.state === 'dead' ? { browser: `gone: ${session.deadReason ?? 'unknown'}` } : {}),
  };
}

function statusText(status: Record<string, unknown>): string {
  const current = status.currentStats as Record<string, number>;
  const extra = (status.extraStats ?? {}) as Record<string, number>;
  const parts = [
    `${current.requests} requests`,
    `${current.responses} responses`,
    `${extra.failed ?? 0} failed`,
    `${current.wsFrames} WS frames`,
    `${current.streamingResponses} streams`,
  ];
  if (extra.dropped) parts.push(`dropped ${extra.dropped} (maxEntries)`);
  if (extra.filtered) parts.push(`${extra.filtered} filtered out`);
  if (extra.bodiesSkippedForBudget) parts.push(`${extra.bodiesSkippedForBudget} bodies over budget`);
  const duration = typeof status.duration === 'number' ? ` for ${(status.duration / 1000).toFixed(1)} s` : '';
  return `Capture ${String(status.captureId ?? '')} on ${String(status.sessionId)}: ${String(status.status)}${duration}. ${parts.join(', ')}.`;
}

const startNetworkCapture = defineTool({
  name: 'start_network_capture',
  title: 'Start recording network traffic',
  description:
    'Starts recording the session\'s network traffic: every request hop, headers, timings, bodies (captureBodies: ' +
    '"text" by default, "all" adds binary, "none" skips them), WebSocket frames and EventSource messages. Filters apply ' +
    'while recording: urlFilter (substring, glob with *, or /regex/), resourceTypes, methods. maxEntries bounds memory ' +
    '(oldest entries are dropped and counted). Only traffic after this call is recorded. Error if a capture is already active.',
  input: startInput,
  annotations: { readOnlyHint: false, idempotentHint: false },
  async handler(input, context: AppContext) {
    const session = context.sessions.get(input.sessionId);
    const urlFilter = compileFilter(input.urlFilter);
    // Serialized per session: of concurrent starts exactly one creates a recorder, the others see it active.
    return session.serialize(async () => {
      session.assertUsable();
      if (session.capture?.active) {
        throw new ToolError(`A capture (${session.capture.id}) is already active on ${session.id}. Call stop_network_capture first.`);
      }
      const options: CaptureOptions = {
        urlFilter,
        resourceTypes: input.resourceTypes,
        methods: input.methods?.map((method) => method.toUpperCase()),
        captureBodies: input.captureBodies,
        maxBodyBytes: input.maxBodyBytes,
        maxTotalBodyBytes: input.maxTotalBodyBytes,
        captureWebSockets: input.captureWebSockets,
        captureStreaming: input.captureStreaming,
        maxEntries: input.maxEntries,
      };
      const previous = session.capture;
      const recorder = new CaptureRecorder(session.bidi, session.id, options, () => session.context, session.browser);
      await recorder.start();
      session.capture = recorder;
      const replaced = previous ? ` The previous capture ${previous.id} (${previous.stats().retained} entries) was discarded.` : '';
      return {
        text: `Capture ${recorder.id} started on ${session.id}.${replaced} Load or use the page, then list_network_requests.`,
        structured: { sessionId: session.id, captureId: recorder.id, status: 'active', startTime: new Date(recorder.startedAt).toISOString(), options: recorder.describeOptions(), notes: recorder.notes },
      };
    });
  },
});

const getNetworkCaptureStatus = defineTool({
  name: 'get_network_capture_status',
  title: 'Capture status',
  description: 'Whether the session is recording, since when, and how many requests, responses, WebSocket frames and streams it has.',
  input: v.strictObject({ sessionId: sessionIdField }),
  annotations: { readOnlyHint: true },
  async handler(input, context: AppContext) {
    const session = context.sessions.get(input.sessionId);
    const status = captureStatus(session);
    return { text: session.capture ? statusText(status) : `No capture on ${session.id}. Call start_network_capture.`, structured: status };
  },
});

const stopNetworkCapture = defineTool({
  name: 'stop_network_capture',
  title: 'Stop recording',
  description:
    'Stops recording and returns a summary plus the captured data (requests, responses, WebSocket frames, streaming ' +
    'responses; secrets redacted). Large data is written as JSON to the output directory and the result gives the path ' +
    'and a preview. The capture stays queryable (list_network_requests, get_request_details, export_har) until cleared.',
  input: v.strictObject({ sessionId: sessionIdField }),
  annotations: { readOnlyHint: false },
  async handler(input, context: AppContext) {
    const session = context.sessions.get(input.sessionId);
    return session.serialize(async () => {
      const capture = requireCapture(session);
      if (!capture.active) {
        throw new ToolError(`Capture ${capture.id} on ${session.id} is already stopped. Its data is still available to list_network_requests and export_har.`);
      }
      await capture.stop();
      const status = captureStatus(session);
      const entries = capture.log.entries().map((entry) => presentable(session, entry));
      const data = captureData(entries);
      const stats = capture.stats();
      const summary = { totalRequests: stats.requests, totalResponses: stats.responses, totalWsFrames: stats.wsFrames, streamingResponses: stats.streamingResponses, failed: stats.failed, dropped: stats.dropped };
      const base = {
        sessionId: session.id,
        captureId: capture.id,
        duration: status.duration,
        startTime: status.startTime,
        endTime: new Date(capture.endedAt ?? Date.now()).toISOString(),
        summary,
        options: capture.describeOptions(),
      };
      const json = JSON.stringify(data);
      const header = statusText(status);
      if (json.length <= INLINE_DATA_LIMIT) {
        return { text: `${header}\n${entries.map((entry) => formatListLine(entry)).join('\n')}`, structured: { ...base, data } };
      }
      const path = await writeOutputFile(context.config.outputDir, `captures/${session.id}-${capture.id}.json`, JSON.stringify({ ...base, data }, null, 1));
      const preview = entries.slice(0, 20).map((entry) => formatListLine(entry));
      return {
        text: `${header}\nData (${json.length} bytes) written to ${path}. First ${preview.length} of ${entries.length}:\n${preview.join('\n')}`,
        structured: { ...base, data: { file: path, bytes: json.length, preview } },
      };
    });
  },
});

const clearNetworkCapture = defineTool({
  name: 'clear_network_capture',
  title: 'Clear captured entries',
  description: 'Drops every recorded entry and frees the bodies the browser holds for them. An active capture keeps recording; indexes restart at 0.',
  input: v.strictObject({ sessionId: sessionIdField }),
  annotations: { readOnlyHint: false, destructiveHint: true },
  async handler(input, context: AppContext) {
    const session = context.sessions.get(input.sessionId);
    return session.serialize(async () => {
      const capture = requireCapture(session);
      const cleared = await capture.clear();
      return { text: `Cleared ${cleared} entries from ${capture.id} on ${session.id}.`, structured: { sessionId: session.id, captureId: capture.id, cleared, status: capture.active ? 'active' : 'inactive' } };
    });
  },
});

/** Capture lifecycle tools. */
export const captureTools: AnyTool<AppContext>[] = [startNetworkCapture, getNetworkCaptureStatus, stopNetworkCapture, clearNetworkCapture];
