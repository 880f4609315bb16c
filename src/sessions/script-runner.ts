/**
 * Runs an evaluate_script call in a tab: the user's code and the page serializer in one BiDi command, so the value
 * comes back as one string (see `browser/page-serializer.ts`). Source that is not an expression (statements,
 * declarations) runs as a script first and is then serialized through a handle to its value.
 */
import type { BidiConnection } from '../browser/bidi-connection.js';
import { DEFAULT_SERIALIZER_LIMITS, expressionWrapper, functionWrapper, handleSerializer, type SerializerLimits } from '../browser/page-serializer.js';
import { jsonToLocalValue } from '../browser/remote-value.js';
import { parseEnvelope, resultFromRemoteValue, type ScriptResult } from '../browser/script-result.js';

/** What to run: an expression (or statements), or a function declaration with JSON arguments. */
export type ScriptCode = { expression: string } | { functionDeclaration: string; args: readonly unknown[] };

/** What `evaluate` reports: a serialized value, or the page's exception. */
export type EvaluationOutcome = { ok: true; result: ScriptResult } | { ok: false; exception: string };

interface EvaluateResult {
  type: 'success' | 'exception';
  realm?: string;
  result?: { type?: string; value?: unknown; handle?: string };
  exceptionDetails?: { text?: string; lineNumber?: number };
}

function exceptionText(result: EvaluateResult, withLine: boolean): string {
  const details = result.exceptionDetails;
  const where = withLine && details?.lineNumber !== undefined ? ` (line ${details.lineNumber + 1})` : '';
  return `${details?.text ?? 'unknown exception'}${where}`;
}

function fromEnvelope(remote: EvaluateResult['result'], limits: SerializerLimits): EvaluationOutcome {
  if (remote?.type === 'string' && typeof remote.value === 'string') {
    const parsed = parseEnvelope(remote.value);
    if (parsed) return parsed;
  }
  return { ok: true, result: resultFromRemoteValue(remote, limits.previewLength, limits.maxJsonLength) };
}

/** Runs `code` in `context`; every command is bounded by what is left until `deadline` (epoch ms). */
export async function runScript(
  bidi: BidiConnection,
  context: string,
  code: ScriptCode,
  awaitPromise: boolean,
  deadline: number,
  limits: SerializerLimits = DEFAULT_SERIALIZER_LIMITS,
): Promise<EvaluationOutcome> {
  const left = (): number => Math.max(1, deadline - Date.now());
  const common = {
    target: { context },
    awaitPromise: true,
    resultOwnership: 'none',
    serializationOptions: { maxDomDepth: 0, maxObjectDepth: 0, includeShadowTree: 'none' },
    userActivation: true,
  };
  if (!('expression' in code)) {
    const result = await bidi.send<EvaluateResult>(
      'script.callFunction',
      { ...common, functionDeclaration: functionWrapper(code.functionDeclaration, awaitPromise, limits), arguments: code.args.map((arg) => jsonToLocalValue(arg)) },
      left(),
    );
    return result.type === 'success' ? fromEnvelope(result.result, limits) : { ok: false, exception: exceptionText(result, false) };
  }
  const wrapped = await bidi.send<EvaluateResult>('script.evaluate', { ...common, expression: expressionWrapper(code.expression, awaitPromise, limits) }, left());
  if (wrapped.type === 'success') return fromEnvelope(wrapped.result, limits);
  // The wrapper catches everything the user's code throws, so an exception here is the wrapper not compiling:
  // the source is statements, not an expression. Nothing has run yet; run it as a script.
  if (!/SyntaxError/.test(wrapped.exceptionDetails?.text ?? '')) return { ok: false, exception: exceptionText(wrapped, false) };
  return runStatements(bidi, context, code.expression, awaitPromise, left, limits);
}

async function runStatements(
  bidi: BidiConnection,
  context: string,
  source: string,
  awaitPromise: boolean,
  left: () => number,
  limits: SerializerLimits,
): Promise<EvaluationOutcome> {
  const result = await bidi.send<EvaluateResult>(
    'script.evaluate',
    {
      target: { context },
      expression: source,
      awaitPromise,
      resultOwnership: 'root',
      serializationOptions: { maxDomDepth: 0, maxObjectDepth: 0, includeShadowTree: 'none' },
      userActivation: true,
    },
    left(),
  );
  if (result.type === 'exception') return { ok: false, exception: exceptionText(result, true) };
  const handle = result.result?.handle;
  if (handle === undefined) return { ok: true, result: resultFromRemoteValue(result.result, limits.previewLength, limits.maxJsonLength) };
  const target = result.realm !== undefined ? { realm: result.realm } : { context };
  try {
    const serialized = await bidi.send<EvaluateResult>(
      'script.callFunction',
      { target, functionDeclaration: handleSerializer(limits), arguments: [{ handle }], awaitPromise: false, resultOwnership: 'none' },
      left(),
    );
    return serialized.type === 'success' ? fromEnvelope(serialized.result, limits) : { ok: false, exception: exceptionText(serialized, false) };
  } finally {
    void bidi.send('script.disown', { handles: [handle], target }, 5_000).catch(() => undefined);
  }
}
