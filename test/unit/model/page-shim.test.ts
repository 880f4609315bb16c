/**
 * The page shim source run against fake WebSocket/EventSource classes: it must stay transparent to the page, post
 * messages in the format shim-messages.ts parses, and never break the page.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PAGE_SHIM_LIMITATIONS, pageShimFunction, pageShimPreloadParams } from '../../../src/capture/page-shim.js';
import { NetworkLog } from '../../../src/model/network-log.js';
import { SHIM_CHANNEL, parseShimMessage } from '../../../src/model/shim/messages.js';
import { hopParams } from './bidi-events.js';

class FakeWebSocket extends EventTarget {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  readonly url: string;
  readyState = 0;
  binaryType = 'blob';
  protocol = '';
  extensions = '';
  readonly sent: unknown[] = [];

  constructor(url: string) {
    super();
    this.url = new URL(url).href;
  }

  send(data: unknown): void {
    if (this.readyState !== 1) throw new Error('InvalidStateError: still CONNECTING');
    this.sent.push(data);
  }

  close(code = 1000, reason = ''): void {
    this.readyState = 3;
    this.dispatchEvent(Object.assign(new Event('close'), { code, reason, wasClean: true }));
  }

  simulateOpen(protocol = ''): void {
    this.readyState = 1;
    this.protocol = protocol;
    this.dispatchEvent(new Event('open'));
  }

  simulateMessage(data: unknown): void {
    this.dispatchEvent(new MessageEvent('message', { data }));
  }
}

class FakeEventSource extends EventTarget {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  readonly url: string;
  readonly withCredentials: boolean;
  readyState = 0;

  constructor(url: string, init?: { withCredentials?: boolean }) {
    super();
    this.url = new URL(url).href;
    this.withCredentials = init?.withCredentials ?? false;
  }

  close(): void {
    this.readyState = 2;
  }

  simulateOpen(): void {
    this.readyState = 1;
    this.dispatchEvent(new Event('open'));
  }

  simulateEvent(type: string, data: string, lastEventId = ''): void {
    this.dispatchEvent(new MessageEvent(type, { data, lastEventId }));
  }

  simulateError(readyState: number): void {
    this.readyState = readyState;
    this.dispatchEvent(new Event('error'));
  }
}

interface FakeWindow {
  WebSocket: typeof FakeWebSocket;
  EventSource: typeof FakeEventSource;
  EventTarget: typeof EventTarget;
  Blob: typeof Blob;
  btoa: typeof btoa;
  performance: { timeOrigin: number; now: () => number };
}

const TIME_ORIGIN = 1_800_000_000_000;

function installShim(channel: (message: string) => void, window?: FakeWindow, source = pageShimFunction): FakeWindow {
  const target: FakeWindow = window ?? {
    WebSocket: FakeWebSocket,
    EventSource: FakeEventSource,
    EventTarget,
    Blob,
    btoa,
    performance: { timeOrigin: TIME_ORIGIN, now: () => 12.5 },
  };
  const shim = new Function('window', `return (${source});`)(target) as (channel: unknown) => void;
  shim(channel);
  return target;
}

function recorder(): { channel: (message: string) => void; messages: Array<Record<string, unknown>>; raw: string[] } {
  const raw: string[] = [];
  const messages: Array<Record<string, unknown>> = [];
  return {
    raw,
    messages,
    channel: (message: string) => {
      raw.push(message);
      messages.push(JSON.parse(message) as Record<string, unknown>);
    },
  };
}

test('WebSocket stays transparent: prototype, instanceof, constants, name, subclassing, properties', () => {
  const { channel } = recorder();
  const window = installShim(channel);
  const WebSocketShim = window.WebSocket;
  assert.notEqual(WebSocketShim, FakeWebSocket);
  const socket = new WebSocketShim('ws://h/ws');
  assert.ok(socket instanceof WebSocketShim);
  assert.ok(socket instanceof FakeWebSocket);
  assert.equal(Object.getPrototypeOf(socket), FakeWebSocket.prototype);
  assert.equal(WebSocketShim.prototype, FakeWebSocket.prototype);
  assert.equal(socket.constructor, WebSocketShim);
  const constants = [WebSocketShim.CONNECTING, WebSocketShim.OPEN, WebSocketShim.CLOSING, WebSocketShim.CLOSED];
  assert.deepEqual(constants, [0, 1, 2, 3]);
  assert.equal(WebSocketShim.name, 'FakeWebSocket');
  socket.binaryType = 'arraybuffer';
  assert.equal(socket.binaryType, 'arraybuffer');
  assert.equal(socket.readyState, 0);
  assert.throws(() => (WebSocketShim as unknown as () => unknown)(), TypeError, 'calling without new still throws');
  class Subclass extends WebSocketShim {
    hello(): string {
      return 'hi';
    }
  }
  const sub = new Subclass('ws://h/sub');
  assert.ok(sub instanceof Subclass && sub instanceof WebSocketShim);
  assert.equal(sub.hello(), 'hi');
});

test('WebSocket lifecycle and frames are posted in the shim message format', () => {
  const { channel, messages, raw } = recorder();
  const window = installShim(channel);
  const socket = new window.WebSocket('ws://h/ws');
  assert.throws(() => socket.send('too early'));
  socket.simulateOpen('chat');
  socket.send('hé');
  socket.send(new Uint8Array([1, 2, 3]).buffer);
  socket.send(new Uint8Array([9, 1, 2, 3, 9]).subarray(1, 4));
  socket.send(new Blob(['abcd']));
  socket.send(new ArrayBuffer(70_000));
  socket.simulateMessage('echo');
  socket.close(1000, 'bye');
  assert.deepEqual(socket.sent.length, 5, 'the real send still happens');
  assert.deepEqual(
    messages.map(({ t, ...rest }) => {
      assert.equal(t, TIME_ORIGIN + 12.5);
      return rest;
    }),
    [
      { k: 'ws-create', id: 1, url: 'ws://h/ws' },
      { k: 'ws-open', id: 1, url: 'ws://h/ws', protocol: 'chat', extensions: '' },
      { k: 'ws-send', id: 1, text: 'hé' },
      { k: 'ws-send', id: 1, binary: true, size: 3, b64: 'AQID' },
      { k: 'ws-send', id: 1, binary: true, size: 3, b64: 'AQID' },
      { k: 'ws-send', id: 1, binary: true, size: 4 },
      { k: 'ws-send', id: 1, binary: true, size: 70_000 },
      { k: 'ws-recv', id: 1, text: 'echo' },
      { k: 'ws-close', id: 1, code: 1000, reason: 'bye', wasClean: true },
    ],
  );
  assert.ok(
    raw.every((message) => parseShimMessage(message) !== undefined),
    'the model parses every message',
  );
});

test('EventSource: default and named events (when the page listens), errors, close', () => {
  const { channel, messages } = recorder();
  const window = installShim(channel);
  const source = new window.EventSource('http://h/events', { withCredentials: true });
  assert.ok(source instanceof FakeEventSource);
  assert.equal(window.EventSource.CLOSED, 2);
  const pageSaw: string[] = [];
  source.addEventListener('message', (event) => pageSaw.push(`message:${String((event as MessageEvent).data)}`));
  source.simulateOpen();
  source.simulateEvent('message', 'one', '1');
  source.simulateEvent('tick', 'unheard');
  source.addEventListener('tick', (event) => {
    event.stopImmediatePropagation();
    pageSaw.push(`tick:${String((event as MessageEvent).data)}`);
  });
  source.addEventListener('tick', () => pageSaw.push('second tick listener'));
  source.simulateEvent('tick', 'heard', '2');
  source.simulateError(0);
  source.close();
  source.close();
  assert.deepEqual(pageSaw, ['message:one', 'tick:heard']);
  assert.deepEqual(
    messages.map(({ t: _t, ...rest }) => rest),
    [
      { k: 'sse-create', id: 1, url: 'http://h/events', withCredentials: true },
      { k: 'sse-open', id: 1 },
      { k: 'sse-msg', id: 1, event: 'message', lastEventId: '1', text: 'one' },
      { k: 'sse-msg', id: 1, event: 'tick', lastEventId: '2', text: 'heard' },
      { k: 'sse-error', id: 1, readyState: 0 },
      { k: 'sse-close', id: 1 },
    ],
  );
});

test('installing twice is a no-op, and a failing channel never breaks the page', () => {
  const first = recorder();
  const window = installShim(first.channel);
  const wrapped = window.WebSocket;
  const second = recorder();
  installShim(second.channel, window);
  assert.equal(window.WebSocket, wrapped);
  new window.WebSocket('ws://h/once');
  assert.equal(first.messages.length, 1);
  assert.equal(second.messages.length, 0);

  const broken = installShim(() => {
    throw new Error('channel gone');
  });
  const socket = new broken.WebSocket('ws://h/x');
  socket.simulateOpen();
  socket.send('still works');
  assert.deepEqual(socket.sent, ['still works']);
});

test('what the shim posts builds the same entries as the recorded fixtures do', () => {
  const { raw } = recorder();
  const window = installShim((message) => raw.push(message));
  const socket = new window.WebSocket('ws://h/ws');
  socket.simulateOpen();
  socket.send('ping');
  socket.simulateMessage('pong');
  const source = new window.EventSource('http://h/sse');
  source.simulateOpen();
  source.simulateEvent('message', 'data-1', '1');

  const log = new NetworkLog();
  for (const value of raw) {
    log.ingest('script.message', {
      channel: SHIM_CHANNEL,
      data: { type: 'string', value },
      source: { realm: 'r', context: 'ctx-1' },
    });
  }
  log.ingest('network.beforeRequestSent', hopParams({ id: 's', url: 'http://h/sse', requestHeaders: [['Accept', 'text/event-stream']] }));
  const [ws, sse] = log.entries();
  assert.equal(ws?.resourceType, 'websocket');
  assert.deepEqual(
    ws?.webSocket?.frames.map((frame) => [frame.direction, frame.data]),
    [
      ['sent', 'ping'],
      ['received', 'pong'],
    ],
  );
  assert.equal(sse?.resourceType, 'eventsource');
  assert.deepEqual(sse?.stream?.events, [{ time: TIME_ORIGIN + 12.5, event: 'message', id: '1', data: 'data-1' }]);
});

test('captureWebSockets / captureStreaming: each part of the shim is installed only when asked for', () => {
  const freshWindow = (): FakeWindow => ({
    WebSocket: FakeWebSocket,
    EventSource: FakeEventSource,
    EventTarget,
    Blob,
    btoa,
    performance: { timeOrigin: TIME_ORIGIN, now: () => 1 },
  });
  const cases = [
    { webSockets: true, eventSources: true },
    { webSockets: true, eventSources: false },
    { webSockets: false, eventSources: true },
    { webSockets: false, eventSources: false },
  ];
  for (const parts of cases) {
    const source = pageShimPreloadParams('bidiscope', parts).functionDeclaration;
    const window = installShim(() => undefined, freshWindow(), source);
    assert.equal(window.WebSocket !== FakeWebSocket, parts.webSockets, `WebSocket wrapped: ${JSON.stringify(parts)}`);
    assert.equal(window.EventSource !== FakeEventSource, parts.eventSources, `EventSource wrapped: ${JSON.stringify(parts)}`);
  }
});

test('preload params and documented limitations', () => {
  const params = pageShimPreloadParams();
  assert.match(params.functionDeclaration, /var parts = \{ webSockets: true, eventSources: true \};/);
  assert.equal(params.functionDeclaration.length, pageShimFunction.length - '/*PARTS*/ '.length);
  assert.deepEqual(params.arguments, [{ type: 'channel', value: { channel: 'bidiscope' } }]);
  assert.match(pageShimFunction, /^\(channel, resourceTiming\) => \{/);
  const withTiming = pageShimPreloadParams('x', { webSockets: true, eventSources: true, resourceTiming: true });
  assert.deepEqual(withTiming.arguments, [{ type: 'channel', value: { channel: 'x' } }], 'preload scripts take channels only');
  assert.match(withTiming.functionDeclaration, /^\(channel\) => \(\(channel, resourceTiming\) => \{/);
  assert.match(withTiming.functionDeclaration, /\}\)\(channel, true\)$/);
  assert.ok(PAGE_SHIM_LIMITATIONS.some((line) => line.includes('workers')));
  // Plain ES2019: no optional chaining, nullish coalescing or class fields in the page source.
  assert.doesNotMatch(pageShimFunction, /\?\.|\?\?/);
});

