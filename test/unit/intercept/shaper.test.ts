import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BidiConnection, BidiEventListener } from '../../../src/browser/bidi-connection.js';
import { compileUrlFilter } from '../../../src/model/url-filter.js';
import { modifiedHeaders, NetworkShaper } from '../../../src/intercept/shaper.js';

/** A BiDi connection that records commands and lets the test emit events; `failing` methods throw. */
class FakeBidi implements BidiConnection {
  readonly sent: Array<{ method: string; params: Record<string, unknown> }> = [];
  readonly listeners = new Map<string, Set<BidiEventListener>>();
  failing = new Set<string>();
  closed = false;
  #intercepts = 0;
  async send<T>(method: string, params: object): Promise<T> {
    this.sent.push({ method, params: params as Record<string, unknown> });
    if (this.failing.has(method)) throw new Error(`${method} refused`);
    if (method === 'network.addIntercept') return { intercept: `i${++this.#intercepts}` } as T;
    if (method === 'session.subscribe') return { subscription: 's1' } as T;
    return {} as T;
  }
  on(event: string, listener: BidiEventListener): void {
    if (!this.listeners.has(event)) this.listeners.set(event, new Set());
    this.listeners.get(event)?.add(listener);
  }
  off(event: string, listener: BidiEventListener): void {
    this.listeners.get(event)?.delete(listener);
  }
  onClose(): void {}
  close(): void {
    this.closed = true;
  }
  emit(requestId: string, url: string, intercepts: string[]): void {
    const params = {
      context: 'c1',
      redirectCount: 0,
      timestamp: Date.now(),
      isBlocked: true,
      intercepts,
      request: {
        request: requestId,
        url,
        method: 'GET',
        headers: [{ name: 'accept', value: { type: 'string', value: '*/*' } }],
        cookies: [],
      },
      initiator: { type: 'script' },
    };
    for (const listener of this.listeners.get('network.beforeRequestSent') ?? []) listener(params);
  }
  released(requestId: string): string[] {
    return this.sent
      .filter((item) => item.params.request === requestId && item.method !== 'network.addIntercept')
      .map((item) => item.method);
  }
}

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 3_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

test('each paused request is released once by the action of the first matching rule', async () => {
  const bidi = new FakeBidi();
  const acted: string[] = [];
  const shaper = new NetworkShaper(bidi, (id, _hop, note) => acted.push(`${id} ${note}`));
  await shaper.addRule({ filter: compileUrlFilter('/blocked'), action: { type: 'block' } });
  await shaper.addRule({ filter: compileUrlFilter('/'), action: { type: 'modify', setHeaders: { 'x-a': '1' } } });
  bidi.emit('q1', 'http://h/blocked', ['i1', 'i2']);
  bidi.emit('q2', 'http://h/other', ['i2']);
  bidi.emit('q3', 'http://h/not-ours', ['foreign']);
  await until(() => shaper.pausedCount === 0 && acted.length === 2, 'both released');
  assert.deepEqual(bidi.released('q1'), ['network.failRequest']);
  assert.deepEqual(bidi.released('q2'), ['network.continueRequest']);
  const modified = bidi.sent.find((item) => item.params.request === 'q2');
  assert.deepEqual(modified?.params.headers, [
    { name: 'accept', value: { type: 'string', value: '*/*' } },
    { name: 'x-a', value: { type: 'string', value: '1' } },
  ]);
  assert.deepEqual(bidi.released('q3'), [], 'a request paused by someone else is not ours');
  assert.deepEqual(acted, ['q1 rule r1: block', 'q2 rule r2: modify']);
});

test('a failing action falls back to continuing, then failing: nothing stays paused', async () => {
  const bidi = new FakeBidi();
  const acted: string[] = [];
  const shaper = new NetworkShaper(bidi, (_id, _hop, note) => acted.push(note));
  await shaper.addRule({ filter: compileUrlFilter('/'), action: { type: 'respond', status: 200, body: 'x' } });
  bidi.failing.add('network.provideResponse');
  bidi.emit('q1', 'http://h/a', ['i1']);
  await until(() => shaper.pausedCount === 0 && acted.length === 1, 'released');
  assert.deepEqual(bidi.released('q1'), ['network.provideResponse', 'network.failRequest']);
  assert.match(acted[0] ?? '', /^rule r1: respond 200 — refused by the browser \(network\.provideResponse refused\); released without it$/);
});

test('a rule that cannot be installed leaves nothing behind', async () => {
  const bidi = new FakeBidi();
  bidi.failing.add('network.addIntercept');
  const shaper = new NetworkShaper(bidi);
  await assert.rejects(shaper.addRule({ filter: compileUrlFilter('/'), action: { type: 'block' } }));
  assert.equal(shaper.rules.length, 0);
  assert.deepEqual(
    bidi.sent.map((item) => item.method),
    ['session.subscribe', 'network.addIntercept', 'session.unsubscribe'],
  );
});

