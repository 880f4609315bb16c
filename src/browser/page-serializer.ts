/**
 * Serializing a script's result inside the page, so a big or deep value crosses the BiDi connection as one string
 * instead of a deep `script.RemoteValue` the browser would have to build node by node.
 *
 * {@link PAGE_SERIALIZER} is plain ES2019 source text (it runs in the page, never in bidiscope; written as a string so
 * no build step can inject helpers into it). Called as `serialize(value, options)` it returns an *envelope*: one line
 * of header JSON (kind, size, a bounded preview, counts of what JSON cannot hold, whether the value was too big), then
 * `\n` and the full JSON text when it fits `options.maxJsonLength` characters. `JSON.stringify` does the work with a
 * replacer that:
 * - describes what JSON cannot hold: `undefined` → `"[undefined]"`, NaN/±Infinity → `"[number NaN]"`, BigInt →
 *   `"12n"`, functions → `"[function name]"`, symbols, DOM nodes → `"[node <div#id.class>]"`, windows, errors,
 *   promises, typed arrays and weak collections; Map → `{"[Map]": [[key, value], …]}`, Set → `{"[Set]": […]}`;
 *   dates keep JSON's own ISO string; a reference back to an ancestor → `"[circular]"`; below 100 levels
 *   `"[depth limit]"`;
 * - stops (throws a private sentinel) once the JSON would exceed the limit, so a huge value costs at most the limit.
 * `serialize.threw(error)` is the envelope for an exception the user's code threw.
 */

/** Size limits the page serializer works within. */
export interface SerializerLimits {
  /** Above this many characters of JSON the full value is not produced (only the preview and the shape). */
  maxJsonLength: number;
  /** Rough bound, in characters, on the preview's JSON. */
  previewLength: number;
  /**
   * JSON longer than this stays in the page and is read in chunks of this many characters (0: never), so no single
   * BiDi message holds the pipeline for long and the transfer can stop at the deadline.
   */
  chunkLength: number;
}

/** Default limits: 64 Mi characters of JSON kept at most; a preview of about 3,000 characters; 2 Mi-character chunks. */
export const DEFAULT_SERIALIZER_LIMITS: SerializerLimits = {
  maxJsonLength: 64 * 1024 * 1024,
  previewLength: 3_000,
  chunkLength: 2 * 1024 * 1024,
};

/** `(id, from, to)`: the characters `from`…`to` of a result kept in the page, or null when it is gone. */
export const CHUNK_READER = String.raw`function (id, from, to) {
  var store = globalThis[typeof Symbol === 'function' ? Symbol.for('bidiscope.pendingResults') : '__bidiscopePendingResults'];
  var json = store ? store.get(id) : undefined;
  if (typeof json !== 'string') return null;
  var end = Math.min(json.length, to);
  var last = json.charCodeAt(end - 1);
  // Never end on the first half of a surrogate pair: a lone surrogate makes chromedriver drop the whole message.
  if (end < json.length && end - 1 > from && last >= 0xd800 && last <= 0xdbff) end -= 1;
  return json.slice(from, end);
}`;

/** `(id)`: forgets a result kept in the page. */
export const CHUNK_RELEASER = String.raw`function (id) {
  var store = globalThis[typeof Symbol === 'function' ? Symbol.for('bidiscope.pendingResults') : '__bidiscopePendingResults'];
  if (store) store.delete(id);
}`;

