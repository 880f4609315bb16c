import * as v from 'valibot';
import { compileUrlFilter } from '../model/url-filter.js';
import { isBase64 } from '../lib/bytes.js';
import { defineTool, ToolError, type AnyTool } from '../mcp/tool.js';
import { originOfFilter, presentRule, actionSummary, type RuleAction } from '../intercept/rules.js';
import type { AppContext } from './context.js';
import { addRuleOutput, listRulesOutput, networkConditionsOutput, removeRulesOutput, replayHarOutput } from './output-schemas.js';
import { loadReplay } from './replay-loader.js';
import { isRedirectStatus } from '../model/http.js';
import {
  compiledPattern,
  methodsField,
  resourceTypesField,
  sessionIdField,
  urlPatternField,
  wellFormedText,
  wholeNumberField,
} from './schemas.js';

/** Longest delay or latency a rule may hold a request. */
const MAX_HOLD_MS = 60_000;

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/;
const HEADER_VALUE = /^[^\r\n\0]{0,8192}$/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// Checked with v.check (not published in tools/list, which is size-budgeted).
const headerName = v.pipe(
  v.string(),
  v.check((name) => HEADER_NAME.test(name), 'an HTTP header name'),
);
const headerMap = (what: string) =>
  v.pipe(
    // A record alone accepts an array (as an object with index keys): refuse it first.
    v.custom<Record<string, string>>(
      (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
      'an object of header name → value, e.g. {"x-a":"1"}',
    ),
    v.record(v.string(), v.string('a header value string')),
    v.check((value) => Object.keys(value).length <= 50, 'at most 50 headers'),
    v.check((value) => Object.keys(value).every((name) => HEADER_NAME.test(name)), 'HTTP header names'),
    v.check(
      (value) => Object.values(value).every((text) => HEADER_VALUE.test(text) && !LONE_SURROGATE.test(text)),
      'values without CR, LF or NUL, at most 8192 characters',
    ),
    v.description(what),
  );
const textBody = (what: string) =>
  v.pipe(
    v.string('a text body'),
    v.check((text) => text.length <= 10 * 1024 * 1024, 'at most 10 MiB'),
    wellFormedText,
    v.description(what),
  );

const blockAction = v.strictObject({ type: v.pipe(v.literal('block'), v.description('The page sees a network error.')) });
const respondAction = v.pipe(
  v.strictObject({
    type: v.pipe(v.literal('respond'), v.description('Answer without contacting the server.')),
    status: wholeNumberField('a status code', 100, 599, 'HTTP status, e.g. 500.'),
    headers: v.optional(headerMap('Response headers, e.g. {"content-type":"application/json"}.')),
    body: v.optional(textBody('Response body as text.')),
    bodyBase64: v.optional(
      v.pipe(
        v.string(),
        v.check((text) => text.length <= 14 * 1024 * 1024 && isBase64(text), 'base64 text of at most 14 MiB'),
        v.description('Response body as base64 (binary).'),
      ),
    ),
  }),
  v.forward(
    v.check((action) => action.body === undefined || action.bodyBase64 === undefined, 'either body or bodyBase64, not both'),
    ['bodyBase64'],
  ),
);
const modifyAction = v.strictObject({
  type: v.pipe(v.literal('modify'), v.description('Change the request on its way out.')),
  setHeaders: v.optional(headerMap('Headers to set or replace.')),
  removeHeaders: v.optional(v.pipe(v.array(headerName), v.maxLength(50, 'at most 50 names'), v.description('Header names to remove.'))),
  url: v.optional(
    v.pipe(
      v.string(),
      v.check((text) => text.length <= 32_768 && URL.canParse(text), 'an absolute URL'),
      v.description('Send to this URL instead (same scheme).'),
    ),
  ),
  method: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z]{1,20}$/, 'an HTTP method like POST'), v.description('Send with this method.'))),
  body: v.optional(textBody('Send this request body.')),
});
const delayAction = v.strictObject({
  type: v.pipe(v.literal('delay'), v.description('Hold the request, then send it.')),
  ms: wholeNumberField('milliseconds', 0, MAX_HOLD_MS, 'Milliseconds to hold.', { unit: ' ms', unitName: 'milliseconds' }),
});

