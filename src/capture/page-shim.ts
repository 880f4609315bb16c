/**
 * The page shim: a preload script that reports WebSocket and EventSource activity through a BiDi channel, because
 * WebDriver BiDi has no WebSocket or EventSource events (w3c/webdriver-bidi#841). Install it with
 * `script.addPreloadScript({ functionDeclaration: pageShimFunction, arguments: [{ type: 'channel', value: { channel:
 * SHIM_CHANNEL } }] })` (no `sandbox`, no `contexts`: every new document and tab gets it) and subscribe to
 * `script.message`; `src/model/shim/messages.ts` parses what it posts and `NetworkLog` links it to entries.
 *
 * It wraps `window.WebSocket` (create/open/send/receive/close/error) and `window.EventSource` (create/open/message,
 * named events, error, close), observes the page's Resource Timing entries (`rt`: a response's end as the page saw
 * it, because Chromium's BiDi timings have no end of body), and posts one JSON string per step with `t = performance.timeOrigin +
 * performance.now()` (epoch ms). The wrappers stay transparent: same prototype objects, `instanceof`, constants
 * (CONNECTING/OPEN/…), static properties, subclassing, `readyState`/`binaryType`/`bufferedAmount` on the real object.
 * Every report is wrapped in try/catch so the shim can never break the page. Installing twice in one window is a
 * no-op.
 *
 * Limitations (see {@link PAGE_SHIM_LIMITATIONS}):
 * - documents loaded before the preload script was added are not covered (BiDi runs preload scripts only for new
 *   documents), nor sockets created before the shim ran in a document;
 * - sockets created in workers (dedicated, shared, service) are not covered: preload scripts run in windows only;
 * - EventSource named events (`event: foo`) are seen only when the page listens for them with addEventListener;
 * - binary WebSocket frames report their size; bytes (base64) only for ArrayBuffer/typed-array payloads up to
 *   64 KiB, never for Blob payloads (reading a Blob is asynchronous);
 * - text payloads longer than 1 Mi characters are cut (the message carries the full UTF-8 size and `truncated`).
 */
import { SHIM_CHANNEL } from '../model/shim/messages.js';

/** Human-readable limits of the page shim, for capability reports and docs. */
export const PAGE_SHIM_LIMITATIONS: readonly string[] = [
  'Documents loaded before capture started are not covered (preload scripts run only in new documents).',
  'WebSockets and EventSources created in workers are not covered.',
  'EventSource named events are seen only when the page listens for them with addEventListener.',
  'Binary WebSocket frames: size always; bytes only for ArrayBuffer/typed-array payloads up to 64 KiB (never Blob).',
  'Text frames and stream messages longer than 1 Mi characters are cut (full size still reported).',
];

/**
 * The preload function, as source text: `(channel, resourceTiming) => { … }` in plain ES2019 that runs in the page.
 * `channel` is the BiDi channel function (`{type: 'channel'}` argument); each call posts one JSON string.
 * `resourceTiming` true also reports the page's Resource Timing entries.
 */
