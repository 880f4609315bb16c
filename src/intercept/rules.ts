/**
 * Network rules: what `add_network_rule` installs. Pure: matching, expiry, what BiDi intercept patterns a rule needs,
 * and how a rule is shown (bodies and header values through the redaction module).
 *
 * Intercept only what can match: a filter that begins with `http(s)://host[:port]` (substring or glob, no wildcard
 * in the host) applies to that origin only, so its intercept is a BiDi URL pattern on protocol + host + port and
 * requests to other origins are never paused. Any other filter (a path substring, a glob, a /regex/) cannot be
 * written as a BiDi URL pattern, so its intercept pauses every request and the rule is tried on each.
 */
import { base64DecodedLength } from '../lib/bytes.js';
import { findHeaderInMap } from '../model/headers.js';
import type { ResourceType } from '../model/types.js';
import type { UrlFilter } from '../model/url-filter.js';
import { redactBodyText, redactHeaderValue } from '../redact/index.js';

/** What a rule does to a matching request. */
export type RuleAction =
  | { type: 'block' }
  | { type: 'respond'; status: number; headers?: Record<string, string>; body?: string; bodyBase64?: string }
  | {
      type: 'modify';
      setHeaders?: Record<string, string>;
      removeHeaders?: string[];
      url?: string;
      method?: string;
      body?: string;
    }
  | { type: 'delay'; ms: number };

/** One installed rule. */
export interface NetworkRule {
  id: string;
  filter: UrlFilter;
  /** `protocol://host:port` the filter is bound to, when it names one. */
  origin?: OriginPattern;
  methods?: string[];
  resourceTypes?: ResourceType[];
  action: RuleAction;
  /** Apply this many times, then expire. */
  times?: number;
  hits: number;
}

/** The origin a filter names: BiDi `network.UrlPatternPattern` fields. */
export interface OriginPattern {
  protocol: 'http' | 'https';
  hostname: string;
  /** Empty for the scheme's default port. */
  port: string;
}

/** What a paused request offers to matching. */
export interface RequestFacts {
  url: string;
  method: string;
  resourceType: ResourceType;
}

/** BiDi `network.UrlPattern`. */
export type BidiUrlPattern = { type: 'pattern'; protocol: string; hostname: string; port?: string };

/** The origin a substring/glob filter starts with, when its host part has no wildcard. */
export function originOfFilter(filter: UrlFilter): OriginPattern | undefined {
  if (filter.kind === 'regex') return undefined;
  const match = /^(https?):\/\/([^/?#*]+)(?:[/?#]|$)/i.exec(filter.source);
  if (!match) return undefined;
  const [, scheme = '', authority = ''] = match;
  if (authority.includes('@')) return undefined;
  try {
    const parsed = new URL(`${scheme.toLowerCase()}://${authority}/`);
    return { protocol: scheme.toLowerCase() as 'http' | 'https', hostname: parsed.hostname, port: parsed.port };
  } catch {
    return undefined;
  }
}

/** The BiDi URL patterns of a rule's intercept; undefined = every request must be paused. */
export function interceptPatterns(origin: OriginPattern | undefined): BidiUrlPattern[] | undefined {
  if (!origin) return undefined;
  // An empty port would mean "the default port" to some implementations and "any" to others: leave it out
  // (a superset) and let the in-process check below decide.
  return [{ type: 'pattern', protocol: origin.protocol, hostname: origin.hostname, ...(origin.port ? { port: origin.port } : {}) }];
}

function sameOrigin(url: string, origin: OriginPattern): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${origin.protocol}:` && parsed.hostname === origin.hostname && parsed.port === origin.port;
  } catch {
    return false;
  }
}

/** True when the rule has applications left. */
export function isActive(rule: NetworkRule): boolean {
  return rule.times === undefined || rule.hits < rule.times;
}

/** True when the rule applies to this request (expiry aside). */
function ruleMatches(rule: NetworkRule, request: RequestFacts): boolean {
  if (rule.origin && !sameOrigin(request.url, rule.origin)) return false;
  if (!rule.filter.matches(request.url)) return false;
  if (rule.methods && !rule.methods.includes(request.method.toUpperCase())) return false;
  if (rule.resourceTypes && !rule.resourceTypes.includes(request.resourceType)) return false;
  return true;
}

/** The first active rule that matches: rules are tried in the order they were added. */
export function firstMatch(rules: readonly NetworkRule[], request: RequestFacts): NetworkRule | undefined {
  for (const rule of rules) if (isActive(rule) && ruleMatches(rule, request)) return rule;
  return undefined;
}

/** Short words for what a rule did: `block`, `respond 500`, `modify`, `delay 2000 ms`. */
export function actionSummary(action: RuleAction): string {
  switch (action.type) {
    case 'block':
      return 'block';
    case 'respond':
      return `respond ${action.status}`;
    case 'modify':
      return 'modify';
    case 'delay':
      return `delay ${action.ms} ms`;
  }
}

function shownHeaders(headers: Record<string, string>, expose: boolean): Record<string, string> {
  const shown: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) shown[name] = expose ? value : redactHeaderValue(name, value);
  return shown;
}

function contentTypeOf(headers: Record<string, string> | undefined): string | undefined {
  if (!headers) return undefined;
  return findHeaderInMap(headers, 'content-type');
}

/** The action as list_network_rules shows it: header values and bodies redacted unless `expose`. */
function presentAction(action: RuleAction, expose: boolean): Record<string, unknown> {
  switch (action.type) {
    case 'respond': {
      const shown: Record<string, unknown> = { type: 'respond', status: action.status };
      if (action.headers) shown.headers = shownHeaders(action.headers, expose);
      if (action.body !== undefined) shown.body = expose ? action.body : redactBodyText(action.body, contentTypeOf(action.headers));
      if (action.bodyBase64 !== undefined) shown.bodyBase64Bytes = base64DecodedLength(action.bodyBase64);
      return shown;
    }
    case 'modify': {
      const shown: Record<string, unknown> = { type: 'modify' };
      if (action.setHeaders) shown.setHeaders = shownHeaders(action.setHeaders, expose);
      if (action.removeHeaders) shown.removeHeaders = action.removeHeaders;
      if (action.url !== undefined) shown.url = action.url;
      if (action.method !== undefined) shown.method = action.method;
      if (action.body !== undefined) shown.body = expose ? action.body : redactBodyText(action.body, contentTypeOf(action.setHeaders));
      return shown;
    }
    default:
      return { ...action };
  }
}

/** One rule as list_network_rules reports it. */
export function presentRule(rule: NetworkRule, expose: boolean): Record<string, unknown> {
  return {
    ruleId: rule.id,
    urlFilter: rule.filter.source,
    ...(rule.methods ? { methods: rule.methods } : {}),
    ...(rule.resourceTypes ? { resourceTypes: rule.resourceTypes } : {}),
    action: presentAction(rule.action, expose),
    ...(rule.times !== undefined ? { times: rule.times } : {}),
    hits: rule.hits,
    state: isActive(rule) ? 'active' : 'expired',
    intercepts: rule.origin
      ? `${rule.origin.protocol}://${rule.origin.hostname}${rule.origin.port ? `:${rule.origin.port}` : ''} only`
      : 'every request',
  };
}
