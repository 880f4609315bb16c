/**
 * The network shaper of one session: owns its BiDi intercepts (phase `beforeRequestSent`, the one phase where both
 * Chromium and Firefox accept every action, a response body included), its subscription to
 * `network.beforeRequestSent`, and every request those intercepts pause until it is continued, answered or failed.
 * Each paused request has a bound; a throwing step, a removed rule or a closing session still releases it.
 */
import { STATUS_CODES } from 'node:http';
import type { BidiConnection, BidiEventListener } from '../browser/bidi-connection.js';
import { findBidiHeader, headersFromBidi, sameHeaderName } from '../model/headers.js';
import { asRecord, readNetworkEventParams, type BidiHeader, type BidiNetworkEventParams } from '../model/bidi/types.js';
import { resourceTypeFromRequest } from '../model/bidi/resource-type.js';
import { utf8ByteLength } from '../lib/bytes.js';
import { hopKey } from '../model/hop.js';
import { PausedRequest, type Settled } from './paused.js';
import type { ReplaySource, ServedResponse } from './replay-source.js';
import { actionSummary, firstMatch, interceptPatterns, isActive, type BidiUrlPattern, type NetworkRule, type RuleAction } from './rules.js';

/** Longest a request is held beyond its intended delay before it is continued regardless. */
const PAUSE_BOUND_MS = 15_000;
/** Bound on each release command and on each intercept change: short, since a paused request waits on a release. */
const COMMAND_MS = 5_000;
const EVENT = 'network.beforeRequestSent';

/** Told when a rule or a replay acted on a request, so the capture can say so. */
export type ActedListener = (requestId: string, redirectCount: number, note: string) => void;

type Owner = string; // a rule id, 'replay', 'replay-next' or 'latency'

/** The reason phrase for a status; Chromium refuses to provide a response with an empty one. */
function reasonPhrase(status: number): string {
  return STATUS_CODES[status] ?? 'Unknown';
}

function bidiHeader(name: string, value: string): BidiHeader {
  return { name, value: { type: 'string', value } };
}

/**
 * Request headers after a modify action (names compared case-insensitively). A new body brings its own
 * `content-length` where the browser listed one: Firefox otherwise sends the old one and the server reads a cut body.
 */
export function modifiedHeaders(original: readonly BidiHeader[], action: Extract<RuleAction, { type: 'modify' }>): BidiHeader[] {
  // Only a content-length the browser listed is replaced: Chromium lists none and refuses one being set.
  const resize = action.body !== undefined && findBidiHeader(original, 'content-length') !== undefined;
  const names = [...(action.removeHeaders ?? []), ...Object.keys(action.setHeaders ?? {})];
  if (resize) names.push('content-length');
  const drop = new Set(names.map((name) => name.toLowerCase()));
  const kept = original.filter((header) => !drop.has(header.name.toLowerCase()));
  for (const [name, value] of Object.entries(action.setHeaders ?? {})) {
    if (!resize || !sameHeaderName(name, 'content-length')) kept.push(bidiHeader(name, value));
  }
  if (resize) kept.push(bidiHeader('content-length', String(utf8ByteLength(action.body ?? ''))));
  return kept;
}

/** A note on what acted, saying so when the browser refused the action (and what was done instead). */
function noted(note: string, settled: Settled): string {
  if (settled.by !== 'fallback') return note;
  return `${note} — refused by the browser (${settled.reason.slice(0, 160)}); released without it`;
}

/** The served response for a respond action. */
function respondResponse(action: Extract<RuleAction, { type: 'respond' }>): ServedResponse {
  const headers = Object.entries(action.headers ?? {}).map(([name, value]) => ({ name, value }));
  const body =
    action.bodyBase64 !== undefined
      ? { type: 'base64' as const, value: action.bodyBase64 }
      : action.body !== undefined
        ? { type: 'string' as const, value: action.body }
        : undefined;
  return { status: action.status, statusText: reasonPhrase(action.status), headers, ...(body ? { body } : {}) };
}

