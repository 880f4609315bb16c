/** Sessions over fake browsers: opening, lookup, closing, the shared budget, shutdown. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SessionBudget } from '../../../src/sessions/session-budget.js';
import { SessionManager } from '../../../src/sessions/session-manager.js';
import { fakeLauncher } from '../../helpers/fake-browser.js';

const CHROME = { browser: 'chrome', headless: true } as const;

test('a shutdown while a session starts closes it and gives its slot back', async () => {
  const fake = fakeLauncher();
  const budget = new SessionBudget(2);
  const manager = new SessionManager(budget, fake.launcher);
  const opening = manager.open(CHROME, async () => {
    budget.shutdown();
  });
  await assert.rejects(opening, /^Error: bidiscope is shutting down; the new session was closed\.$/);
  assert.equal(fake.browsers[0]?.closeCalls, 1);
  assert.equal(budget.inUse, 0);
  assert.deepEqual(manager.list(), []);
});

test('a failing first step (subscribe) closes the browser', async () => {
  const fake = fakeLauncher({ setup: (bidi) => void bidi.fail('session.subscribe', 'unknown error', 'no') });
  const manager = new SessionManager(1, fake.launcher);
  await assert.rejects(manager.open(CHROME), /session\.subscribe: unknown error — no/);
  assert.equal(fake.browsers[0]?.closeCalls, 1);
  assert.equal(manager.budget.inUse, 0);
});

test('closeAll closes every session once, releases the budget and refuses new ones', async () => {
  const fake = fakeLauncher();
  const manager = new SessionManager(3, fake.launcher);
  await manager.open(CHROME);
  await manager.open({ browser: 'firefox', headless: false });
  await manager.closeAll();
  assert.deepEqual(
    fake.browsers.map((browser) => browser.closeCalls),
    [1, 1],
  );
  assert.equal(manager.budget.inUse, 0);
  assert.deepEqual(manager.list(), []);
  await assert.rejects(manager.open(CHROME), /^Error: bidiscope is shutting down; no new sessions\.$/);
});

test('a session serializes state changes, and a failed task does not block the next', async () => {
  const fake = fakeLauncher();
  const manager = new SessionManager(1, fake.launcher);
  const session = await manager.open(CHROME);
  const order: string[] = [];
  const slow = session.runExclusive(async () => {
    await new Promise((resolve) => setTimeout(resolve, 20));
    order.push('slow');
    throw new Error('slow failed');
  });
  const fast = session.runExclusive(async () => {
    order.push('fast');
    return 'done';
  });
  await assert.rejects(slow, /slow failed/);
  assert.equal(await fast, 'done');
  assert.deepEqual(order, ['slow', 'fast']);
});

test('a closed session is unusable and says so; closing twice is one close', async () => {
  const fake = fakeLauncher();
  const manager = new SessionManager(1, fake.launcher);
  const session = await manager.open(CHROME);
  await Promise.all([session.close(), session.close()]);
  assert.equal(fake.browsers[0]?.closeCalls, 1);
  assert.equal(session.state, 'closed');
  assert.throws(() => session.assertUsable(), /^Error: Session chrome-1 is closed\.$/);
});