test("with resourceTiming, the page's Resource Timing entries are posted as rt messages the model parses", () => {
  const { channel, messages } = recorder();
  const observers: Array<{ callback: (list: { getEntries(): unknown[] }) => void; type: string }> = [];
  const timers: Array<() => void> = [];
  class FakeObserver {
    constructor(private readonly callback: (list: { getEntries(): unknown[] }) => void) {}
    observe(options: { type: string }): void {
      observers.push({ callback: this.callback, type: options.type });
    }
  }
  const target = {
    WebSocket: FakeWebSocket,
    EventSource: FakeEventSource,
    EventTarget,
    Blob,
    btoa,
    performance: { timeOrigin: TIME_ORIGIN, now: () => 12.5 },
    PerformanceObserver: FakeObserver,
    setTimeout: (callback: () => void): number => {
      timers.push(callback);
      return timers.length;
    },
  };
  const shim = new Function('window', `return (${pageShimFunction});`)(target) as (channel: unknown, rt?: boolean) => void;
  shim(channel, true);
  assert.deepEqual(
    observers.map((observer) => observer.type),
    ['resource', 'navigation'],
  );
  observers[0]?.callback({
    getEntries: () => [
      { name: 'http://h/timed', startTime: 10, responseStart: 20, responseEnd: 320 },
      { name: 'http://other/x', startTime: 11, responseStart: 0, responseEnd: 40 },
      { name: 'http://h/aborted', startTime: 12, responseStart: 0, responseEnd: 0 },
    ],
  });
  observers[1]?.callback({ getEntries: () => [] });
  assert.equal(messages.length, 0, 'entries wait for the flush timer');
  assert.equal(timers.length, 1, 'one timer for entries arriving together');
  timers[0]?.();
  assert.equal(messages.length, 1, 'one message per flush');
  assert.deepEqual(
    { ...messages[0], t: undefined },
    {
      k: 'rt',
      id: 1,
      e: [
        ['http://h/timed', TIME_ORIGIN + 10, TIME_ORIGIN + 20, TIME_ORIGIN + 320],
        ['http://other/x', TIME_ORIGIN + 11, 0, TIME_ORIGIN + 40],
      ],
      t: undefined,
    },
    'entries without a responseEnd are left out; a hidden responseStart (cross-origin) stays 0',
  );
  const parsed = parseShimMessage(JSON.stringify(messages[0]));
  assert.deepEqual(parsed?.kind === 'rt' ? parsed.entries[0] : undefined, {
    url: 'http://h/timed',
    timing: { startTime: TIME_ORIGIN + 10, responseStart: TIME_ORIGIN + 20, responseEnd: TIME_ORIGIN + 320 },
  });
  assert.equal(parseShimMessage('{"k":"rt","id":3,"e":[["http://h/",1,0]]}'), undefined, 'no responseEnd: not a timing');
  assert.equal(parseShimMessage('{"k":"rt","id":3,"e":"x"}'), undefined);

  const plain = recorder();
  const withoutObserver = { ...target, PerformanceObserver: FakeObserver };
  observers.length = 0;
  (new Function('window', `return (${pageShimFunction});`)(withoutObserver) as (channel: unknown) => void)(plain.channel);
  assert.equal(observers.length, 0, 'off unless asked for (Firefox reports the end itself)');
});
