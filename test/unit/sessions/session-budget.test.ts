import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SessionBudget } from '../../../src/sessions/session-budget.js';

test('one budget bounds sessions across managers and numbers them uniquely', () => {
  const budget = new SessionBudget(2);
  budget.reserve();
  budget.reserve();
  assert.throws(() => budget.reserve(), /Too many sessions: 2 open \(limit 2, set with --max-sessions\)/);
  budget.release();
  budget.reserve();
  assert.equal(budget.inUse, 2);
  assert.deepEqual([budget.nextId('chrome'), budget.nextId('firefox'), budget.nextId('chrome')], ['chrome-1', 'firefox-2', 'chrome-3']);
  budget.release();
  budget.shutdown();
  assert.throws(() => budget.reserve(), /shutting down/);
});
