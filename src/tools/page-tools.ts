import * as v from 'valibot';
import { utf8ByteLength } from '../lib/bytes.js';
import { defineTool, ToolError, type AnyTool } from '../mcp/tool.js';
import type { AppContext } from './context.js';
import { navigateOutput } from './output-schemas.js';
import { navigableUrl, sessionIdField, timeoutField, wellFormedText } from './schemas.js';
import { formatScriptResult, isInline } from './script-output.js';

const navigate = defineTool({
  name: 'navigate',
  title: 'Navigate the tab',
  description: "Loads a URL in the session's tab and waits as `wait` says. Opens a new tab if the previous one was closed.",
  input: v.strictObject({
    sessionId: sessionIdField,
    url: v.pipe(navigableUrl, v.description('Absolute http(s) URL (or about:blank, data:), e.g. "http://127.0.0.1:3000/login".')),
    wait: v.optional(
      v.pipe(
        v.picklist(['none', 'interactive', 'complete'], '"none", "interactive" or "complete"'),
        v.description('Return at once ("none"), at DOMContentLoaded ("interactive") or at load ("complete", default).'),
      ),
      'complete',
    ),
    timeoutMs: timeoutField(30_000, 300_000),
  }),
  output: navigateOutput,
  annotations: { readOnlyHint: false, openWorldHint: true },
  async handler(input, context: AppContext) {
    const session = context.sessions.get(input.sessionId);
    try {
      const result = await session.navigate(input.url, input.wait, input.timeoutMs);
      const reopened = result.reopenedTab ? ' (the previous tab was closed; opened a new one)' : '';
      return {
        text: `Navigated ${session.id} to ${result.url} (wait: ${input.wait})${reopened}.`,
        structured: { sessionId: session.id, url: result.url, wait: input.wait, reopenedTab: result.reopenedTab },
      };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new ToolError(`Navigation to ${input.url} failed: ${message}`);
    }
  },
});

const evaluateScript = defineTool({
  name: 'evaluate_script',
  title: 'Run JavaScript in the page',
  description:
    'Runs JavaScript in the tab (how an agent clicks, submits, reads) and returns JSON. Up to 4 KB comes back whole; ' +
    'more as shape, size and preview with a confirm_output token for the full value. A page exception is an error; ' +
    'a script still running at timeoutMs fails the call and a stuck page is recovered.',
  input: v.pipe(
    v.strictObject({
      sessionId: sessionIdField,
      expression: v.optional(
        v.pipe(
          v.string('JavaScript source text'),
          v.maxLength(1_000_000, 'at most 1,000,000 characters'),
          wellFormedText,
          v.description('A JavaScript expression, e.g. "document.title". Give this or function.'),
        ),
      ),
      function: v.optional(
        v.pipe(
          v.string('a function declaration'),
          v.maxLength(1_000_000, 'at most 1,000,000 characters'),
          wellFormedText,
          v.description('A function called with args, e.g. "(a, b) => a + b". Give this or expression.'),
        ),
      ),
      args: v.optional(
        v.pipe(
          v.array(v.unknown(), 'a JSON array'),
          v.maxLength(100, 'at most 100 arguments'),
          v.description('JSON arguments for function, e.g. [1, "x"].'),
        ),
      ),
      awaitPromise: v.optional(
        v.pipe(v.boolean('true or false'), v.description('Wait for a returned promise to settle. Default true.')),
        true,
      ),
      timeoutMs: timeoutField(30_000, 300_000),
    }),
    v.check((input) => (input.expression === undefined) !== (input.function === undefined), 'exactly one of "expression" or "function"'),
  ),
  annotations: { readOnlyHint: false, openWorldHint: true },
  async handler(input, context: AppContext) {
    const session = context.sessions.get(input.sessionId);
    const code =
      input.expression !== undefined
        ? { expression: input.expression }
        : { functionDeclaration: input.function ?? '', args: input.args ?? [] };
    if (input.args !== undefined && input.expression !== undefined) {
      throw new ToolError('"args" only goes with "function"; an expression takes no arguments.');
    }
    const outcome = await session.evaluate(code, input.awaitPromise, input.timeoutMs);
    if (!outcome.ok) throw new ToolError(`The script threw in the page: ${outcome.exception}`);
    const { result } = outcome;
    const { header, json } = result;
    const base = {
      sessionId: session.id,
      kind: header.kind,
      ...(header.size !== undefined ? { size: header.size } : {}),
      ...(Object.keys(header.notes).length > 0 ? { described: header.notes } : {}),
    };
    if (json !== undefined && isInline(result)) {
      return { text: formatScriptResult(result, undefined, undefined), structured: { ...base, result: JSON.parse(json) as unknown } };
    }
    const jsonBytes = json !== undefined ? utf8ByteLength(json) : undefined;
    const token =
      json !== undefined
        ? context.tokens.issue({ kind: 'script-result', sessionId: session.id, resultId: session.scriptResults.keep(json) })
        : undefined;
    return {
      text: formatScriptResult(result, jsonBytes, token),
      structured: {
        ...base,
        truncated: true,
        preview: header.preview,
        ...(header.shown !== undefined ? { shown: header.shown } : {}),
        ...(jsonBytes !== undefined ? { jsonBytes } : {}),
        ...(header.tooBig ? { tooBig: true } : {}),
        ...(header.tooSlow ? { tooSlow: true, jsonLength: header.jsonLength } : {}),
        ...(header.error !== undefined ? { error: header.error } : {}),
        ...(token !== undefined ? { confirmToken: token } : {}),
      },
    };
  },
});

/** Tools that act on the page. */
export const pageTools: AnyTool<AppContext>[] = [navigate, evaluateScript];
