/** confirm_output tokens for bodies: one use, ten minutes, bounded in number. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfirmTokens, TOKEN_LIFETIME_MS, type PendingOutput } from '../../../src/tools/confirm-tokens.js';

const OUTPUT: PendingOutput = {
  kind: 'bodies',
  sessionId: 'chrome-1',
  captureId: 'capture-1',
  index: 2,
  entryId: 'e-2',
  bodies: ['response'],
};

function clock(): { now: () => number; advance: (ms: number) => void } {
  let time = 1_000_000;
  return { now: () => time, advance: (ms) => (time += ms) };
}

test('a token is redeemed once, for what it was issued for', () => {
  const tokens = new ConfirmTokens(clock().now);
  const token = tokens.issue(OUTPUT);
  assert.match(token, /^cfm_[0-9a-f]{16}$/);
  assert.deepEqual(tokens.redeem(token), { ok: true, output: { ...OUTPUT, expiresAt: 1_000_000 + TOKEN_LIFETIME_MS } });
  assert.deepEqual(tokens.redeem(token), {
    ok: false,
    reason: `Unknown or already used token "${token}". Call the tool that gave it (get_request_details, evaluate_script) again for a new one.`,
  });
});

test('tokens are distinct', () => {
  const tokens = new ConfirmTokens(clock().now);
  const issued = new Set(Array.from({ length: 50 }, () => tokens.issue(OUTPUT)));
  assert.equal(issued.size, 50);
});

test('a token works up to ten minutes and not after', () => {
  const time = clock();
  const tokens = new ConfirmTokens(time.now);
  const lastMoment = tokens.issue(OUTPUT);
  const late = tokens.issue(OUTPUT);
  time.advance(TOKEN_LIFETIME_MS);
  assert.equal(tokens.redeem(lastMoment).ok, true);
  time.advance(1);
  assert.deepEqual(tokens.redeem(late), {
    ok: false,
    reason: `Token "${late}" expired. Call the tool that gave it (get_request_details, evaluate_script) again for a new one.`,
  });
  assert.equal(tokens.redeem(late).ok, false, 'an expired token is gone too');
});

test('expired tokens are pruned and at most 1000 are kept, oldest dropped first', () => {
  const time = clock();
  const tokens = new ConfirmTokens(time.now);
  const first = tokens.issue(OUTPUT);
  const rest = Array.from({ length: 1000 }, () => tokens.issue(OUTPUT));
  assert.equal(tokens.redeem(first).ok, false, 'the oldest was dropped for the 1001st');
  assert.equal(tokens.redeem(rest[0] ?? '').ok, true);
  assert.equal(tokens.redeem(rest[999] ?? '').ok, true);
});
