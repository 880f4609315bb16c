import * as v from 'valibot';
import { captureSupportFor } from '../capture/support.js';
import { defineTool, type AnyTool } from '../mcp/tool.js';
import type { BrowserSession } from '../sessions/browser-session.js';
import type { AppContext } from './context.js';
import { closeSessionOutput, initializeSessionOutput, listSessionsOutput } from './output-schemas.js';
import { navigableUrl, sessionIdField, timeoutField, wellFormedText, wholeNumberField } from './schemas.js';

const headerName = v.pipe(v.string(), v.regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'a valid HTTP header name'));

const initializeInput = v.strictObject({
  browser: v.optional(
    v.pipe(
      v.picklist(['chrome', 'firefox'], '"chrome" or "firefox"'),
      v.description('"chrome" (Chrome/Chromium via chromedriver) or "firefox". Default: the server\'s --browser.'),
    ),
  ),
  headless: v.optional(
    v.pipe(v.boolean('true or false'), v.description("Run without a window. Default: the server's setting (headless).")),
  ),
  url: v.optional(v.pipe(navigableUrl, v.description('Page to open once ready, e.g. "http://127.0.0.1:3000/".'))),
  viewport: v.optional(
    v.pipe(
      v.strictObject({
        width: wholeNumberField('a number of CSS px', 100, 7680, 'CSS px, 100–7680.', { unit: ' px' }),
        height: wholeNumberField('a number of CSS px', 100, 4320, 'CSS px, 100–4320.', { unit: ' px' }),
      }),
      v.description('Page viewport size, e.g. {"width":1280,"height":800}.'),
    ),
  ),
  userAgent: v.optional(
    v.pipe(
      v.string(),
      v.minLength(1),
      v.maxLength(1000, 'at most 1000 characters'),
      wellFormedText,
      v.description('Replaces the User-Agent string.'),
    ),
  ),
  acceptInsecureCerts: v.optional(
    v.pipe(v.boolean('true or false'), v.description('Accept self-signed or invalid TLS certificates (local HTTPS). Default false.')),
  ),
  bypassCache: v.optional(v.pipe(v.boolean('true or false'), v.description('Disable the HTTP cache for the session. Default false.'))),
  extraHeaders: v.optional(
    v.pipe(
      v.record(
        headerName,
        v.pipe(
          v.string(),
          v.maxLength(8192, 'a header value of at most 8192 characters'),
          v.regex(/^[^\r\n\0]*$/, 'a header value without CR, LF or NUL'),
          wellFormedText,
        ),
      ),
      v.description('Headers added to every request, e.g. {"x-debug":"1"}.'),
    ),
  ),
  exposeSensitiveNetworkData: v.optional(
    v.pipe(
      v.boolean('true or false'),
      v.description('Show secrets (auth headers, cookies, passwords, tokens) in every output instead of <redacted>. Default false.'),
    ),
    false,
  ),
  timeoutMs: timeoutField(60_000, 300_000),
});

/** A one-line description of a session for lists. */
function describeSession(session: BrowserSession): Record<string, unknown> {
  return {
    sessionId: session.id,
    browser: session.browser,
    browserName: session.identity.name,
    browserVersion: session.identity.version,
    state: session.state,
    ...(session.deadReason ? { deadReason: session.deadReason } : {}),
    headless: session.options.headless,
    createdAt: new Date(session.createdAt).toISOString(),
    exposeSensitiveNetworkData: session.exposeSensitiveNetworkData,
  };
}

const initializeSession = defineTool({
  name: 'initialize_session',
  title: 'Open a browser session',
  description:
    'Starts Chrome/Chromium or Firefox (fresh profile) with a WebDriver BiDi session. Returns the sessionId, the ' +
    'browser version and what capture can record there.',
  input: initializeInput,
  output: initializeSessionOutput,
  annotations: { readOnlyHint: false, openWorldHint: true },
  async handler(input, context: AppContext, extras) {
    const browser = input.browser ?? context.config.defaultBrowser;
    await extras.progress(`starting ${browser}`);
    const session = await context.sessions.open(
      {
        browser,
        headless: input.headless ?? context.config.headless,
        viewport: input.viewport,
        userAgent: input.userAgent,
        acceptInsecureCerts: input.acceptInsecureCerts,
        chromePath: context.config.chromePath,
        chromedriverPath: context.config.chromedriverPath,
        firefoxPath: context.config.firefoxPath,
        startTimeoutMs: input.timeoutMs,
      },
      async (opened) => {
        opened.exposeSensitiveNetworkData = input.exposeSensitiveNetworkData;
        if (input.viewport) await opened.setViewport(input.viewport);
        await opened.applySessionNetworkSettings({ bypassCache: input.bypassCache === true, extraHeaders: input.extraHeaders });
        if (input.url) {
          await extras.progress(`opening ${input.url}`);
          await opened.navigate(input.url, 'complete', input.timeoutMs);
        }
      },
    );
    const identity = session.identity;
    const support = captureSupportFor(session.browser, identity.version);
    const structured = { ...describeSession(session), captureSupport: support, ...(input.url ? { url: input.url } : {}) };
    const text =
      `Session ${session.id}: ${identity.name} ${identity.version}${session.options.headless ? ' (headless)' : ''}` +
      `${input.url ? `, opened ${input.url}` : ''}.\n` +
      `Capture: request bodies ${support.requestBodies ? 'yes' : 'no'}, response bodies ${support.responseBodies ? 'yes' : 'no'}, ` +
      `WebSocket frames and SSE via page script.` +
      `${session.exposeSensitiveNetworkData ? '\nSecrets are EXPOSED in outputs for this session.' : ''}`;
    return { text, structured };
  },
});

const closeSession = defineTool({
  name: 'close_session',
  title: 'Close a browser session',
  description: "Stops the session's browser and driver and removes its temporary profile. Its capture is discarded.",
  input: v.strictObject({ sessionId: sessionIdField }),
  output: closeSessionOutput,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false },
  async handler(input, context: AppContext) {
    const session = await context.sessions.close(input.sessionId);
    return { text: `Closed session ${session.id}.`, structured: { sessionId: session.id, closed: true } };
  },
});

const listSessions = defineTool({
  name: 'list_sessions',
  title: 'List open sessions',
  description: 'Lists open browser sessions with browser, version and state (open, or dead when the browser went away).',
  input: v.strictObject({}),
  output: listSessionsOutput,
  annotations: { readOnlyHint: true },
  async handler(_input, context: AppContext) {
    const sessions = context.sessions.list().map(describeSession);
    const lines = sessions.map(
      (session) =>
        `${String(session.sessionId)} ${String(session.browserName)} ${String(session.browserVersion)} ${String(session.state)}` +
        `${session.deadReason ? ` (${String(session.deadReason)})` : ''}`,
    );
    const text = sessions.length === 0 ? 'No sessions are open.' : `${sessions.length} session(s):\n${lines.join('\n')}`;
    return { text, structured: { sessions } };
  },
});

/** Session lifecycle tools. */
export const sessionTools: AnyTool<AppContext>[] = [initializeSession, closeSession, listSessions];