const addInput = v.strictObject({
  sessionId: sessionIdField,
  urlFilter: urlPatternField(
    'Substring, glob with * or /regex/, as in capture. Starting with http(s)://host[:port] limits it to that origin (only its requests are paused).',
  ),
  methods: methodsField('Only these methods, e.g. ["POST"].'),
  resourceTypes: resourceTypesField('Only these types, e.g. ["fetch"].'),
  action: v.pipe(
    v.variant('type', [blockAction, respondAction, modifyAction, delayAction], 'an action whose "type" is block, respond, modify or delay'),
    v.description('What to do with a match; "type" picks one.'),
  ),
  times: v.optional(wholeNumberField('a count', 1, 1_000_000, 'Apply this many times, then expire. Default: no limit.')),
});

const addNetworkRule = defineTool({
  name: 'add_network_rule',
  title: 'Add a network rule',
  description:
    'Blocks, answers (respond), rewrites (modify) or delays matching requests. Rules are tried in the order added; the first match acts. ' +
    'Returns ruleId. With times, the rule expires after N uses (stays listed). Closing the session removes its rules.',
  input: addInput,
  output: addRuleOutput,
  annotations: { readOnlyHint: false, idempotentHint: false },
  async handler(input, context: AppContext) {
    const session = context.sessions.get(input.sessionId);
    const filter = compiledPattern('urlFilter', () => compileUrlFilter(input.urlFilter));
    if (input.action.type === 'modify' && input.action.url !== undefined) {
      const scheme = new URL(input.action.url).protocol;
      if (scheme !== 'http:' && scheme !== 'https:') throw new ToolError('Invalid "action.url": an http(s) URL.');
    }
    if (input.action.type === 'modify' && input.action.url !== undefined && session.browser === 'firefox') {
      // Measured (Firefox 153): continueRequest with a new url sends the request there, but the page's fetch is aborted.
      throw new ToolError(
        'Invalid "action.url": Firefox aborts the page\'s request when an intercepted request is sent to another URL. ' +
          'Use {"type":"respond","status":307,"headers":{"location":"<new URL>"}} instead (a redirect, followed in both browsers).',
      );
    }
    return session.runExclusive(async () => {
      session.assertUsable();
      const origin = originOfFilter(filter);
      const rule = await session.shaper.addRule({
        filter,
        ...(origin ? { origin } : {}),
        ...(input.methods ? { methods: input.methods.map((method) => method.toUpperCase()) } : {}),
        ...(input.resourceTypes ? { resourceTypes: input.resourceTypes } : {}),
        action: input.action as RuleAction,
        ...(input.times !== undefined ? { times: input.times } : {}),
      });
      const shown = presentRule(rule, session.exposeSensitiveNetworkData);
      const scope = String(shown.intercepts);
      return {
        text: `Rule ${rule.id} added on ${session.id}: ${actionSummary(rule.action)} for ${input.urlFilter}${input.times ? ` (${input.times}×)` : ''}; pauses ${scope}.`,
        structured: { sessionId: session.id, ruleId: rule.id, intercepts: scope, rule: shown },
      };
    });
  },
});

const listNetworkRules = defineTool({
  name: 'list_network_rules',
  title: 'List network rules',
  description:
    'Rules in the order they are tried, with match, action (secrets redacted), hits and state (active/expired); also the HAR replay and conditions in force.',
  input: v.strictObject({ sessionId: sessionIdField }),
  output: listRulesOutput,
  annotations: { readOnlyHint: true },
  async handler(input, context: AppContext) {
    const session = context.sessions.get(input.sessionId);
    const expose = session.exposeSensitiveNetworkData;
    const rules = session.shaper.rules.map((rule) => presentRule(rule, expose));
    const replay = session.shaper.replay;
    const conditions = session.conditions.state;
    const lines = rules.map((rule) => {
      const times = rule.times === undefined ? '' : `/${String(rule.times)}`;
      return `${String(rule.ruleId)} ${String(rule.state)} ${JSON.stringify(rule.action)} ${String(rule.urlFilter)} hits ${String(rule.hits)}${times}`;
    });
    if (replay)
      lines.push(`replay ${replay.label}: served ${replay.counts.served}, unmatched ${replay.counts.unmatched} (${replay.notFound})`);
    const header = rules.length === 0 ? `No rules on ${session.id}.` : `${rules.length} rule(s) on ${session.id}, first match wins:`;
    const shownConditions = { ...conditions, extraHeaders: Object.keys(conditions.extraHeaders) };
    return {
      text: [header, ...lines].join('\n'),
      structured: {
        sessionId: session.id,
        rules,
        ...(replay ? { replay: { file: replay.label, notFound: replay.notFound, ...replay.counts } } : {}),
        conditions: shownConditions,
      },
    };
  },
});