/** The in-page serializer, as a function expression. */
export const PAGE_SERIALIZER = String.raw`(function () {
  'use strict';
  var toTag = Object.prototype.toString;
  var stringify = JSON.stringify;
  var objectKeys = Object.keys;
  var isArray = Array.isArray;
  var arrayFrom = Array.from;
  var getPrototypeOf = Object.getPrototypeOf;
  var ObjectPrototype = Object.prototype;
  var ArrayPrototype = Array.prototype;
  var MAX_DEPTH = 100;
  var NONE = {};

  function nodeText(node) {
    var type = node.nodeType;
    if (type === 1) {
      var name = String(node.localName || node.nodeName).toLowerCase();
      var id = node.id ? '#' + node.id : '';
      var cls = typeof node.className === 'string' && node.className.trim() !== '' ? '.' + node.className.trim().split(/\s+/).slice(0, 3).join('.') : '';
      return '[node <' + name + id + cls + '>]';
    }
    if (type === 3) return '[node #text ' + stringify(String(node.data).slice(0, 40)) + ']';
    if (type === 9) return '[node #document]';
    return '[node ' + node.nodeName + ']';
  }

  /** A description for a value JSON cannot hold; NONE for plain values; {map|set} for collections. */
  function special(value, notes) {
    var type = typeof value;
    if (type === 'string' || type === 'boolean') return NONE;
    if (type === 'number') {
      if (value === value && value !== Infinity && value !== -Infinity) return NONE;
      notes('non-finite number');
      return '[number ' + value + ']';
    }
    if (type === 'undefined') { notes('undefined'); return '[undefined]'; }
    if (type === 'bigint') { notes('BigInt'); return value.toString() + 'n'; }
    if (type === 'symbol') { notes('symbol'); return '[' + String(value) + ']'; }
    if (type === 'function') { notes('function'); return '[function ' + (value.name || 'anonymous') + ']'; }
    if (value === null) return NONE;
    var tag;
    try {
      if (typeof value.nodeType === 'number' && typeof value.nodeName === 'string') { notes('DOM node'); return nodeText(value); }
      if (value.window === value) { notes('window'); return '[Window]'; }
      tag = toTag.call(value).slice(8, -1);
    } catch (error) {
      notes('unreadable object');
      return '[unreadable object]';
    }
    if (tag === 'Object' || tag === 'Array') return NONE;
    if (tag === 'Map') { notes('Map'); return { map: value }; }
    if (tag === 'Set') { notes('Set'); return { set: value }; }
    if (tag === 'Date') return isNaN(value.getTime()) ? '[Date invalid]' : value.toISOString();
    if (tag === 'RegExp') return String(value);
    if (tag === 'Error' || value instanceof Error) { notes('Error'); return '[' + value.name + ': ' + value.message + ']'; }
    if (tag === 'ArrayBuffer') { notes(tag); return '[ArrayBuffer of ' + value.byteLength + ' bytes]'; }
    if (ArrayBuffer.isView(value)) { notes(tag); return '[' + tag + ' of ' + (value.length !== undefined ? value.length + ' items' : value.byteLength + ' bytes') + ']'; }
    if (tag === 'Promise' || tag === 'WeakMap' || tag === 'WeakSet' || tag === 'WeakRef') { notes(tag); return '[' + tag + ']'; }
    return NONE;
  }

  function noNotes() {}

  /** Where a chunk starting at from, of at most length characters, ends without splitting a surrogate pair. */
  function chunkEnd(text, from, length) {
    var end = Math.min(text.length, from + length);
    var last = text.charCodeAt(end - 1);
    return end < text.length && end - 1 > from && last >= 0xd800 && last <= 0xdbff ? end - 1 : end;
  }

  function kindOf(value) {
    if (value === null) return 'null';
    if (isArray(value)) return 'array';
    var type = typeof value;
    if (type !== 'object') return type;
    try {
      if (typeof value.nodeType === 'number' && typeof value.nodeName === 'string') return 'DOM node';
      var tag = toTag.call(value).slice(8, -1);
      return tag === 'Object' ? 'object' : tag;
    } catch (error) {
      return 'object';
    }
  }

  function sizeOf(value, kind) {
    try {
      if (kind === 'array' || kind === 'string') return value.length;
      if (kind === 'Map' || kind === 'Set') return value.size;
      if (kind === 'object') return objectKeys(value).length;
    } catch (error) {}
    return undefined;
  }

  /** A bounded copy of the value for the tool text: a few levels, the first items, strings cut; a character budget. */
  function preview(root, budget) {
    var spent = 0;
    var ancestors = [];
    var shown;
    function cut(text, max) {
      return text.length > max ? text.slice(0, max) + '… (' + (text.length - max) + ' more chars)' : text;
    }
    function walk(value, depth, top) {
      if (value !== null && typeof value === 'object' && typeof value.toJSON === 'function' && toTag.call(value) !== '[object Date]') {
        value = value.toJSON();
      }
      var described = special(value, noNotes);
      if (typeof described === 'string') { spent += described.length; return described; }
      if (typeof value === 'string') {
        var text = cut(value, top ? Math.max(200, budget - spent) : 200);
        spent += text.length + 2;
        return text;
      }
      if (value === null || typeof value !== 'object') { spent += 6; return value; }
      if (ancestors.indexOf(value) !== -1) { spent += 10; return '[circular]'; }
      var isMap = described !== NONE && described.map !== undefined;
      var isSet = described !== NONE && described.set !== undefined;
      var items = isMap ? arrayFrom(value) : isSet ? arrayFrom(value) : isArray(value) ? value : null;
      var keys = items === null ? objectKeys(value) : null;
      var count = items !== null ? items.length : keys.length;
      if (depth >= 3 && count > 0) {
        var summary = '[' + (items !== null ? (isMap ? 'Map' : isSet ? 'Set' : 'array') + ' of ' + count + (count === 1 ? ' item' : ' items') : 'object with ' + count + (count === 1 ? ' key' : ' keys')) + ']';
        spent += summary.length;
        return summary;
      }
      ancestors.push(value);
      var limit = top ? 20 : 10;
      var taken = 0;
      var out = items !== null ? [] : {};
      for (var i = 0; i < count && taken < limit && spent < budget; i++, taken++) {
        if (items !== null) {
          var item = isMap ? [walk(items[i][0], depth + 2, false), walk(items[i][1], depth + 2, false)] : walk(items[i], depth + 1, false);
          out.push(item);
          spent += 1;
        } else {
          var key = keys[i];
          spent += key.length + 4;
          out[key] = walk(value[key], depth + 1, false);
        }
      }
      ancestors.pop();
      if (top) shown = taken;
      if (taken < count) {
        if (items !== null) out.push('… ' + (count - taken) + ' more items');
        else out['…'] = (count - taken) + ' more keys';
      }
      if (isMap) return { '[Map]': out };
      if (isSet) return { '[Set]': out };
      return out;
    }
    var value;
    try {
      value = walk(root, 0, true);
    } catch (error) {
      value = '[preview failed: ' + String(error) + ']';
    }
    return { value: value, shown: shown };
  }

  function serialize(value, options) {
    var counts = {};
    function notes(what) { counts[what] = (counts[what] || 0) + 1; }
    var kind = kindOf(value);
    var header = { kind: kind, size: sizeOf(value, kind), jsonLength: -1, notes: counts };
    var json;
    var TOO_BIG = {};
    var holders = [];
    var origins = [];
    var used = 0;
    var limit = options.maxJsonLength;
    var top = null;
    function replacer(key, item) {
      if (this !== top) {
        if (holders.length === 0) {
          holders.push(this);
          origins.push(this);
        } else {
          var at = holders.length - 1;
          while (at > 0 && holders[at] !== this) at--;
          holders.length = at + 1;
          origins.length = at + 1;
        }
        top = this;
      }
      var type = typeof item;
      if (type === 'string') {
        used += key.length + item.length + 4;
        if (used > limit) throw TOO_BIG;
        return item;
      }
      used += key.length + 12;
      if (used > limit) throw TOO_BIG;
      if (type === 'boolean' || item === null) return item;
      if (type === 'number' && item === item && item !== Infinity && item !== -Infinity) return item;
      var out = item;
      if (type === 'object') {
        var proto = getPrototypeOf(item);
        if (proto !== ObjectPrototype && proto !== ArrayPrototype && proto !== null) {
          var described = special(item, notes);
          if (typeof described === 'string') { used += described.length; return described; }
          if (described !== NONE && described.map !== undefined) out = { '[Map]': arrayFrom(item) };
          else if (described !== NONE && described.set !== undefined) out = { '[Set]': arrayFrom(item) };
        }
      } else {
        var text = special(item, notes);
        used += text.length;
        return text;
      }
      for (var i = origins.length - 1; i >= 0; i--) {
        if (origins[i] === item) { notes('circular reference'); return '[circular]'; }
      }
      if (holders.length > MAX_DEPTH) { notes('depth limit'); return '[depth limit]'; }
      holders.push(out);
      origins.push(item);
      top = out;
      return out;
    }
    try {
      json = stringify(value, replacer);
      if (json.length > limit) {
        json = undefined;
        header.tooBig = true;
      } else {
        header.jsonLength = json.length;
      }
    } catch (error) {
      json = undefined;
      if (error === TOO_BIG) header.tooBig = true;
      else header.error = String(error);
    }
    holders = origins = null;
    var shown = preview(value, options.previewLength);
    header.preview = shown.value;
    if (shown.shown !== undefined) header.shown = shown.shown;
    var head;
    try {
      head = stringify(header);
    } catch (error) {
      head = stringify({ kind: kind, jsonLength: -1, notes: {}, error: 'could not describe the value: ' + String(error), preview: null });
      json = undefined;
    }
    if (json === undefined) return head;
    if (options.chunkLength > 0 && json.length > options.chunkLength) {
      // Too long for one message: keep it in the page and send the first chunk; the caller reads the rest.
      var key = typeof Symbol === 'function' ? Symbol.for('bidiscope.pendingResults') : '__bidiscopePendingResults';
      var store = globalThis[key];
      if (!store) {
        store = new Map();
        Object.defineProperty(globalThis, key, { value: store, configurable: true });
      }
      var id = 'r' + Date.now().toString(36) + Math.random().toString(36).slice(2);
      store.set(id, json);
      header.pending = id;
      head = stringify(header);
      return head + '\n' + json.slice(0, chunkEnd(json, 0, options.chunkLength));
    }
    return head + '\n' + json;
  }

  serialize.threw = function (error) {
    var text;
    try {
      text = error instanceof Error || (error && typeof error.name === 'string' && typeof error.message === 'string')
        ? error.name + ': ' + error.message
        : typeof error === 'string' ? error : stringify(error);
    } catch (failure) {
      text = String(error);
    }
    return stringify({ threw: String(text) });
  };
  return serialize;
})()`;

