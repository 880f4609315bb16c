import * as v from 'valibot';
import { CAPTURE_DEFAULTS, type CaptureOptions } from '../capture/capture-options.js';
import { formatListLine } from '../format/index.js';
import { compileUrlFilter } from '../model/url-filter.js';
import { defineTool, ToolError, type AnyTool } from '../mcp/tool.js';
import { writeOutputFile } from '../output/files.js';
import type { BrowserSession } from '../sessions/browser-session.js';
import { captureData, withoutBodyData } from './capture-data.js';
import type { AppContext } from './context.js';
import { redactedForSession, requireCapture } from './present.js';
import { captureStatusOutput, clearCaptureOutput, listCapturesOutput, startCaptureOutput, stopCaptureOutput } from './output-schemas.js';
import {
  captureIdField,
  compiledPattern,
  methodsField,
  resourceTypesField,
  sessionIdField,
  urlPatternField,
  wholeNumberField,
} from './schemas.js';
import { CAPTURE_RETENTION } from '../sessions/browser-session.js';

/** Above this many characters of JSON, stop_network_capture writes its data to a file. */
const INLINE_DATA_LIMIT = 40_000;

const startInput = v.strictObject({
  sessionId: sessionIdField,
  urlFilter: v.optional(
    urlPatternField('Record only URLs matching a substring ("/api/"), a glob with * ("*/api/*") or a /regex/ ("/\\.json$/").'),
  ),
  resourceTypes: resourceTypesField('Record only these types, e.g. ["fetch","xhr"].'),
  methods: methodsField('Record only these HTTP methods, e.g. ["POST"].'),
  captureBodies: v.optional(
    v.pipe(
      v.picklist(['none', 'text', 'all'], '"none", "text" or "all"'),
      v.description(
        '"text" (default): textual bodies (JSON of any kind, HTML, forms, XML, JS); "all": binary too (base64); "none": no bodies.',
      ),
    ),
    CAPTURE_DEFAULTS.captureBodies,
  ),
  maxBodyBytes: v.optional(
    wholeNumberField(
      'a number of bytes',
      1,
      100 * 1024 * 1024,
      'Bytes kept per body; longer bodies are kept cut. Default 10485760 (10 MiB).',
      {
        maxText: '104857600 (100 MiB)',
      },
    ),
    CAPTURE_DEFAULTS.maxBodyBytes,
  ),
  maxTotalBodyBytes: v.optional(
    wholeNumberField(
      'a number of bytes',
      1,
      2 * 1024 * 1024 * 1024,
      'Bytes of bodies kept by the whole capture; later bodies are not kept (counted in status). Default 268435456 (256 MiB).',
      { maxText: '2147483648 (2 GiB)' },
    ),
    CAPTURE_DEFAULTS.maxTotalBodyBytes,
  ),
  captureWebSockets: v.optional(
    v.pipe(v.boolean('true or false'), v.description('Record WebSocket frames (page script). Default true.')),
    CAPTURE_DEFAULTS.captureWebSockets,
  ),
  captureStreaming: v.optional(
    v.pipe(v.boolean('true or false'), v.description('Record Server-Sent Events messages (page script). Default true.')),
    CAPTURE_DEFAULTS.captureStreaming,
  ),
  maxEntries: v.optional(
    wholeNumberField('a number of entries', 1, 1_000_000, 'Requests kept; past it the oldest are dropped (counted). Default 50000.'),
    CAPTURE_DEFAULTS.maxEntries,
  ),
});

/** Status in webscout-mcp's shape, plus bidiscope's extra counters. */
function captureStatus(session: BrowserSession): Record<string, unknown> {
  const capture = session.capture;
  if (!capture)
    return { sessionId: session.id, status: 'inactive', currentStats: { requests: 0, responses: 0, wsFrames: 0, streamingResponses: 0 } };
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
      failedEvents: stats.failedEvents,
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
    "Starts recording the session's traffic: every request hop, headers, timings, bodies, WebSocket frames and SSE " +
    'messages. Filters apply while recording. Only traffic after this call is recorded; error if a capture is active.',
  input: startInput,
  output: startCaptureOutput,
  annotations: { readOnlyHint: false, idempotentHint: false },
  async handler(input, context: AppContext) {
    const session = context.sessions.get(input.sessionId);
    const urlFilter =
      input.urlFilter === undefined ? undefined : compiledPattern('urlFilter', () => compileUrlFilter(input.urlFilter ?? ''));
    // Serialized per session: of concurrent starts exactly one creates a recorder, the others see it active.
    return session.runExclusive(async () => {
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
      const { capture: recorder, dropped } = await session.startCapture(options);
      const kept = previous ? ` ${previous.id} stays queryable (captureId; list_captures).` : '';
      const droppedText = dropped.length > 0 ? ` Dropped by the retention bound: ${dropped.join(', ')}.` : '';
      return {
        text: `Capture ${recorder.id} started on ${session.id}.${kept}${droppedText} Load or use the page, then list_network_requests.`,
        structured: {
          sessionId: session.id,
          captureId: recorder.id,
          status: 'active',
          startTime: new Date(recorder.startedAt).toISOString(),
          options: recorder.describeOptions(),
          notes: recorder.notes,
          droppedCaptures: dropped,
        },
      };
    });
  },
});

