/**
 * A BiDi connection without a browser: answers the commands bidiscope sends the way Chromium and Firefox do (ids,
 * subscriptions, data collectors, preload scripts, tabs, intercepts), delivers only subscribed events, replays the
 * recorded fixture streams (`test/fixtures/bidi/`) on demand, and records every command sent. A test scripts
 * answers per method: a value, a function of the params, a protocol error, or no answer at all (the command's own
 * bound then fires, as in the real connection).
 */
import {
  BidiCommandError,
  DEFAULT_COMMAND_TIMEOUT_MS,
  type BidiConnection,
  type BidiEventListener,
} from '../../src/browser/bidi-connection.js';
import type { RecordedBidiEvent } from './normalize-events.js';

/** One command bidiscope sent. */
export interface SentCommand {
  method: string;
  params: Record<string, unknown>;
  /** The bound the caller gave the command. */
  timeoutMs: number;
}

/** Computes a command's result (or throws a {@link BidiCommandError}); may return a promise to answer later. */
export type Responder = (params: Record<string, unknown>, fake: FakeBidi) => unknown;

/** A BiDi protocol error as the real connection reports it (`<method>: <code> — <message>`). */
export function bidiError(method: string, code: string, message = code): BidiCommandError {
  return new BidiCommandError(`${method}: ${code} — ${message}`, method, code);
}

/** Bytes as `network.getData` returns them. */
export type BidiBytes = { type: 'string'; value: string } | { type: 'base64'; value: string };

/** How a {@link FakeBidi} behaves. */
export interface FakeBidiOptions {
  /**
   * Factor applied to every command's bound before it fires (default 1). Tests of bounds use e.g. 0.01 so a 5 s
   * bound fires after 50 ms; the error still names the bound the caller gave.
   */
  timeScale?: number;
  /** Ids of the tabs open at the start (default one: `ctx-1`). */
  contexts?: string[];
}

/** A scripted stand-in for the browser's side of a BiDi session. */
export class FakeBidi implements BidiConnection {
  readonly sent: SentCommand[] = [];
  /** Response (or request) bodies the data collectors hold, keyed `response:<request id>` / `request:<id>`. */
  readonly bodies = new Map<string, BidiBytes>();
  /** Open tabs. */
  readonly contexts: string[];
  readonly subscriptions = new Map<string, string[]>();
  readonly collectors = new Set<string>();
  readonly preloadScripts = new Set<string>();
  readonly intercepts = new Set<string>();
  readonly #responders = new Map<string, Responder>();
  readonly #listeners = new Map<string, Set<BidiEventListener>>();
  readonly #closeListeners: Array<(reason: string) => void> = [];
  readonly #closeWaiters = new Set<(reason: string) => void>();
  readonly #timeScale: number;
  #closed = false;
  #closeReason = '';
  #counter = 0;

