/**
 * Full script results kept server-side until a confirm_output token saves them, with a bound on memory: a session
 * keeps at most {@link MAX_KEPT_RESULTS} results and {@link MAX_KEPT_CHARS} characters of JSON in all (the newest
 * result always stays; older ones are dropped first), each for at most {@link RESULT_LIFETIME_MS}. Everything goes
 * when the session closes. Pure: no I/O.
 */

/** Results one session keeps at once. */
export const MAX_KEPT_RESULTS = 3;
/** Characters of JSON one session keeps at once (a single result may be this large). */
export const MAX_KEPT_CHARS = 64 * 1024 * 1024;
/** How long a result is kept (the confirm_output token lifetime). */
export const RESULT_LIFETIME_MS = 10 * 60_000;

interface KeptResult {
  json: string;
  keptAt: number;
}

/** Why a result is not there: never kept, or dropped (bounds, lifetime). */
export type MissingReason = 'unknown' | 'dropped';

/** A bounded store of full script results (JSON text), by id. */
export class ScriptResultStore {
  readonly #results = new Map<string, KeptResult>();
  readonly #dropped = new Set<string>();
  #chars = 0;
  #next = 1;

  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** Characters of JSON held now. */
  get heldChars(): number {
    return this.#chars;
  }

  /** Keeps `json` and returns its id; drops the oldest results beyond the bounds. */
  keep(json: string): string {
    this.#prune();
    while (this.#results.size > 0 && (this.#results.size >= MAX_KEPT_RESULTS || this.#chars + json.length > MAX_KEPT_CHARS)) {
      const oldest = this.#results.keys().next().value;
      if (oldest === undefined) break;
      this.#drop(oldest);
    }
    const id = `r${this.#next++}`;
    this.#results.set(id, { json, keptAt: this.#now() });
    this.#chars += json.length;
    return id;
  }

  /** Removes and returns a result, or says why it is not there. */
  take(id: string): { ok: true; json: string } | { ok: false; reason: MissingReason } {
    this.#prune();
    const found = this.#results.get(id);
    if (!found) return { ok: false, reason: this.#dropped.has(id) ? 'dropped' : 'unknown' };
    this.#results.delete(id);
    this.#chars -= found.json.length;
    return { ok: true, json: found.json };
  }

  /** Drops everything (session closed). */
  clear(): void {
    this.#results.clear();
    this.#chars = 0;
  }

  #drop(id: string): void {
    const found = this.#results.get(id);
    if (!found) return;
    this.#results.delete(id);
    this.#chars -= found.json.length;
    this.#dropped.add(id);
    if (this.#dropped.size > 1000) {
      const first = this.#dropped.values().next().value;
      if (first !== undefined) this.#dropped.delete(first);
    }
  }

  #prune(): void {
    const now = this.#now();
    for (const [id, result] of this.#results) if (now - result.keptAt > RESULT_LIFETIME_MS) this.#drop(id);
  }
}