export const pageShimFunction = String.raw`(channel, resourceTiming) => {
  'use strict';
  var w = typeof window === 'object' && window !== null ? window : undefined;
  if (w === undefined || typeof channel !== 'function') return;
  var mark = typeof Symbol === 'function' ? Symbol.for('bidiscope.page-shim') : '__bidiscopePageShim';
  if (w[mark]) return;
  try {
    Object.defineProperty(w, mark, { value: true });
  } catch (e) {
    return;
  }

  var stringify = JSON.stringify;
  var toTag = Object.prototype.toString;
  var defineProperty = Object.defineProperty;
  var fromCharCode = String.fromCharCode;
  var perf = w.performance;
  var perfNow = perf && typeof perf.now === 'function' ? perf.now.bind(perf) : null;
  var timeOrigin =
    perf && typeof perf.timeOrigin === 'number' ? perf.timeOrigin : Date.now() - (perfNow ? perfNow() : 0);
  var btoaNative = typeof w.btoa === 'function' ? w.btoa.bind(w) : null;
  var BlobNative = typeof w.Blob === 'function' ? w.Blob : null;
  var EventTargetNative = typeof w.EventTarget === 'function' ? w.EventTarget : null;
  var addListener = EventTargetNative ? EventTargetNative.prototype.addEventListener : null;
  var setTimer = typeof w.setTimeout === 'function' ? w.setTimeout.bind(w) : null;
  var RT_FLUSH_MS = 50;
  var MAX_TEXT_CHARS = 1048576;
  var MAX_BINARY_BYTES = 65536;

  function now() {
    return perfNow ? timeOrigin + perfNow() : Date.now();
  }

  function post(message) {
    try {
      message.t = now();
      channel(stringify(message));
    } catch (e) {
      // Reporting must never break the page.
    }
  }

  function listen(target, type, listener) {
    try {
      if (addListener) addListener.call(target, type, listener);
    } catch (e) {
      // ignore
    }
  }

  function utf8Size(text) {
    var size = 0;
    for (var i = 0; i < text.length; i++) {
      var code = text.charCodeAt(i);
      if (code < 0x80) size += 1;
      else if (code < 0x800) size += 2;
      else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
        var next = text.charCodeAt(i + 1);
        if (next >= 0xdc00 && next <= 0xdfff) {
          size += 4;
          i++;
        } else size += 3;
      } else size += 3;
    }
    return size;
  }

  function withText(message, text) {
    if (text.length > MAX_TEXT_CHARS) {
      message.text = text.slice(0, MAX_TEXT_CHARS);
      message.size = utf8Size(text);
      message.truncated = true;
    } else {
      message.text = text;
    }
    return message;
  }

  function base64Of(bytes) {
    if (!btoaNative) return undefined;
    var binary = '';
    for (var i = 0; i < bytes.length; i += 0x8000) {
      binary += fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    }
    return btoaNative(binary);
  }

  function withPayload(message, data) {
    try {
      if (typeof data === 'string') return withText(message, data);
      if (BlobNative && data instanceof BlobNative) {
        message.binary = true;
        message.size = data.size;
        return message;
      }
      var bytes = null;
      if (toTag.call(data) === '[object ArrayBuffer]') bytes = new Uint8Array(data);
      else if (ArrayBuffer.isView(data)) bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      if (bytes) {
        message.binary = true;
        message.size = bytes.byteLength;
        if (bytes.byteLength <= MAX_BINARY_BYTES) message.b64 = base64Of(bytes);
        return message;
      }
      return withText(message, String(data));
    } catch (e) {
      message.binary = true;
      return message;
    }
  }

  function replaceMethod(proto, name, replacement) {
    var descriptor = Object.getOwnPropertyDescriptor(proto, name);
    defineProperty(proto, name, {
      value: replacement,
      writable: descriptor ? descriptor.writable : true,
      enumerable: descriptor ? descriptor.enumerable : true,
      configurable: true,
    });
  }

  function makeTransparent(Shim, Native, constants) {
    Shim.prototype = Native.prototype;
    Object.setPrototypeOf(Shim, Native);
    for (var i = 0; i < constants.length; i++) {
      defineProperty(Shim, constants[i], { value: Native[constants[i]], enumerable: true });
    }
    defineProperty(Shim, 'name', { value: Native.name, configurable: true });
    defineProperty(Shim, 'length', { value: Native.length, configurable: true });
    defineProperty(Shim, 'prototype', { writable: false });
    defineProperty(Native.prototype, 'constructor', {
      value: Shim,
      writable: true,
      enumerable: false,
      configurable: true,
    });
  }

  function installGlobal(name, value) {
    defineProperty(w, name, { value: value, writable: true, enumerable: false, configurable: true });
  }

  function wrapWebSocket() {
    var Native = w.WebSocket;
    if (typeof Native !== 'function') return;
    var ids = new WeakMap();
    var counter = 0;
    var nativeSend = Native.prototype.send;
    var Shim = function WebSocket(url) {
      if (!new.target) return Native.apply(this, arguments);
      var socket = Reflect.construct(Native, arguments, new.target);
      try {
        var id = ++counter;
        ids.set(socket, id);
        post({ k: 'ws-create', id: id, url: socket.url });
        listen(socket, 'open', function () {
          post({ k: 'ws-open', id: id, url: socket.url, protocol: socket.protocol, extensions: socket.extensions });
        });
        listen(socket, 'message', function (event) {
          post(withPayload({ k: 'ws-recv', id: id }, event.data));
        });
        listen(socket, 'close', function (event) {
          post({ k: 'ws-close', id: id, code: event.code, reason: event.reason, wasClean: event.wasClean });
        });
        listen(socket, 'error', function () {
          post({ k: 'ws-error', id: id });
        });
      } catch (e) {
        // ignore
      }
      return socket;
    };
    replaceMethod(Native.prototype, 'send', function send(data) {
      var result = nativeSend.apply(this, arguments);
      try {
        var id = ids.get(this);
        if (id !== undefined && this.readyState === 1) post(withPayload({ k: 'ws-send', id: id }, data));
      } catch (e) {
        // ignore
      }
      return result;
    });
    makeTransparent(Shim, Native, ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED']);
    installGlobal('WebSocket', Shim);
  }

  function wrapEventSource() {
    var Native = w.EventSource;
    if (typeof Native !== 'function') return;
    var ids = new WeakMap();
    var namedTypes = new WeakMap();
    var counter = 0;
    var proto = Native.prototype;
    var nativeClose = proto.close;
    var nativeAddEventListener = proto.addEventListener || addListener;

    function postMessage(id, event) {
      var data = typeof event.data === 'string' ? event.data : String(event.data);
      post(withText({ k: 'sse-msg', id: id, event: event.type, lastEventId: event.lastEventId }, data));
    }

    var Shim = function EventSource(url) {
      if (!new.target) return Native.apply(this, arguments);
      var source = Reflect.construct(Native, arguments, new.target);
      try {
        var id = ++counter;
        ids.set(source, id);
        namedTypes.set(source, Object.create(null));
        post({ k: 'sse-create', id: id, url: source.url, withCredentials: source.withCredentials });
        listen(source, 'open', function () {
          post({ k: 'sse-open', id: id });
        });
        listen(source, 'message', function (event) {
          postMessage(id, event);
        });
        listen(source, 'error', function () {
          post({ k: 'sse-error', id: id, readyState: source.readyState });
        });
      } catch (e) {
        // ignore
      }
      return source;
    };
    replaceMethod(proto, 'close', function close() {
      var id = ids.get(this);
      var wasOpen = id !== undefined && this.readyState !== 2;
      var result = nativeClose.apply(this, arguments);
      if (wasOpen) post({ k: 'sse-close', id: id });
      return result;
    });
    // Named events (event: foo) reach only listeners for that name: listen too whenever the page does.
    replaceMethod(proto, 'addEventListener', function addEventListener(type, listener) {
      try {
        var seen = namedTypes.get(this);
        var name = String(type);
        if (seen && name !== 'message' && name !== 'open' && name !== 'error' && !seen[name]) {
          seen[name] = true;
          var id = ids.get(this);
          listen(this, name, function (event) {
            postMessage(id, event);
          });
        }
      } catch (e) {
        // ignore
      }
      return nativeAddEventListener.apply(this, arguments);
    });
    makeTransparent(Shim, Native, ['CONNECTING', 'OPEN', 'CLOSED']);
    installGlobal('EventSource', Shim);
  }

  // Resource Timing: the page's own end of each response (Chromium's BiDi timings have none). Entries from before
  // the shim ran are not sent (no buffered flag).
  function observeResourceTiming() {
    var Observer = w.PerformanceObserver;
    if (typeof Observer !== 'function') return;
    var counter = 0;
    // Entries are collected and posted together at most every RT_FLUSH_MS: a page making hundreds of requests sends a
    // few dozen BiDi messages, not one per request.
    var batch = [];
    var flush = function () {
      flushTimer = null;
      var entries = batch;
      batch = [];
      if (entries.length > 0) post({ k: 'rt', id: ++counter, e: entries });
    };
    var flushTimer = null;
    var report = function (list) {
      try {
        var entries = list.getEntries();
        for (var i = 0; i < entries.length; i++) {
          var e = entries[i];
          var end = e.responseEnd;
          var start = e.responseStart;
          if (!(end > 0)) continue;
          batch.push([String(e.name), timeOrigin + e.startTime, start > 0 ? timeOrigin + start : 0, timeOrigin + end]);
        }
        if (batch.length > 0 && flushTimer === null && setTimer) flushTimer = setTimer(flush, RT_FLUSH_MS);
        else if (!setTimer) flush();
      } catch (err) {
        // ignore
      }
    };
    var types = ['resource', 'navigation'];
    for (var j = 0; j < types.length; j++) {
      try {
        new Observer(report).observe({ type: types[j] });
      } catch (e) {
        // type not supported
      }
    }
  }

  var parts = /*PARTS*/ { webSockets: true, eventSources: true };
  try {
    if (parts.webSockets) wrapWebSocket();
  } catch (e) {
    // leave WebSocket alone
  }
  try {
    if (parts.eventSources) wrapEventSource();
  } catch (e) {
    // leave EventSource alone
  }
  if (resourceTiming === true) {
    try {
      observeResourceTiming();
    } catch (e) {
      // no Resource Timing
    }
  }
}`;

