/**
 * A page for the fake BiDi connection: answers `script.evaluate` and `script.callFunction` by running the source bidiscope
 * sends (its in-page serializer included) in a Node `vm` context with the globals a test gives, so the tool layer's
 * evaluate path runs end to end without a browser. Only JSON-like `script.LocalValue` arguments are understood.
 */
import { runInNewContext } from 'node:vm';
import type { FakeBidi } from './fake-bidi.js';

function fromLocalValue(value: unknown): unknown {
  const local = value as { type?: string; value?: unknown };
  switch (local.type) {
    case 'undefined':
      return undefined;
    case 'null':
      return null;
    case 'array':
      return (local.value as unknown[]).map(fromLocalValue);
    case 'object':
      return Object.fromEntries((local.value as Array<[string, unknown]>).map(([key, item]) => [key, fromLocalValue(item)]));
    case 'number':
      return typeof local.value === 'string' ? Number(local.value) : local.value;
    default:
      return local.value;
  }
}

function exception(error: unknown): Record<string, unknown> {
  const text =
    error instanceof Error || (typeof error === 'object' && error !== null && 'name' in error)
      ? `${(error as Error).name}: ${(error as Error).message}`
      : String(error);
  return { type: 'exception', realm: 'r', exceptionDetails: { text, lineNumber: 0, columnNumber: 0 } };
}

function success(value: unknown): Record<string, unknown> {
  if (typeof value === 'string') return { type: 'success', realm: 'r', result: { type: 'string', value } };
  if (typeof value === 'number') return { type: 'success', realm: 'r', result: { type: 'number', value } };
  if (value === undefined) return { type: 'success', realm: 'r', result: { type: 'undefined' } };
  return { type: 'success', realm: 'r', result: { type: 'object', value: [] } };
}

/** Makes `bidi` run scripts in a context holding `globals` (e.g. `{ document: { title: 'blank' } }`). */
export function emulatePage(bidi: FakeBidi, globals: Record<string, unknown> = {}): void {
  const context = { ...globals, JSON, Object, Array, Map, Set, Date, Promise, Symbol, Error, TypeError, String, Number, Math };
  const run = async (source: string, args: unknown[] = []): Promise<Record<string, unknown>> => {
    let compiled: unknown;
    try {
      compiled = runInNewContext(`(${source})`, context);
    } catch (error) {
      if ((error as { name?: unknown } | null)?.name === 'SyntaxError') {
        // Not an expression: a page runs it as a script.
        try {
          return success(await runInNewContext(source, context));
        } catch (thrown) {
          return exception(thrown);
        }
      }
      return exception(error);
    }
    try {
      const value = typeof compiled === 'function' ? await (compiled as (...items: unknown[]) => unknown)(...args) : await compiled;
      return success(value);
    } catch (thrown) {
      return exception(thrown);
    }
  };
  bidi.answer('script.evaluate', (params: Record<string, unknown>) => run(String(params.expression)));
  bidi.answer('script.callFunction', (params: Record<string, unknown>) =>
    run(String(params.functionDeclaration), ((params.arguments as unknown[] | undefined) ?? []).map(fromLocalValue)),
  );
}