const removeInput = v.pipe(
  v.strictObject({
    sessionId: sessionIdField,
    ruleId: v.optional(
      v.pipe(v.string('a rule id such as "r1"'), v.maxLength(20, 'at most 20 characters'), v.description('The rule to remove, e.g. "r1".')),
    ),
    all: v.optional(v.pipe(v.literal(true, 'true'), v.description('true: remove every rule.'))),
  }),
  v.check((input) => (input.ruleId === undefined) !== (input.all === undefined), 'either "ruleId" or "all": true'),
);

const removeNetworkRule = defineTool({
  name: 'remove_network_rule',
  title: 'Remove network rules',
  description: 'Removes one rule (ruleId) or every rule (all: true) and their intercepts. Requests they hold are released.',
  input: removeInput,
  output: removeRulesOutput,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true },
  async handler(input, context: AppContext) {
    const session = context.sessions.get(input.sessionId);
    return session.runExclusive(async () => {
      if (input.ruleId !== undefined && !session.shaper.rules.some((rule) => rule.id === input.ruleId)) {
        const known = session.shaper.rules.map((rule) => rule.id).join(', ') || 'none';
        throw new ToolError(`Invalid "ruleId": no rule ${input.ruleId} on ${session.id} (rules: ${known}).`);
      }
      const removed = await session.shaper.removeRules(input.all ? 'all' : [input.ruleId ?? '']);
      return {
        text: removed.length === 0 ? `No rules on ${session.id}.` : `Removed ${removed.join(', ')} from ${session.id}.`,
        structured: { sessionId: session.id, removed },
      };
    });
  },
});

const conditionsInput = v.strictObject({
  sessionId: sessionIdField,
  offline: v.optional(v.pipe(v.boolean('true or false'), v.description('true: every request fails as offline; false: back online.'))),
  cache: v.optional(v.pipe(v.picklist(['default', 'bypass'], '"default" or "bypass"'), v.description('"bypass": skip the browser cache.'))),
  extraHeaders: v.optional(headerMap('Headers added to every request (replaces earlier ones; {} clears).')),
  latencyMs: v.optional(
    wholeNumberField('milliseconds', 0, MAX_HOLD_MS, 'Hold each request this long (0 stops).', { unit: ' ms', unitName: 'milliseconds' }),
  ),
});

const setNetworkConditions = defineTool({
  name: 'set_network_conditions',
  title: 'Set network conditions',
  description:
    "Offline, cache bypass, extra request headers and added latency for the session's tab. Omitted fields stay as they are. No bandwidth emulation (BiDi has none).",
  input: conditionsInput,
  output: networkConditionsOutput,
  annotations: { readOnlyHint: false, idempotentHint: true },
  async handler(input, context: AppContext) {
    const session = context.sessions.get(input.sessionId);
    return session.runExclusive(async () => {
      const { context: tab } = await session.ensureContext();
      let state;
      try {
        state = await session.conditions.apply(
          {
            ...(input.offline !== undefined ? { offline: input.offline } : {}),
            ...(input.cache !== undefined ? { cache: input.cache } : {}),
            ...(input.extraHeaders !== undefined ? { extraHeaders: input.extraHeaders } : {}),
            ...(input.latencyMs !== undefined ? { latencyMs: input.latencyMs } : {}),
          },
          tab,
        );
      } catch (error) {
        throw new ToolError(error instanceof Error ? error.message : String(error));
      }
      const headerNames = Object.keys(state.extraHeaders);
      const text =
        `Conditions on ${session.id}: ${state.offline ? 'offline' : 'online'}, cache ${state.cache}, latency ${state.latencyMs} ms` +
        `${headerNames.length ? `, extra headers ${headerNames.join(', ')}` : ''}.`;
      return { text, structured: { sessionId: session.id, ...state, extraHeaders: headerNames } };
    });
  },
});

