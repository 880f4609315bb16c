import * as v from 'valibot';
import {
  curlCommand,
  diffEntries,
  DIFF_THRESHOLDS,
  fetchCommand,
  requestPayload,
  SEARCH_FIELDS,
  searchEntries,
  type CaptureDiff,
  type PairChange,
} from '../analysis/index.js';
import { formatBytes, formatListLine, shortenUrl } from '../format/index.js';
import { defineTool, ToolError, type AnyTool } from '../mcp/tool.js';
import { base64ToBytes } from '../lib/bytes.js';
import { compileTextPattern } from '../model/url-filter.js';
import { writeOutputFile } from '../output/files.js';
import type { AppContext } from './context.js';
import { diffCapturesOutput, exportRequestOutput, searchNetworkOutput } from './output-schemas.js';
import { findEntry, redactedForSession, requireCapture } from './present.js';
import { captureIdField, compiledPattern, limitField, offsetField, sessionIdField, entryIndexField } from './schemas.js';

/** How long one search may run before it answers with what it found so far. */
const SEARCH_TIME_BOUND_MS = 5_000;

const searchNetwork = defineTool({
  name: 'search_network',
  title: 'Search a capture',
  description:
    'Finds text in URLs, headers, bodies, WebSocket frames and SSE events; one line per hit with [index], where and a ' +
    'snippet. Searches what you may see: redacted secrets are not found.',
  input: v.strictObject({
    sessionId: sessionIdField,
    captureId: captureIdField,
    query: v.pipe(
      v.string('a substring, glob or /regex/'),
      v.minLength(1, 'a non-empty query'),
      v.maxLength(500, 'at most 500 characters'),
      v.description('Case-insensitive substring, glob ("order-*") or /regex/flags ("/id\\":\\\\s*42/"); linear time.'),
    ),
    in: v.optional(
      v.pipe(
        v.array(v.picklist(SEARCH_FIELDS, `any of ${SEARCH_FIELDS.join(', ')}`)),
        v.minLength(1),
        v.description(`Where to look, any of ${SEARCH_FIELDS.join(', ')}. Default all.`),
      ),
    ),
    offset: offsetField('Hits'),
    limit: limitField('Hits', 200, 30),
  }),
  output: searchNetworkOutput,
  annotations: { readOnlyHint: true },
  async handler(input, context: AppContext) {
    const session = context.sessions.get(input.sessionId);
    const capture = requireCapture(session, input.captureId);
    const pattern = compiledPattern('query', () => compileTextPattern(input.query));
    const started = performance.now();
    const entries = capture.entries().map((entry) => redactedForSession(session, entry));
    const outcome = searchEntries(entries, pattern, {
      fields: input.in ?? SEARCH_FIELDS,
      maxHits: input.offset + input.limit,
      deadline: started + SEARCH_TIME_BOUND_MS,
    });
    const page = outcome.hits.slice(input.offset);
    const lines = page.map((hit) => `[${hit.index}] ${hit.method} ${shortenUrl(hit.url, { maxLength: 70 })}  ${hit.where}: ${hit.snippet}`);
    const { pending, unavailable, binary } = outcome.notSearched;
    const notes: string[] = [];
    if (outcome.truncated) notes.push(`more hits: offset ${input.offset + page.length}`);
    if (pending > 0) notes.push(`${pending} bodies still being fetched were not searched (search again shortly)`);
    if (unavailable + binary > 0) notes.push(`${unavailable} unavailable and ${binary} binary bodies not searched`);
    if (outcome.timedOut) notes.push(`stopped after ${SEARCH_TIME_BOUND_MS} ms at entry ${outcome.entriesSearched} of ${entries.length}`);
    const header = `${page.length === 0 ? 'No hits' : `Hits ${input.offset + 1}–${input.offset + page.length}`} for ${pattern.kind} "${input.query}" in ${capture.id} (${outcome.entriesSearched} entries${session.exposeSensitiveNetworkData ? '' : ', redacted text'}).`;
    return {
      text: [header, ...lines, ...(notes.length > 0 ? [`(${notes.join('; ')})`] : [])].join('\n'),
      structured: {
        sessionId: session.id,
        captureId: capture.id,
        hits: page,
        more: outcome.truncated,
        entriesSearched: outcome.entriesSearched,
        notSearched: outcome.notSearched,
        timedOut: outcome.timedOut,
      },
    };
  },
});