const getNetworkCaptureStatus = defineTool({
  name: 'get_network_capture_status',
  title: 'Capture status',
  description: 'Whether the session is recording, since when, and how many requests, responses, WebSocket frames and streams it has.',
  input: v.strictObject({ sessionId: sessionIdField }),
  output: captureStatusOutput,
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
    'Stops recording; returns a summary and the data (requests, responses, frames, streams; redacted), written to a ' +
    'JSON file when large. The capture stays queryable until cleared.',
  input: v.strictObject({ sessionId: sessionIdField }),
  output: stopCaptureOutput,
  annotations: { readOnlyHint: false },
  async handler(input, context: AppContext) {
    const session = context.sessions.get(input.sessionId);
    return session.runExclusive(async () => {
      const capture = requireCapture(session);
      if (!capture.active) {
        throw new ToolError(
          `Capture ${capture.id} on ${session.id} is already stopped. Its data is still available to list_network_requests and export_har.`,
        );
      }
      await capture.stop();
      const status = captureStatus(session);
      const entries = capture.entries().map((entry) => redactedForSession(session, withoutBodyData(entry)));
      const data = captureData(entries);
      const stats = capture.stats();
      const summary = {
        totalRequests: stats.requests,
        totalResponses: stats.responses,
        totalWsFrames: stats.wsFrames,
        streamingResponses: stats.streamingResponses,
        failed: stats.failed,
        dropped: stats.dropped,
      };
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
      // The data is serialized once: the file is the header fields, then the JSON already made.
      const file = `${JSON.stringify(base).slice(0, -1)},"data":${json}}`;
      const path = await writeOutputFile(context.config.outputDir, `captures/${session.id}-${capture.id}.json`, file);
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
  description:
    'Drops the recorded entries and frees their browser-side bodies. An active capture keeps recording; indexes are never reused.',
  input: v.strictObject({ sessionId: sessionIdField, captureId: captureIdField }),
  output: clearCaptureOutput,
  annotations: { readOnlyHint: false, destructiveHint: true },
  async handler(input, context: AppContext) {
    const session = context.sessions.get(input.sessionId);
    return session.runExclusive(async () => {
      const capture = requireCapture(session, input.captureId);
      const cleared = await capture.clear();
      return {
        text: `Cleared ${cleared} entries from ${capture.id} on ${session.id}.`,
        structured: { sessionId: session.id, captureId: capture.id, cleared, status: capture.active ? 'active' : 'inactive' },
      };
    });
  },
});

const listCaptures = defineTool({
  name: 'list_captures',
  title: 'List kept captures',
  description: `The session's captures, oldest first: id, status, counts, start and end. A session keeps ${CAPTURE_RETENTION.maxCaptures}; older ones are dropped.`,
  input: v.strictObject({ sessionId: sessionIdField }),
  output: listCapturesOutput,
  annotations: { readOnlyHint: true },
  async handler(input, context: AppContext) {
    const session = context.sessions.get(input.sessionId);
    const captures = session.captures.map((capture) => {
      const stats = capture.stats();
      return {
        captureId: capture.id,
        status: capture.active ? 'active' : 'inactive',
        startTime: new Date(capture.startedAt).toISOString(),
        ...(capture.endedAt !== undefined ? { endTime: new Date(capture.endedAt).toISOString() } : {}),
        requests: stats.requests,
        retained: stats.retained,
        failed: stats.failed,
        wsFrames: stats.wsFrames,
        streamEvents: stats.streamEvents,
      };
    });
    const lines = captures.map(
      (capture) =>
        `${capture.captureId} ${capture.status} ${capture.startTime.slice(11, 19)}–${capture.endTime?.slice(11, 19) ?? 'now'} ` +
        `${capture.retained} entries (${capture.failed} failed, ${capture.wsFrames} WS frames, ${capture.streamEvents} SSE events)`,
    );
    const text =
      captures.length === 0
        ? `No captures on ${session.id}. Call start_network_capture.`
        : `${session.id} keeps ${captures.length} capture(s):\n${lines.join('\n')}`;
    return { text, structured: { sessionId: session.id, captures } };
  },
});

/** Capture lifecycle tools. */
export const captureTools: AnyTool<AppContext>[] = [
  startNetworkCapture,
  getNetworkCaptureStatus,
  stopNetworkCapture,
  clearNetworkCapture,
  listCaptures,
];
