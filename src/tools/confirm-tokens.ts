import { randomBytes } from 'node:crypto';

/** What a confirm_output token stands for: bodies of the one entry it was issued for. */
export interface PendingOutput {
  sessionId: string;
  captureId: string;
  index: number;
  /** The entry's `id` when the token was issued; redeeming checks the entry at `index` is still that one. */
  entryId: string;
  bodies: Array<'request' | 'response'>;
}

/** How long a token stays valid. */
export const TOKEN_LIFETIME_MS = 10 * 60_000;
const MAX_TOKENS = 1000;

/** One-time, expiring tokens for confirm_output. */
export class ConfirmTokens {
  readonly #pending = new Map<string, PendingOutput & { expiresAt: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Issues a token for saving these bodies. */
  issue(output: PendingOutput): string {
    this.#prune();
    const token = `cfm_${randomBytes(8).toString('hex')}`;
    this.#pending.set(token, { ...output, expiresAt: this.now() + TOKEN_LIFETIME_MS });
    return token;
  }

  /** Redeems a token once; returns why not when it cannot be used. */
  redeem(token: string): { ok: true; output: PendingOutput } | { ok: false; reason: string } {
    const found = this.#pending.get(token);
    if (!found) return { ok: false, reason: `Unknown or already used token "${token}". Call get_request_details again for a new one.` };
    this.#pending.delete(token);
    if (found.expiresAt < this.now()) return { ok: false, reason: `Token "${token}" expired. Call get_request_details again for a new one.` };
    return { ok: true, output: found };
  }

  #prune(): void {
    const now = this.now();
    for (const [token, output] of this.#pending) if (output.expiresAt < now) this.#pending.delete(token);
    while (this.#pending.size >= MAX_TOKENS) {
      const oldest = this.#pending.keys().next().value;
      if (oldest === undefined) break;
      this.#pending.delete(oldest);
    }
  }
}
