import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_KEPT_CHARS, MAX_KEPT_RESULTS, RESULT_LIFETIME_MS, ScriptResultStore } from '../../../src/sessions/script-results.js';

test('a kept result is taken once', () => {
  const store = new ScriptResultStore();
  const id = store.keep('[1,2,3]');
  assert.deepEqual(store.take(id), { ok: true, json: '[1,2,3]' });
  assert.deepEqual(store.take(id), { ok: false, reason: 'unknown' });
  assert.equal(store.heldChars, 0);
});

test('the oldest results go first beyond the count bound; the newest always stays', () => {
  const store = new ScriptResultStore();
  const ids = Array.from({ length: MAX_KEPT_RESULTS + 2 }, (_, i) => store.keep(`"${i}"`));
  assert.deepEqual(store.take(ids[0] ?? ''), { ok: false, reason: 'dropped' });
  assert.deepEqual(store.take(ids[1] ?? ''), { ok: false, reason: 'dropped' });
  assert.equal(store.take(ids.at(-1) ?? '').ok, true);
});

test('memory stays under the character bound', () => {
  const store = new ScriptResultStore();
  const half = 'x'.repeat(MAX_KEPT_CHARS / 2 + 1);
  const first = store.keep(half);
  const second = store.keep(half);
  assert.ok(store.heldChars <= MAX_KEPT_CHARS);
  assert.equal(store.take(first).ok, false);
  assert.equal(store.take(second).ok, true);
});

test('results expire with their token and go when the session closes', () => {
  let now = 0;
  const store = new ScriptResultStore(() => now);
  const old = store.keep('1');
  now = RESULT_LIFETIME_MS + 1;
  const fresh = store.keep('2');
  assert.deepEqual(store.take(old), { ok: false, reason: 'dropped' });
  store.clear();
  assert.equal(store.take(fresh).ok, false);
  assert.equal(store.heldChars, 0);
});