const replayInput = v.pipe(
  v.strictObject({
    sessionId: sessionIdField,
    path: v.optional(
      v.pipe(
        v.string('a file path'),
        v.minLength(1, 'a non-empty path'),
        v.maxLength(4096, 'at most 4096 characters'),
        v.check((p) => !p.includes('\0'), 'a path without NUL characters'),
        v.description('HAR 1.2 file (bidiscope, Chrome, Firefox or Playwright), relative to the output directory, e.g. "har/s1.har".'),
      ),
    ),
    notFound: v.optional(
      v.pipe(
        v.picklist(['abort', 'passthrough'], '"abort" or "passthrough"'),
        v.description('Requests not in the HAR: "abort" (default, offline) or "passthrough" (go to the network).'),
      ),
      'abort',
    ),
    matchBody: v.optional(
      v.pipe(
        v.boolean('true or false'),
        v.description('Prefer the entry with the same POST body (Chromium reports it; Firefox does not). Default false.'),
      ),
      false,
    ),
    stop: v.optional(v.pipe(v.literal(true, 'true'), v.description('true: stop replaying.'))),
  }),
  v.check((input) => (input.path === undefined) !== (input.stop === undefined), 'either "path" or "stop": true'),
);

const replayHar = defineTool({
  name: 'replay_har',
  title: 'Replay a HAR',
  description:
    'Answers requests from a HAR file (method + URL, query order ignored) with the recorded status, headers and body, so a page works with its server gone. ' +
    'Rules come first. Returns how many entries can be served and what cannot (WebSockets).',
  input: replayInput,
  output: replayHarOutput,
  annotations: { readOnlyHint: false, idempotentHint: false },
  async handler(input, context: AppContext) {
    const session = context.sessions.get(input.sessionId);
    if (input.stop) {
      return session.runExclusive(async () => {
        await session.shaper.setReplay(undefined);
        return {
          text: `Replay stopped on ${session.id}.`,
          structured: { sessionId: session.id, path: '', servable: 0, notReplayable: [] },
        };
      });
    }
    const loaded = await loadReplay(context, input.path ?? '', { notFound: input.notFound, matchBody: input.matchBody });
    return session.runExclusive(async () => {
      session.assertUsable();
      await session.shaper.setReplay(loaded.source);
      const { parsed } = loaded;
      const notes = [...parsed.notes];
      if (session.browser === 'chrome' && parsed.entries.some((entry) => isRedirectStatus(entry.status))) {
        notes.push('Chromium sometimes does not pause the hop after a replayed redirect; that hop then goes to the network.');
      }
      const lines = [
        `Replaying ${loaded.file} (${parsed.creator}) on ${session.id}: ${parsed.entries.length} entries can be served; requests not in it: ${input.notFound}.`,
        ...(parsed.notReplayable.length ? [`Cannot replay (${parsed.notReplayable.length}):`, ...parsed.notReplayable.slice(0, 10)] : []),
        ...(notes.length ? [`Served differently (${notes.length}):`, ...notes.slice(0, 10)] : []),
      ];
      return {
        text: lines.join('\n'),
        structured: {
          sessionId: session.id,
          path: loaded.file,
          creator: parsed.creator,
          servable: parsed.entries.length,
          notReplayable: parsed.notReplayable,
          notes,
          notFound: input.notFound,
        },
      };
    });
  },
});

/** Traffic-shaping tools. */
export const ruleTools: AnyTool<AppContext>[] = [addNetworkRule, listNetworkRules, removeNetworkRule, setNetworkConditions, replayHar];