test('dispose releases held requests at once and removes intercepts; times expire the intercept', async () => {
  const bidi = new FakeBidi();
  const shaper = new NetworkShaper(bidi);
  await shaper.addRule({ filter: compileUrlFilter('/once'), action: { type: 'respond', status: 204 }, times: 1 });
  await shaper.addRule({ filter: compileUrlFilter('/held'), action: { type: 'delay', ms: 60_000 } });
  bidi.emit('q1', 'http://h/once', ['i1', 'i2']);
  await until(
    () => bidi.sent.some((item) => item.method === 'network.removeIntercept' && item.params.intercept === 'i1'),
    'expired rule unhooked',
  );
  bidi.emit('q2', 'http://h/held', ['i2']);
  await until(() => shaper.pausedCount === 1, 'held');
  const started = Date.now();
  await shaper.dispose();
  assert.ok(Date.now() - started < 1_000);
  assert.deepEqual(bidi.released('q2'), ['network.continueRequest']);
  assert.equal(shaper.pausedCount, 0);
  assert.ok(bidi.sent.some((item) => item.method === 'network.removeIntercept' && item.params.intercept === 'i2'));
  assert.equal(bidi.sent.at(-1)?.method, 'session.unsubscribe');
});

test('a replay the browser refuses leaves the previous replay in place; replay answers and aborts as recorded', async () => {
  const { buildReplay } = await import('../../../src/intercept/replay.js');
  const bidi = new FakeBidi();
  const acted: string[] = [];
  const shaper = new NetworkShaper(bidi, (id, _hop, note) => acted.push(`${id} ${note}`));
  const first = buildReplay(
    [
      { method: 'GET', url: 'http://h/a', status: 200, statusText: 'OK', headers: [], body: { base64: 'YQ==' } },
      { method: 'GET', url: 'http://h/down', status: 0, statusText: '', headers: [] },
    ],
    { label: 'one.har', notFound: 'abort', matchBody: false },
  );
  await shaper.setReplay(first);
  bidi.failing.add('network.addIntercept');
  await assert.rejects(shaper.setReplay(buildReplay([], { label: 'two.har', notFound: 'abort', matchBody: false })));
  assert.equal(shaper.replay?.label, 'one.har');
  bidi.emit('q1', 'http://h/a', ['i1']);
  bidi.emit('q2', 'http://h/down', ['i1']);
  bidi.emit('q3', 'http://h/elsewhere', ['i1']);
  await until(() => acted.length === 3 && shaper.pausedCount === 0, 'all three released');
  assert.deepEqual(bidi.released('q1'), ['network.provideResponse']);
  assert.deepEqual(bidi.released('q2'), ['network.failRequest']);
  assert.deepEqual(bidi.released('q3'), ['network.failRequest']);
  assert.deepEqual(acted.sort(), [
    'q1 replayed from one.har',
    'q2 replayed from one.har: failed as recorded',
    'q3 not in one.har: aborted',
  ]);
});

test('a new body replaces content-length only where the browser listed one', () => {
  const header = (name: string, value: string) => ({ name, value: { type: 'string' as const, value } });
  const firefox = [header('Content-Length', '4'), header('Content-Type', 'text/plain')];
  assert.deepEqual(modifiedHeaders(firefox, { type: 'modify', body: 'héllo' }), [
    header('Content-Type', 'text/plain'),
    header('content-length', '6'),
  ]);
  const chromium = [header('Content-Type', 'text/plain')];
  assert.deepEqual(modifiedHeaders(chromium, { type: 'modify', body: 'hello', setHeaders: { 'x-a': '1' } }), [
    header('Content-Type', 'text/plain'),
    header('x-a', '1'),
  ]);
  assert.deepEqual(modifiedHeaders(firefox, { type: 'modify', removeHeaders: ['content-type'] }), [header('Content-Length', '4')]);
});

test("a passthrough replay intercepts only the HAR's origins and lets what it lacks go to the network", async () => {
  const { buildReplay } = await import('../../../src/intercept/replay.js');
  const bidi = new FakeBidi();
  const shaper = new NetworkShaper(bidi);
  await shaper.setReplay(
    buildReplay(
      [
        { method: 'GET', url: 'http://127.0.0.1:8200/a', status: 200, statusText: 'OK', headers: [] },
        { method: 'GET', url: 'https://cdn.example/x.js', status: 200, statusText: 'OK', headers: [] },
      ],
      { label: 'p.har', notFound: 'passthrough', matchBody: false },
    ),
  );
  const intercept = bidi.sent.find((item) => item.method === 'network.addIntercept');
  assert.deepEqual(intercept?.params.urlPatterns, [
    { type: 'pattern', protocol: 'http', hostname: '127.0.0.1', port: '8200' },
    { type: 'pattern', protocol: 'https', hostname: 'cdn.example' },
  ]);
  bidi.emit('q1', 'http://127.0.0.1:8200/missing', ['i1']);
  await until(() => shaper.pausedCount === 0 && bidi.released('q1').length > 0, 'released');
  assert.deepEqual(bidi.released('q1'), ['network.continueRequest']);
  await shaper.setReplay(undefined);
  assert.ok(bidi.sent.some((item) => item.method === 'network.removeIntercept' && item.params.intercept === 'i1'));
  assert.equal(bidi.sent.at(-1)?.method, 'session.unsubscribe');
});
