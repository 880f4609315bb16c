import { randomBytes } from 'node:crypto';

/** What a confirm_output token stands for: bodies of a captured entry, or a kept script result. */
export type PendingOutput = PendingBodies | PendingScriptResult;

/** Bodies of a captured entry (from get_request_details). */
export interface PendingBodies {
  kind: 'bodies';
  sessionId: string;
  captureId: string;
  index: number;
  /** The entry's `id` when the token was issued; redeeming checks the entry at `index` is still that one. */
  entryId: string;
  bodies: Array<'request' | 'response'>;
}

/** A full evaluate_script result kept by the session (`BrowserSession.scriptResults`). */
export interface PendingScriptResult {
  kind: 'script-result';
  sessionId: string;
  resultId: string;
}

/** How long a token stays valid. */
export const TOKEN_LIFETIME_MS = 10 * 60_000;
const MAX_TOKENS = 1000;

/** One-time, expiring tokens for confirm_output. */
export class ConfirmTokens {
  readonly #pending = new Map<string, PendingOutput & { expiresAt: number }>();

  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** Issues a token for saving these bodies or this script result. */
  issue(output: PendingOutput): string {
    this.#prune();
    const token = `cfm_${randomBytes(8).toString('hex')}`;
    this.#pending.set(token, { ...output, expiresAt: this.#now() + TOKEN_LIFETIME_MS });
    return token;
  }

  /** Redeems a token once; returns why not when it cannot be used. */
  redeem(token: string): { ok: true; output: PendingOutput } | { ok: false; reason: string } {
    const found = this.#pending.get(token);
    if (!found)
      return {
        ok: false,
        reason: `Unknown or already used token "${token}". Call the tool that gave it (get_request_details, evaluate_script) again for a new one.`,
      };
    this.#pending.delete(token);
    if (found.expiresAt < this.#now())
      return {
        ok: false,
        reason: `Token "${token}" expired. Call the tool that gave it (get_request_details, evaluate_script) again for a new one.`,
      };
    return { ok: true, output: found };
  }

  #prune(): void {
    const now = this.#now();
    for (const [token, output] of this.#pending) if (output.expiresAt < now) this.#pending.delete(token);
    while (this.#pending.size >= MAX_TOKENS) {
      const oldest = this.#pending.keys().next().value;
      if (oldest === undefined) break;
      this.#pending.delete(oldest);
    }
  }
}
