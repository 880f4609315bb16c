/**
 * Network conditions of one session: offline (`emulation.setNetworkConditions`), cache bypass
 * (`network.setCacheBehavior`), extra request headers (`network.setExtraHeaders`) and added latency (the shaper holds
 * each request). BiDi has no bandwidth emulation, so there is none here.
 */
import type { BidiConnection } from '../browser/bidi-connection.js';
import type { NetworkShaper } from './shaper.js';

/** A change asked for; omitted fields stay as they are. */
export interface ConditionsChange {
  offline?: boolean;
  cache?: 'default' | 'bypass';
  extraHeaders?: Record<string, string>;
  latencyMs?: number;
}

/** The conditions in force. */
export interface ConditionsState {
  offline: boolean;
  cache: 'default' | 'bypass';
  extraHeaders: Record<string, string>;
  latencyMs: number;
}

/**
 * Bound on each command that changes a condition (offline, cache, extra headers). Longer than the shaper's bound on
 * its intercept commands: no request is held while these run, only the tool call waits.
 */
const CONDITION_COMMAND_MS = 10_000;

/** Applies changes in order; the state only records what the browser accepted. */
export class NetworkConditions {
  #state: ConditionsState = { offline: false, cache: 'default', extraHeaders: {}, latencyMs: 0 };

  readonly #bidi: BidiConnection;
  readonly #shaper: NetworkShaper;
  constructor(bidi: BidiConnection, shaper: NetworkShaper) {
    this.#bidi = bidi;
    this.#shaper = shaper;
  }

  get state(): ConditionsState {
    return { ...this.#state, extraHeaders: { ...this.#state.extraHeaders } };
  }

  /** Applies `change` to the tab `context`; throws (naming the field) on the first step the browser refuses. */
  async apply(change: ConditionsChange, context: string): Promise<ConditionsState> {
    if (change.offline !== undefined) {
      await this.#step('offline', () =>
        this.#bidi.send(
          'emulation.setNetworkConditions',
          { networkConditions: change.offline ? { type: 'offline' } : null, contexts: [context] },
          CONDITION_COMMAND_MS,
        ),
      );
      this.#state.offline = change.offline;
    }
    if (change.cache !== undefined) {
      await this.#step('cache', () =>
        this.#bidi.send('network.setCacheBehavior', { cacheBehavior: change.cache, contexts: [context] }, CONDITION_COMMAND_MS),
      );
      this.#state.cache = change.cache ?? 'default';
    }
    if (change.extraHeaders !== undefined) {
      const headers = Object.entries(change.extraHeaders).map(([name, value]) => ({ name, value: { type: 'string', value } }));
      await this.#step('extraHeaders', () =>
        this.#bidi.send('network.setExtraHeaders', { headers, contexts: [context] }, CONDITION_COMMAND_MS),
      );
      this.#state.extraHeaders = { ...change.extraHeaders };
    }
    if (change.latencyMs !== undefined) {
      await this.#step('latencyMs', () => this.#shaper.setLatency(change.latencyMs ?? 0));
      this.#state.latencyMs = change.latencyMs;
    }
    return this.state;
  }

  async #step(field: string, run: () => Promise<unknown>): Promise<void> {
    try {
      await run();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(`"${field}" could not be applied: ${message}`);
    }
  }
}
