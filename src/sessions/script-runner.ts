/**
 * Runs an evaluate_script call in a tab: the user's code and the page serializer in one BiDi command, so the value
 * comes back as one string (see `browser/page-serializer.ts`). Source that is not an expression (statements,
 * declarations) runs as a script first and is then serialized through a handle to its value.
 */
import { BidiCommandError, type BidiConnection } from '../browser/bidi-connection.js';
import {
  CHUNK_READER,
  CHUNK_RELEASER,
  DEFAULT_SERIALIZER_LIMITS,
  expressionWrapper,
  functionWrapper,
  handleSerializer,
  type SerializerLimits,
} from '../browser/page-serializer.js';
import { jsonToLocalValue } from '../browser/remote-value.js';
import { parseEnvelope, resultFromRemoteValue, type ScriptResult } from '../browser/script-result.js';

/** What to run: an expression (or statements), or a function declaration with JSON arguments. */
export type ScriptCode = { expression: string } | { functionDeclaration: string; args: readonly unknown[] };

export type { ScriptResult } from '../browser/script-result.js';

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
      {
        ...common,
        functionDeclaration: functionWrapper(code.functionDeclaration, awaitPromise, limits),
        arguments: code.args.map((arg) => jsonToLocalValue(arg)),
      },
      left(),
    );
    if (result.type !== 'success') return { ok: false, exception: exceptionText(result, false) };
    return readRest(bidi, targetOf(result, context), fromEnvelope(result.result, limits), deadline, limits);
  }
  const wrapped = await bidi.send<EvaluateResult>(
    'script.evaluate',
    { ...common, expression: expressionWrapper(code.expression, awaitPromise, limits) },
    left(),
  );
  if (wrapped.type === 'success') return readRest(bidi, targetOf(wrapped, context), fromEnvelope(wrapped.result, limits), deadline, limits);
  // The wrapper catches everything the user's code throws, so an exception here is the wrapper not compiling:
  // the source is statements, not an expression. Nothing has run yet; run it as a script.
  if (!/SyntaxError/.test(wrapped.exceptionDetails?.text ?? '')) return { ok: false, exception: exceptionText(wrapped, false) };
  return runStatements(bidi, context, code.expression, awaitPromise, deadline, limits);
}

type ScriptTarget = { realm: string } | { context: string };

function targetOf(result: EvaluateResult, context: string): ScriptTarget {
  return result.realm !== undefined ? { realm: result.realm } : { context };
}

/** Time kept back from the deadline when reading chunks, so the call still ends before it. */
const CHUNK_MARGIN_MS = 250;

/**
 * Reads the rest of a result the page kept because it was longer than one chunk, one bounded command per chunk,
 * and releases it in the page. When the deadline comes first, the result keeps only its shape and preview
 * (`tooSlow`): no error, and the BiDi connection is never held by one long message.
 */
async function readRest(
  bidi: BidiConnection,
  target: ScriptTarget,
  outcome: EvaluationOutcome,
  deadline: number,
  limits: SerializerLimits,
): Promise<EvaluationOutcome> {
  if (!outcome.ok) return outcome;
  const { header, json } = outcome.result;
  const id = header.pending;
  if (id === undefined || json === undefined) return outcome;
  const parts = [json];
  let read = json.length;
  let complete = false;
  try {
    while (read < header.jsonLength) {
      const left = deadline - CHUNK_MARGIN_MS - Date.now();
      if (left <= 0) break;
      const chunk = await bidi.send<EvaluateResult>(
        'script.callFunction',
        {
          target,
          functionDeclaration: CHUNK_READER,
          arguments: [
            { type: 'string', value: id },
            { type: 'number', value: read },
            { type: 'number', value: read + limits.chunkLength },
          ],
          awaitPromise: false,
          resultOwnership: 'none',
        },
        left,
      );
      const text = chunk.result?.type === 'string' && typeof chunk.result.value === 'string' ? chunk.result.value : undefined;
      if (text === undefined || text.length === 0) break;
      parts.push(text);
      read += text.length;
    }
    complete = read === header.jsonLength;
  } catch (error) {
    if (!(error instanceof BidiCommandError) || error.bidiError !== 'timeout') throw error;
  } finally {
    void bidi
      .send(
        'script.callFunction',
        {
          target,
          functionDeclaration: CHUNK_RELEASER,
          arguments: [{ type: 'string', value: id }],
          awaitPromise: false,
          resultOwnership: 'none',
        },
        5_000,
      )
      .catch(() => undefined);
  }
  const { pending: _pending, ...rest } = header;
  if (complete) return { ok: true, result: { header: rest, json: parts.join('') } };
  return { ok: true, result: { header: { ...rest, tooSlow: true } } };
}

async function runStatements(
  bidi: BidiConnection,
  context: string,
  source: string,
  awaitPromise: boolean,
  deadline: number,
  limits: SerializerLimits,
): Promise<EvaluationOutcome> {
  const left = (): number => Math.max(1, deadline - Date.now());
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
  const target = targetOf(result, context);
  try {
    const serialized = await bidi.send<EvaluateResult>(
      'script.callFunction',
      { target, functionDeclaration: handleSerializer(limits), arguments: [{ handle }], awaitPromise: false, resultOwnership: 'none' },
      left(),
    );
    if (serialized.type !== 'success') return { ok: false, exception: exceptionText(serialized, false) };
    return await readRest(bidi, target, fromEnvelope(serialized.result, limits), deadline, limits);
  } finally {
    void bidi.send('script.disown', { handles: [handle], target }, 5_000).catch(() => undefined);
  }
}
