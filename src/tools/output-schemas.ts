/**
 * Shapes of the tools' `structuredContent`, published as each tool's `outputSchema`. They name the top-level fields a
 * client may rely on, with their types (loose objects: more fields appear). Kept terse on purpose: every client reads
 * tools/list on connect. The e2e client validates every real result against them.
 */
import * as v from 'valibot';

const count = v.number();
const sessionId = v.string();
const captureId = v.string();
const counters = v.record(v.string(), v.number());

export const initializeSessionOutput = v.looseObject({
  sessionId,
  browserName: v.string(),
  browserVersion: v.string(),
  captureSupport: v.record(v.string(), v.unknown()),
});
export const closeSessionOutput = v.looseObject({ sessionId, closed: v.boolean() });
export const listSessionsOutput = v.looseObject({
  sessions: v.array(v.looseObject({ sessionId, browser: v.string(), state: v.picklist(['open', 'dead', 'closed']) })),
});
export const navigateOutput = v.looseObject({ sessionId, url: v.string(), reopenedTab: v.boolean() });
export const startCaptureOutput = v.looseObject({ sessionId, captureId, status: v.literal('active') });
export const captureStatusOutput = v.looseObject({
  sessionId,
  captureId: v.optional(captureId),
  status: v.picklist(['active', 'inactive']),
  currentStats: counters,
});
export const stopCaptureOutput = v.looseObject({ sessionId, captureId, summary: counters, data: v.looseObject({}) });
export const clearCaptureOutput = v.looseObject({ sessionId, captureId, cleared: count });
export const listRequestsOutput = v.looseObject({
  captureId,
  total: count,
  returned: count,
  nextOffset: v.optional(count),
  indexes: v.array(count),
});
export const requestDetailsOutput = v.looseObject({
  captureId,
  index: count,
  method: v.string(),
  url: v.string(),
  state: v.picklist(['pending', 'complete', 'failed']),
  status: v.optional(count),
  confirmToken: v.optional(v.string()),
});
export const confirmOutputOutput = v.looseObject({ files: v.array(v.looseObject({ path: v.string(), bytes: count })) });
export const exportHarOutput = v.looseObject({ path: v.string(), entries: count, redacted: v.boolean() });
export const exportReportOutput = v.looseObject({ path: v.string(), requests: count, redacted: v.boolean() });
export const listCapturesOutput = v.looseObject({
  sessionId,
  captures: v.array(v.looseObject({ captureId, status: v.string(), retained: count })),
});
export const searchNetworkOutput = v.looseObject({
  captureId,
  hits: v.array(v.looseObject({ index: count, where: v.string(), snippet: v.string() })),
  more: v.boolean(),
});
export const diffCapturesOutput = v.looseObject({
  paired: count,
  onlyInA: v.array(v.unknown()),
  onlyInB: v.array(v.unknown()),
  changed: v.array(v.unknown()),
});
export const exportRequestOutput = v.looseObject({ index: count, format: v.string(), command: v.string() });
export const addRuleOutput = v.looseObject({ sessionId, ruleId: v.string(), intercepts: v.string() });
export const listRulesOutput = v.looseObject({
  sessionId,
  rules: v.array(v.looseObject({ ruleId: v.string(), hits: count, state: v.picklist(['active', 'expired']) })),
});
export const removeRulesOutput = v.looseObject({ sessionId, removed: v.array(v.string()) });
export const networkConditionsOutput = v.looseObject({
  sessionId,
  offline: v.boolean(),
  cache: v.picklist(['default', 'bypass']),
  latencyMs: count,
});
export const replayHarOutput = v.looseObject({ sessionId, path: v.string(), servable: count, notReplayable: v.array(v.string()) });
