import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BidiCommandError, type BidiConnection } from '../../../src/browser/bidi-connection.js';
import { DEFAULT_KEEP_ALIVE_MS, keepAliveInterval, startKeepAlive } from '../../../src/browser/keep-alive.js';

/** A connection whose commands answer as `answer` says; records what was sent. */
function fakeBidi(answer: () => Promise<unknown>): BidiConnection & { sent: string[]; closedFlag: boolean } {
  const fake = {
    sent: [] as string[],
    closedFlag: false,
    get closed() {
      return fake.closedFlag;
    },
    send<T>(method: string): Promise<T> {
      fake.sent.push(method);
      return answer() as Promise<T>;
    },
    on: () => undefined,
    off: () => undefined,
    onClose: () => undefined,
    close: () => undefined,
  };
  return fake;
}

const until = async (what: string, check: () => boolean): Promise<void> => {
  const deadline = Date.now() + 2000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

test('the interval is a third of the endpoint session timeout, between 1 s and 30 s', () => {
  assert.equal(keepAliveInterval(undefined), DEFAULT_KEEP_ALIVE_MS);
  assert.equal(keepAliveInterval(300_000), 30_000);
  assert.equal(keepAliveInterval(10_000), 3333);
  assert.equal(keepAliveInterval(1000), 1000);
  assert.equal(keepAliveInterval(0), DEFAULT_KEEP_ALIVE_MS);
});

test('answered keep-alives go on; one without an answer reports the session lost, once', async () => {
  let lost: string[] = [];
  const healthy = fakeBidi(() => Promise.resolve({ contexts: [] }));
  const stopHealthy = startKeepAlive(healthy, 10, (reason) => lost.push(reason));
  await until('three keep-alives', () => healthy.sent.length >= 3);
  stopHealthy();
  assert.deepEqual(lost, []);
  assert.ok(healthy.sent.every((method) => method === 'browsingContext.getTree'));

  lost = [];
  const silent = fakeBidi(() => Promise.reject(new BidiCommandError('no answer', 'browsingContext.getTree', 'timeout')));
  startKeepAlive(silent, 10, (reason) => lost.push(reason), 50);
  await until('the loss', () => lost.length > 0);
  const sentAtLoss = silent.sent.length;
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(lost.length, 1);
  assert.match(lost[0] ?? '', /no answer to a keep-alive within 0 s: the endpoint ended the session or lost the browser/);
  assert.equal(silent.sent.length, sentAtLoss, 'no keep-alive after the loss');
});

test('a closed connection or another error is not a loss; nothing is sent once closed or stopped', async () => {
  const lost: string[] = [];
  const refusing = fakeBidi(() => Promise.reject(new BidiCommandError('no such frame', 'browsingContext.getTree', 'no such frame')));
  const stop = startKeepAlive(refusing, 10, (reason) => lost.push(reason));
  await until('two keep-alives', () => refusing.sent.length >= 2);
  refusing.closedFlag = true;
  const sent = refusing.sent.length;
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(refusing.sent.length, sent);
  stop();
  assert.deepEqual(lost, []);
});