const captureRef = v.strictObject({ sessionId: sessionIdField, captureId: captureIdField });

function changeLine(change: PairChange): string {
  const parts: string[] = [];
  if (change.status) parts.push(`status ${change.status[0] ?? 'error'}→${change.status[1] ?? 'error'}`);
  if (change.resourceType) parts.push(`type ${change.resourceType[0]}→${change.resourceType[1]}`);
  if (change.size) parts.push(`size ${formatBytes(change.size[0])}→${formatBytes(change.size[1])}`);
  if (change.durationMs) parts.push(`time ${change.durationMs[0]}→${change.durationMs[1]} ms`);
  if (change.headersAdded.length > 0) parts.push(`+headers ${change.headersAdded.join(', ')}`);
  if (change.headersRemoved.length > 0) parts.push(`-headers ${change.headersRemoved.join(', ')}`);
  if (change.json) {
    const json = change.json;
    const list = [
      ...json.added.map((path) => `+${path}`),
      ...json.removed.map((path) => `-${path}`),
      ...json.typeChanged.map((path) => `~${path}`),
    ];
    parts.push(`json ${list.slice(0, 6).join(' ')}${list.length > 6 ? ` …${list.length - 6} more` : ''}`);
  }
  return `[${change.a}]→[${change.b}] ${change.method} ${shortenUrl(change.url, { maxLength: 60 })}: ${parts.join('; ')}`;
}

const MAX_DIFF_LINES = 40;

function diffText(diff: CaptureDiff, labelA: string, labelB: string): string {
  const lines = [
    `${labelA} vs ${labelB}: ${diff.paired} paired, ${diff.onlyInA.length} only in a, ${diff.onlyInB.length} only in b, ${diff.changed.length} changed ` +
      `(reported when size moves ≥ ${DIFF_THRESHOLDS.sizeRatio * 100}% and ≥ ${DIFF_THRESHOLDS.sizeBytes} B, time ≥ ${DIFF_THRESHOLDS.durationRatio * 100}% and ≥ ${DIFF_THRESHOLDS.durationMs} ms).`,
  ];
  const body = [
    ...diff.onlyInA.map(
      (ref) =>
        `only in a: [${ref.index}] ${ref.method} ${shortenUrl(ref.url, { maxLength: 70 })} ${ref.status ?? ''}${ref.note ? ` (${ref.note})` : ''}`,
    ),
    ...diff.onlyInB.map(
      (ref) =>
        `only in b: [${ref.index}] ${ref.method} ${shortenUrl(ref.url, { maxLength: 70 })} ${ref.status ?? ''}${ref.note ? ` (${ref.note})` : ''}`,
    ),
    ...diff.changed.map(changeLine),
  ];
  lines.push(...body.slice(0, MAX_DIFF_LINES));
  if (body.length > MAX_DIFF_LINES) lines.push(`… ${body.length - MAX_DIFF_LINES} more lines in structuredContent`);
  return lines.join('\n');
}