/** Which page APIs the shim wraps (captureWebSockets / captureStreaming), and whether it reports Resource Timing. */
export interface PageShimParts {
  webSockets: boolean;
  eventSources: boolean;
  /**
   * Report the page's Resource Timing entries (`rt` messages): wanted on Chromium, whose BiDi timings have no end of
   * body; Firefox reports it itself, so it is left off there (fewer messages).
   */
  resourceTiming?: boolean;
}

/** The `script.addPreloadScript` parameters that install the shim on {@link SHIM_CHANNEL}. */
export function pageShimPreloadParams(
  channel: string = SHIM_CHANNEL,
  parts: PageShimParts = { webSockets: true, eventSources: true },
): {
  functionDeclaration: string;
  arguments: Array<{ type: 'channel'; value: { channel: string } }>;
} {
  // Preload scripts take only channel arguments, so the choices are written into the source.
  const chosen = `{ webSockets: ${parts.webSockets === true}, eventSources: ${parts.eventSources === true} }`;
  const withParts = pageShimFunction.replace('/*PARTS*/ { webSockets: true, eventSources: true }', chosen);
  const functionDeclaration = parts.resourceTiming === true ? `(channel) => (${withParts})(channel, true)` : withParts;
  return { functionDeclaration, arguments: [{ type: 'channel', value: { channel } }] };
}