/** Per-session traffic shaping: rules, a HAR replay and added latency. */
export class NetworkShaper {
  #rules: NetworkRule[] = [];
  #replay: ReplaySource | undefined;
  #latencyMs = 0;
  readonly #intercepts = new Map<Owner, string>();
  readonly #paused = new Map<string, PausedRequest>();
  #subscription: string | undefined;
  #subscribed = false;
  #listener: BidiEventListener | undefined;
  #gone = false;
  #ruleCounter = 0;

  readonly #bidi: BidiConnection;
  readonly #onActed: ActedListener;
  constructor(bidi: BidiConnection, onActed: ActedListener = () => undefined) {
    this.#bidi = bidi;
    this.#onActed = onActed;
  }

  get rules(): readonly NetworkRule[] {
    return this.#rules;
  }
  get replay(): ReplaySource | undefined {
    return this.#replay;
  }
  get latencyMs(): number {
    return this.#latencyMs;
  }
  /**
   * Requests paused right now. No tool shows it; it is kept as the observable of the shaper's promise that every
   * request it pauses is released (by its rule, on removal, on dispose), which the unit tests check through it.
   */
  get pausedCount(): number {
    return this.#paused.size;
  }

  /** Installs a rule (and its intercept); nothing is left installed when this throws. */
  async addRule(rule: Omit<NetworkRule, 'id' | 'hits'>): Promise<NetworkRule> {
    this.#ruleCounter += 1;
    const installed: NetworkRule = { ...rule, id: `r${this.#ruleCounter}`, hits: 0 };
    await this.#addIntercept(installed.id, interceptPatterns(installed.origin));
    this.#rules.push(installed);
    return installed;
  }