const diffCaptures = defineTool({
  name: 'diff_captures',
  title: 'Compare two captures',
  description:
    'Pairs the requests of two captures (two browsers, or before/after) by method + URL and reports what only one has, ' +
    'and status, type, size, time, header-name and JSON-shape changes. Browser noise is normalized away.',
  input: v.strictObject({
    a: v.pipe(captureRef, v.description('First capture: {sessionId?, captureId?}; default the latest of the only session.')),
    b: v.pipe(captureRef, v.description('Second capture, e.g. {"sessionId":"s2"} or {"captureId":"capture-3"}.')),
    ignoreQuery: v.optional(v.pipe(v.boolean(), v.description('Pair by query parameter names only, not values. Default false.')), false),
    ignoreOrigin: v.optional(
      v.pipe(v.boolean(), v.description('Pair by path only, ignoring scheme, host and port (staging vs production). Default false.')),
      false,
    ),
  }),
  output: diffCapturesOutput,
  annotations: { readOnlyHint: true },
  async handler(input, context: AppContext) {
    const sessionA = context.sessions.get(input.a.sessionId);
    const sessionB = context.sessions.get(input.b.sessionId);
    const captureA = requireCapture(sessionA, input.a.captureId);
    const captureB = requireCapture(sessionB, input.b.captureId);
    if (captureA === captureB)
      throw new ToolError('Invalid "b": it names the same capture as "a"; give two different captures (captureId, or another sessionId).');
    const entriesA = captureA.entries().map((entry) => redactedForSession(sessionA, entry));
    const entriesB = captureB.entries().map((entry) => redactedForSession(sessionB, entry));
    const diff = diffEntries(entriesA, entriesB, { ignoreQuery: input.ignoreQuery, ignoreOrigin: input.ignoreOrigin });
    const label = (session: typeof sessionA, id: string): string =>
      `${id} (${session.id}, ${session.identity.name} ${session.identity.version})`;
    return {
      text: diffText(diff, label(sessionA, captureA.id), label(sessionB, captureB.id)),
      structured: {
        a: { sessionId: sessionA.id, captureId: captureA.id },
        b: { sessionId: sessionB.id, captureId: captureB.id },
        thresholds: DIFF_THRESHOLDS,
        ...diff,
      },
    };
  },
});

const exportRequest = defineTool({
  name: 'export_request',
  title: 'Export a request as a command',
  description:
    'A curl (POSIX shell) or fetch command that sends a captured request again: method, URL, headers, body. Secrets are ' +
    '<redacted> placeholders unless the session exposes them; a binary body is saved to a file the command reads.',
  input: v.strictObject({
    sessionId: sessionIdField,
    captureId: captureIdField,
    index: entryIndexField,
    format: v.optional(v.pipe(v.picklist(['curl', 'fetch'], '"curl" or "fetch"'), v.description('"curl" (default) or "fetch".')), 'curl'),
  }),
  output: exportRequestOutput,
  annotations: { readOnlyHint: false },
  async handler(input, context: AppContext) {
    const session = context.sessions.get(input.sessionId);
    const { capture, entry: live } = findEntry(session, input.index, input.captureId);
    const entry = redactedForSession(session, live);
    const exposed = session.exposeSensitiveNetworkData;
    let bodyFile: string | undefined;
    const payload = requestPayload(entry);
    if (input.format === 'curl' && payload.kind === 'binary') {
      bodyFile = await writeOutputFile(
        context.config.outputDir,
        `requests/${session.id}-${entry.index}-body.bin`,
        base64ToBytes(payload.base64) ?? new Uint8Array(),
      );
    }
    const { command, notes } = input.format === 'curl' ? curlCommand(entry, bodyFile, exposed) : fetchCommand(entry, exposed);
    const text = [`${formatListLine(entry)}`, '', command, ...(notes.length > 0 ? ['', ...notes.map((note) => `Note: ${note}`)] : [])].join(
      '\n',
    );
    return {
      text,
      structured: {
        sessionId: session.id,
        captureId: capture.id,
        index: entry.index,
        format: input.format,
        command,
        notes,
        ...(bodyFile ? { bodyFile } : {}),
      },
    };
  },
});

/** Tools that reason across captured traffic. */
export const analysisTools: AnyTool<AppContext>[] = [searchNetwork, diffCaptures, exportRequest];