  constructor(options: FakeBidiOptions = {}) {
    this.#timeScale = options.timeScale ?? 1;
    this.contexts = [...(options.contexts ?? ['ctx-1'])];
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Scripts the answer to `method`: a fixed result or a {@link Responder}. Replaces the built-in behaviour. */
  answer(method: string, reply: unknown): this {
    this.#responders.set(method, typeof reply === 'function' ? (reply as Responder) : () => structuredClone(reply));
    return this;
  }

  /** Scripts `method` to fail with a BiDi error code (e.g. `no such frame`). */
  fail(method: string, code: string, message = code): this {
    return this.answer(method, () => {
      throw bidiError(method, code, message);
    });
  }

  /** Scripts `method` never to be answered: only the caller's bound ends the call. */
  hang(method: string): this {
    return this.answer(method, () => new Promise<never>(() => undefined));
  }

  /** Restores the built-in behaviour of `method`. */
  reset(method: string): this {
    this.#responders.delete(method);
    return this;
  }

  /** Commands sent with this method, in order. */
  sentOf(method: string): SentCommand[] {
    return this.sent.filter((command) => command.method === method);
  }

  /** Every event name some live subscription covers. */
  subscribedEvents(): Set<string> {
    return new Set([...this.subscriptions.values()].flat());
  }

  /** Delivers an event the way the browser does: only when subscribed. Returns whether it was delivered. */
  emit(event: string, params: unknown): boolean {
    if (this.#closed || !this.#isSubscribed(event)) return false;
    for (const listener of [...(this.#listeners.get(event) ?? [])]) listener(structuredClone(params));
    return true;
  }

  /** Emits recorded events in order (those the session is subscribed to); returns how many were delivered. */
  replay(events: readonly RecordedBidiEvent[]): number {
    let delivered = 0;
    for (const event of events) if (this.emit(event.name, event.p)) delivered += 1;
    return delivered;
  }

  /** The connection drops (browser died): pending commands fail with `connection closed`, close listeners run. */
  drop(reason = 'BiDi connection closed (code 1006)'): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#closeReason = reason;
    for (const waiter of this.#closeWaiters) waiter(reason);
    this.#closeWaiters.clear();
    for (const listener of this.#closeListeners) listener(reason);
  }

  async send<T = unknown>(method: string, params: object, timeoutMs = DEFAULT_COMMAND_TIMEOUT_MS): Promise<T> {
    const copy = structuredClone(params) as Record<string, unknown>;
    this.sent.push({ method, params: copy, timeoutMs });
    if (this.#closed) throw new BidiCommandError(`${method}: ${this.#closeReason}`, method, 'connection closed');
    let timer: NodeJS.Timeout | undefined;
    let onClosed: ((reason: string) => void) | undefined;
    const bounded = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new BidiCommandError(`${method}: no answer from the browser within ${timeoutMs} ms`, method, 'timeout')),
        timeoutMs * this.#timeScale,
      );
      onClosed = (reason) => reject(new BidiCommandError(`${method}: ${reason}`, method, 'connection closed'));
      this.#closeWaiters.add(onClosed);
    });
    try {
      const responder = this.#responders.get(method) ?? ((p: Record<string, unknown>) => this.#builtIn(method, p));
      const answered = Promise.resolve().then(() => responder(copy, this));
      answered.catch(() => undefined);
      return (await Promise.race([answered, bounded])) as T;
    } finally {
      clearTimeout(timer);
      if (onClosed) this.#closeWaiters.delete(onClosed);
    }
  }

  on(event: string, listener: BidiEventListener): void {
    let set = this.#listeners.get(event);
    if (!set) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    set.add(listener);
  }

  off(event: string, listener: BidiEventListener): void {
    this.#listeners.get(event)?.delete(listener);
  }

  /** How many listeners bidiscope has on `event` right now. */
  listenerCount(event: string): number {
    return this.#listeners.get(event)?.size ?? 0;
  }

  onClose(listener: (reason: string) => void): void {
    if (this.#closed) listener(this.#closeReason);
    else this.#closeListeners.push(listener);
  }

  close(): void {
    this.drop('closed by bidiscope');
  }

  #isSubscribed(event: string): boolean {
    const module = event.split('.')[0] ?? event;
    const covered = this.subscribedEvents();
    return covered.has(event) || covered.has(module);
  }

  #nextId(prefix: string): string {
    this.#counter += 1;
    return `${prefix}-${this.#counter}`;
  }

  /** What the browsers answer when the test scripted nothing for `method`. */
  #builtIn(method: string, params: Record<string, unknown>): unknown {
    switch (method) {
      case 'session.subscribe': {
        const id = this.#nextId('subscription');
        this.subscriptions.set(id, [...(params.events as string[])]);
        return { subscription: id };
      }
      case 'session.unsubscribe': {
        const ids = params.subscriptions as string[] | undefined;
        if (ids) {
          for (const id of ids) if (!this.subscriptions.has(id)) throw bidiError(method, 'invalid argument', `unknown subscription ${id}`);
          for (const id of ids) this.subscriptions.delete(id);
        } else {
          const events = new Set(params.events as string[]);
          for (const [id, covered] of this.subscriptions) if (covered.every((event) => events.has(event))) this.subscriptions.delete(id);
        }
        return {};
      }
      case 'network.addDataCollector':
        return { collector: this.#added(this.collectors, 'collector') };
      case 'network.removeDataCollector':
        return this.#removed(this.collectors, String(params.collector), method, 'no such network collector');
      case 'network.getData':
        return this.#getData(params);
      case 'script.addPreloadScript':
        return { script: this.#added(this.preloadScripts, 'preload') };
      case 'script.removePreloadScript':
        return this.#removed(this.preloadScripts, String(params.script), method, 'no such script');
      case 'script.evaluate':
      case 'script.callFunction':
        this.#requireContext(method, (params.target as { context?: string } | undefined)?.context);
        return { type: 'success', realm: 'realm-1', result: { type: 'undefined' } };
      case 'browsingContext.getTree':
        return {
          contexts: this.contexts.map((context) => ({ context, url: 'about:blank', children: [], parent: null, userContext: 'default' })),
        };
      case 'browsingContext.create': {
        const context = this.#nextId('ctx');
        this.contexts.push(context);
        return { context };
      }
      case 'browsingContext.navigate':
        this.#requireContext(method, params.context as string | undefined);
        return { navigation: this.#nextId('navigation'), url: params.url };
      case 'browsingContext.setViewport':
        this.#requireContext(method, params.context as string | undefined);
        return {};
      case 'network.setCacheBehavior':
      case 'network.setExtraHeaders':
      case 'network.continueRequest':
      case 'network.provideResponse':
      case 'network.failRequest':
        return {};
      case 'network.addIntercept':
        return { intercept: this.#added(this.intercepts, 'intercept') };
      case 'network.removeIntercept':
        return this.#removed(this.intercepts, String(params.intercept), method, 'no such intercept');
      default:
        throw bidiError(method, 'unknown command', `${method} is not scripted in the fake BiDi connection`);
    }
  }

  #added(set: Set<string>, prefix: string): string {
    const id = this.#nextId(prefix);
    set.add(id);
    return id;
  }

  #removed(set: Set<string>, id: string, method: string, code: string): Record<string, never> {
    if (!set.delete(id)) throw bidiError(method, code, `${id} does not exist`);
    return {};
  }

  #requireContext(method: string, context: string | undefined): void {
    if (context === undefined || !this.contexts.includes(context))
      throw bidiError(method, 'no such frame', `Context ${String(context)} not found`);
  }

  #getData(params: Record<string, unknown>): unknown {
    const method = 'network.getData';
    if (!this.collectors.has(String(params.collector)))
      throw bidiError(method, 'no such network collector', `${String(params.collector)} does not exist`);
    const key = `${String(params.dataType)}:${String(params.request)}`;
    const bytes = this.bodies.get(key);
    if (!bytes) throw bidiError(method, 'no such network data', `No data found for ${key}`);
    if (params.disown === true) this.bodies.delete(key);
    return { bytes };
  }
}