  /** Removes rules by id (or all); returns the ids removed. Requests they paused are still released. */
  async removeRules(ids: readonly string[] | 'all'): Promise<string[]> {
    const removed = ids === 'all' ? [...this.#rules] : this.#rules.filter((rule) => ids.includes(rule.id));
    this.#rules = this.#rules.filter((rule) => !removed.includes(rule));
    await Promise.allSettled(removed.map((rule) => this.#removeIntercept(rule.id)));
    await this.#unsubscribeWhenIdle();
    return removed.map((rule) => rule.id);
  }

  /** Replaces the replay source (undefined stops replaying). */
  async setReplay(source: ReplaySource | undefined): Promise<void> {
    // The new intercept goes in first: when the browser refuses it, the previous replay stays as it was.
    if (source) {
      const patterns = source.notFound === 'abort' ? undefined : source.origins.flatMap((origin) => interceptPatterns(origin) ?? []);
      if (patterns === undefined || patterns.length > 0) await this.#addIntercept('replay-next', patterns);
    }
    await this.#removeIntercept('replay');
    const next = this.#intercepts.get('replay-next');
    if (next !== undefined) {
      this.#intercepts.delete('replay-next');
      this.#intercepts.set('replay', next);
    }
    this.#replay = source;
    await this.#unsubscribeWhenIdle();
  }

  /** Holds every request `ms` before it goes on (0 stops). */
  async setLatency(ms: number): Promise<void> {
    if (ms > 0 && !this.#intercepts.has('latency')) await this.#addIntercept('latency', undefined);
    if (ms <= 0) await this.#removeIntercept('latency');
    this.#latencyMs = Math.max(0, ms);
    await this.#unsubscribeWhenIdle();
  }

  async #addIntercept(owner: Owner, urlPatterns: BidiUrlPattern[] | undefined): Promise<void> {
    await this.#subscribe();
    try {
      const params = { phases: ['beforeRequestSent'], ...(urlPatterns ? { urlPatterns } : {}) };
      const added = await this.#bidi.send<{ intercept: string }>('network.addIntercept', params, COMMAND_MS);
      this.#intercepts.set(owner, added.intercept);
    } catch (error) {
      await this.#unsubscribeWhenIdle();
      throw error;
    }
  }

  async #removeIntercept(owner: Owner): Promise<void> {
    const intercept = this.#intercepts.get(owner);
    if (intercept === undefined) return;
    this.#intercepts.delete(owner);
    if (!this.#bidi.closed) await this.#bidi.send('network.removeIntercept', { intercept }, COMMAND_MS).catch(() => undefined);
  }

  async #subscribe(): Promise<void> {
    if (this.#subscribed) return;
    if (!this.#listener) {
      this.#listener = (params) => this.#onEvent(params);
      this.#bidi.on(EVENT, this.#listener);
    }
    const result = await this.#bidi.send<{ subscription?: string }>('session.subscribe', { events: [EVENT] }, COMMAND_MS);
    this.#subscription = result.subscription;
    this.#subscribed = true;
  }

  /** Drops the subscription once no intercept is left and nothing is paused. */
  async #unsubscribeWhenIdle(): Promise<void> {
    if (this.#intercepts.size > 0 || !this.#subscribed) return;
    // Without a subscription id (an older browser), unsubscribing by event name would also end the capture's
    // subscription: keep it then.
    if (this.#subscription === undefined) return;
    const subscription = this.#subscription;
    this.#subscribed = false;
    this.#subscription = undefined;
    if (!this.#bidi.closed)
      await this.#bidi.send('session.unsubscribe', { subscriptions: [subscription] }, COMMAND_MS).catch(() => undefined);
  }

  #onEvent(params: unknown): void {
    const raw = asRecord(params);
    if (raw?.isBlocked !== true || !Array.isArray(raw.intercepts)) return;
    const ours = new Set(this.#intercepts.values());
    if (!raw.intercepts.some((id) => typeof id === 'string' && ours.has(id))) return;
    const event = readNetworkEventParams(params);
    if (!event || this.#gone) return;
    const requestId = event.request.request;
    // One key per hop: the next hop of a redirect we answered can arrive before our answer's command returns.
    const hop = hopKey(requestId, event.redirectCount);
    if (this.#paused.has(hop)) return;
    const paused = new PausedRequest(requestId);
    this.#paused.set(hop, paused);
    const bound = setTimeout(() => void paused.settle(() => this.#continue(requestId)), this.#boundFor(event));
    void this.#handle(event, paused)
      .catch(() =>
        paused.settle(
          () => this.#continue(requestId),
          () => this.#fail(requestId),
        ),
      )
      .finally(() => {
        clearTimeout(bound);
        this.#paused.delete(hop);
      });
  }

  #boundFor(event: BidiNetworkEventParams): number {
    const rule = this.#ruleFor(event, false);
    const delay = rule?.action.type === 'delay' ? rule.action.ms : 0;
    return this.#latencyMs + delay + PAUSE_BOUND_MS;
  }

  #ruleFor(event: BidiNetworkEventParams, count: boolean): NetworkRule | undefined {
    const request = event.request;
    const headers = headersFromBidi(request.headers).headers;
    const resourceType = resourceTypeFromRequest({
      ...(request['goog:resourceType'] !== undefined ? { googResourceType: request['goog:resourceType'] } : {}),
      ...(request.destination !== undefined ? { destination: request.destination } : {}),
      ...(request.initiatorType !== undefined ? { initiatorType: request.initiatorType } : {}),
      headers,
    });
    const rule = firstMatch(this.#rules, { url: request.url, method: request.method, resourceType });
    if (rule && count) rule.hits += 1;
    return rule;
  }

  async #handle(event: BidiNetworkEventParams, paused: PausedRequest): Promise<void> {
    const requestId = event.request.request;
    const rule = this.#ruleFor(event, true);
    if (rule && !isActive(rule)) void this.#expire(rule);
    await paused.hold(this.#latencyMs);
    if (rule) {
      const settled = await this.#apply(rule, event, paused);
      this.#onActed(requestId, event.redirectCount, noted(`rule ${rule.id}: ${actionSummary(rule.action)}`, settled));
      return;
    }
    const replay = this.#replay;
    if (replay) {
      const body = event.request['goog:postData'];
      const answer = replay.answer({ method: event.request.method, url: event.request.url, ...(body !== undefined ? { body } : {}) });
      if (answer?.status === 0) {
        const settled = await paused.settle(
          () => this.#fail(requestId),
          () => this.#continue(requestId),
        );
        this.#onActed(requestId, event.redirectCount, noted(`replayed from ${replay.label}: failed as recorded`, settled));
        return;
      }
      if (answer) {
        const settled = await paused.settle(
          () => this.#provide(requestId, answer),
          () => this.#fail(requestId),
        );
        this.#onActed(requestId, event.redirectCount, noted(`replayed from ${replay.label}`, settled));
        return;
      }
      if (replay.notFound === 'abort') {
        const settled = await paused.settle(
          () => this.#fail(requestId),
          () => this.#continue(requestId),
        );
        this.#onActed(requestId, event.redirectCount, noted(`not in ${replay.label}: aborted`, settled));
        return;
      }
    }
    await paused.settle(() => this.#continue(requestId));
  }

  #apply(rule: NetworkRule, event: BidiNetworkEventParams, paused: PausedRequest): Promise<Settled> {
    const requestId = event.request.request;
    const action = rule.action;
    switch (action.type) {
      case 'block':
        return paused.settle(
          () => this.#fail(requestId),
          () => this.#continue(requestId),
        );
      case 'respond':
        return paused.settle(
          () => this.#provide(requestId, respondResponse(action)),
          () => this.#fail(requestId),
        );
      case 'delay':
        return paused.hold(action.ms).then(() => paused.settle(() => this.#continue(requestId)));
      case 'modify': {
        const params: Record<string, unknown> = { request: requestId };
        if (action.setHeaders || action.removeHeaders || action.body !== undefined) {
          params.headers = modifiedHeaders(event.request.headers, action);
        }
        if (action.url !== undefined) params.url = action.url;
        if (action.method !== undefined) params.method = action.method;
        if (action.body !== undefined) params.body = { type: 'string', value: action.body };
        return paused.settle(
          () => this.#bidi.send('network.continueRequest', params, COMMAND_MS),
          () => this.#continue(requestId),
        );
      }
    }
  }

  async #expire(rule: NetworkRule): Promise<void> {
    await this.#removeIntercept(rule.id);
    await this.#unsubscribeWhenIdle();
  }

  #continue(requestId: string): Promise<unknown> {
    return this.#bidi.send('network.continueRequest', { request: requestId }, COMMAND_MS);
  }
  #fail(requestId: string): Promise<unknown> {
    return this.#bidi.send('network.failRequest', { request: requestId }, COMMAND_MS);
  }
  #provide(requestId: string, response: ServedResponse): Promise<unknown> {
    return this.#bidi.send(
      'network.provideResponse',
      {
        request: requestId,
        statusCode: response.status,
        reasonPhrase: response.statusText || reasonPhrase(response.status),
        headers: response.headers.map((header) => bidiHeader(header.name, header.value)),
        ...(response.body ? { body: response.body } : {}),
      },
      COMMAND_MS,
    );
  }

  /**
   * Releases every paused request (continued as it was), removes every intercept and the subscription. Bounded;
   * never throws. Called when the session closes.
   */
  async dispose(): Promise<void> {
    const releases = [...this.#paused.values()].map((paused) => paused.settle(() => this.#continue(paused.requestId)));
    await Promise.allSettled(releases);
    this.#rules = [];
    this.#replay = undefined;
    this.#latencyMs = 0;
    await Promise.allSettled([...this.#intercepts.keys()].map((owner) => this.#removeIntercept(owner)));
    await this.#unsubscribeWhenIdle();
    this.#stopListening();
  }

  /** The browser is gone: forget everything without talking to it. */
  markGone(): void {
    this.#gone = true;
    for (const paused of this.#paused.values()) paused.wake();
    this.#paused.clear();
    this.#intercepts.clear();
    this.#stopListening();
  }

  #stopListening(): void {
    if (this.#listener) this.#bidi.off(EVENT, this.#listener);
    this.#listener = undefined;
  }
}
