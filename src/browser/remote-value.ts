/**
 * Converts a WebDriver BiDi `script.RemoteValue` into plain JSON for tool output, and JSON into `script.LocalValue`
 * for function arguments. Pure. https://w3c.github.io/webdriver-bidi/#type-script-RemoteValue
 */

/** JSON as bidiscope reports it. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

interface RemoteValueLike {
  type?: unknown;
  value?: unknown;
}

function isRemoteValue(value: unknown): value is RemoteValueLike {
  return typeof value === 'object' && value !== null && 'type' in value;
}

const SPECIAL_NUMBERS: Record<string, string> = { NaN: 'NaN', '-0': '-0', Infinity: 'Infinity', '-Infinity': '-Infinity' };

/** RemoteValue → JSON. Values JSON cannot hold (undefined, NaN, functions, nodes) become descriptive strings. */
export function remoteValueToJson(remote: unknown, depth = 0): JsonValue {
  if (!isRemoteValue(remote)) return null;
  const { type, value } = remote;
  if (depth > 20) return `[${String(type)}]`;
  switch (type) {
    case 'undefined':
      return '[undefined]';
    case 'null':
      return null;
    case 'string':
      return typeof value === 'string' ? value : '';
    case 'boolean':
      return value === true;
    case 'number':
      if (typeof value === 'number') return value;
      return typeof value === 'string' ? `[number ${SPECIAL_NUMBERS[value] ?? value}]` : null;
    case 'bigint':
      return `${String(value)}n`;
    case 'array':
    case 'set':
      return Array.isArray(value) ? value.map((item) => remoteValueToJson(item, depth + 1)) : `[${type}]`;
    case 'object':
    case 'map': {
      if (!Array.isArray(value)) return `[${type}]`;
      const result: Record<string, JsonValue> = {};
      for (const pair of value) {
        if (!Array.isArray(pair) || pair.length !== 2) continue;
        const [key, item] = pair as [unknown, unknown];
        const keyText = typeof key === 'string' ? key : JSON.stringify(remoteValueToJson(key, depth + 1));
        result[keyText] = remoteValueToJson(item, depth + 1);
      }
      return result;
    }
    case 'date':
      return typeof value === 'string' ? value : '[date]';
    case 'regexp': {
      const regexp = value as { pattern?: string; flags?: string } | undefined;
      return `/${regexp?.pattern ?? ''}/${regexp?.flags ?? ''}`;
    }
    case 'node': {
      const node = value as { localName?: string; nodeType?: number } | undefined;
      return node?.localName ? `[node <${node.localName}>]` : '[node]';
    }
    default:
      return `[${String(type)}]`;
  }
}

const LONE_SURROGATES = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Replaces unpaired UTF-16 surrogates with U+FFFD: chromedriver silently drops a BiDi message that carries one. */
function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATES, '\uFFFD');
}

/** JSON → LocalValue, for `script.callFunction` arguments. */
export function jsonToLocalValue(value: unknown, depth = 0): object {
  if (depth > 50) return { type: 'null' };
  if (value === null || value === undefined) return { type: value === null ? 'null' : 'undefined' };
  switch (typeof value) {
    case 'string':
      return { type: 'string', value: wellFormed(value) };
    case 'boolean':
      return { type: 'boolean', value };
    case 'number':
      return { type: 'number', value: Number.isFinite(value) ? value : String(value) };
    case 'object':
      if (Array.isArray(value)) return { type: 'array', value: value.map((item) => jsonToLocalValue(item, depth + 1)) };
      return {
        type: 'object',
        value: Object.entries(value as Record<string, unknown>).map(([key, item]) => [wellFormed(key), jsonToLocalValue(item, depth + 1)]),
      };
    default:
      return { type: 'undefined' };
  }
}