/** Removes trailing semicolons and whitespace, so `document.title;` can be wrapped as an expression. */
function trimStatementEnd(source: string): string {
  return source.replace(/[\s;]+$/, '');
}

/**
 * Source for `script.evaluate` that runs `expression` as an expression inside an async function, serializes the
 * value in the page and returns the envelope (user exceptions included, as `{threw}`). When `expression` is not an
 * expression (statements, declarations) this text does not compile: the page reports a SyntaxError before running
 * anything, and the caller runs the source as a script instead.
 */
export function expressionWrapper(expression: string, awaitPromise: boolean, limits: SerializerLimits): string {
  return (
    `(async () => { const __bidiscopeSerialize = ${PAGE_SERIALIZER}; let __bidiscopeValue; try { __bidiscopeValue = (\n` +
    `${trimStatementEnd(expression)}\n);` +
    `${awaitPromise ? ' __bidiscopeValue = await __bidiscopeValue;' : ''} } catch (__bidiscopeError) { return __bidiscopeSerialize.threw(__bidiscopeError); }` +
    ` return __bidiscopeSerialize(__bidiscopeValue, ${JSON.stringify(limits)}); })()`
  );
}

/** A function declaration for `script.callFunction` that calls the user's function with the given arguments. */
export function functionWrapper(functionDeclaration: string, awaitPromise: boolean, limits: SerializerLimits): string {
  return (
    `async function (...__bidiscopeArgs) { const __bidiscopeSerialize = ${PAGE_SERIALIZER}; let __bidiscopeValue; try { const __bidiscopeFunction = (\n` +
    `${functionDeclaration}\n); __bidiscopeValue = __bidiscopeFunction.apply(this, __bidiscopeArgs);` +
    `${awaitPromise ? ' __bidiscopeValue = await __bidiscopeValue;' : ''} } catch (__bidiscopeError) { return __bidiscopeSerialize.threw(__bidiscopeError); }` +
    ` return __bidiscopeSerialize(__bidiscopeValue, ${JSON.stringify(limits)}); }`
  );
}

/** A function declaration for `script.callFunction` that serializes its one argument (a handle to a page value). */
export function handleSerializer(limits: SerializerLimits): string {
  return `function (value) { return (${PAGE_SERIALIZER})(value, ${JSON.stringify(limits)}); }`;
}
