import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import type { WebSocket } from 'ws';
import { messageKind, routeMessages } from '../../../src/browser/message-routing.js';

test('messages are classified by their first bytes, as both browsers send them', () => {
  assert.equal(messageKind('{"type":"event","method":"network.beforeRequestSent"'), 'event'); // Firefox
  assert.equal(messageKind('{"method":"network.beforeRequestSent","params":{'), 'event'); // chromedriver
  assert.equal(messageKind('{"type":"success","id":4,"result":{}}'), 'response');
  assert.equal(messageKind('{"id":4,"result":{"bytes":{'), 'response');
  assert.equal(messageKind('{"type":"error","id":5,"error":"no such frame"'), 'response');
  assert.equal(messageKind('{"error":"unknown error","id":6'), 'response');
  assert.equal(messageKind('{ "type": "event"'), 'unknown');
  assert.equal(messageKind('{"params":{},"method":"x"'), 'unknown');
});

/** A socket with WebdriverIO 9's two listeners (bound methods, recognised by name). */
function fakeSocket(): { socket: WebSocket; handled: string[]; reemitted: string[] } {
  const emitter = new EventEmitter();
  const handled: string[] = [];
  const reemitted: string[] = [];
  class Handler {
    #handleResponse(data: unknown): void {
      handled.push(String(data));
    }
    attach(): void {
      emitter.on('message', this.#handleResponse.bind(this));
    }
  }
  function parseBidiMessage(this: unknown, data: unknown): void {
    reemitted.push(String(data));
  }
  new Handler().attach();
  emitter.on('message', parseBidiMessage.bind({}));
  return { socket: emitter as unknown as WebSocket, handled, reemitted };
}

test('responses go to the handler only, events to bidiscope only, unknown shapes to both', () => {
  const { socket, handled, reemitted } = fakeSocket();
  const events: string[] = [];
  assert.equal(
    routeMessages(socket, (text) => events.push(text)),
    true,
  );
  const event = Buffer.from('{"method":"network.responseCompleted","params":{},"type":"event"}');
  const response = Buffer.from('{"id":7,"result":{},"type":"success"}');
  const odd = '{ "id": 8 }';
  socket.emit('message', event, false);
  socket.emit('message', response, false);
  socket.emit('message', odd, false);
  assert.deepEqual(events, [event.toString(), odd]);
  assert.deepEqual(handled, [response.toString(), odd]);
  assert.deepEqual(reemitted, [], "the client's re-emitter no longer parses every message");
});

test('an unrecognised handler leaves the socket alone', () => {
  const emitter = new EventEmitter();
  const seen: unknown[] = [];
  emitter.on('message', (data: unknown) => seen.push(data));
  assert.equal(
    routeMessages(emitter as unknown as WebSocket, () => undefined),
    false,
  );
  assert.equal(emitter.listenerCount('message'), 1);
});
