import * as v from 'valibot';
import { defineTool, type AnyTool } from '../mcp/tool.js';
import { utf8ByteLength } from '../lib/bytes.js';
import { formatBytes } from '../format/index.js';
import { writeOutputFile } from '../output/files.js';
import { renderReport } from '../report/index.js';
import type { AppContext } from './context.js';
import { exportReportOutput } from './output-schemas.js';
import { redactedForSession, harOfShownEntries, requireCapture } from './present.js';
import { captureIdField, outputPathField, sessionIdField } from './schemas.js';

const exportReport = defineTool({
  name: 'export_report',
  title: 'Export a waterfall report',
  description:
    'Writes the capture as one self-contained HTML page (opens offline): a waterfall with timing phases, WebSocket/SSE ' +
    'ticks and navigations, a summary, a filter and redacted details. Returns the path.',
  input: v.strictObject({
    sessionId: sessionIdField,
    captureId: captureIdField,
    path: outputPathField('File path relative to the output directory. Default reports/<session>-<capture>.html.'),
  }),
  output: exportReportOutput,
  annotations: { readOnlyHint: false },
  async handler(input, context: AppContext) {
    const session = context.sessions.get(input.sessionId);
    const capture = requireCapture(session, input.captureId);
    const entries = capture.entries().map((entry) => redactedForSession(session, entry));
    const har = harOfShownEntries(session, entries, context.version, true);
    const identity = session.identity;
    const html = renderReport(har, `bidiscope ${capture.id} — ${identity.name} ${identity.version}`);
    const relative = input.path ?? `reports/${session.id}-${capture.id}.html`;
    const path = await writeOutputFile(context.config.outputDir, relative, html, context.config.allowAbsolutePaths);
    const redacted = !session.exposeSensitiveNetworkData;
    const bytes = utf8ByteLength(html);
    return {
      text: `Wrote a waterfall report of ${entries.length} requests (${formatBytes(bytes)}, ${redacted ? 'redacted' : 'NOT redacted'}) to ${path}. Open it in a browser.`,
      structured: { sessionId: session.id, captureId: capture.id, path, requests: entries.length, bytes, redacted },
    };
  },
});

/** Tools that make something for a person to look at. */
export const reportTools: AnyTool<AppContext>[] = [exportReport];
