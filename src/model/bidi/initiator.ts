/**
 * Request initiator: `network.Initiator` (https://w3c.github.io/webdriver-bidi/#type-network-Initiator) merged with
 * Chromium's `goog:resourceInitiator`. Line and column numbers are passed through as the browser reports them
 * (Chromium: 0-based, from the top stack frame or the parser position).
 */
import type { BidiDialect, BidiInitiator } from './types.js';
import type { NetworkEntry } from '../types.js';

type EntryInitiator = NonNullable<NetworkEntry['initiator']>;

/** Result of {@link initiatorFromBidi}. */
export interface ConvertedInitiator {
  initiator: EntryInitiator;
  note: string;
}

/**
 * The entry initiator from the spec `initiator` and/or Chromium's `goog:resourceInitiator`. Location comes from
 * the top stack frame (script) or the parser position (parser). Undefined when neither is present.
 */
export function initiatorFromBidi(
  standard: BidiInitiator | undefined,
  vendor: BidiInitiator | undefined,
  dialect: BidiDialect,
): ConvertedInitiator | undefined {
  if (standard === undefined && vendor === undefined) return undefined;
  const type = vendor?.type ?? standard?.type ?? 'other';
  const topFrame = vendor?.callFrames[0] ?? standard?.callFrames[0];
  const initiator: EntryInitiator = { type };
  const url = topFrame?.url || vendor?.url || standard?.url;
  const lineNumber = topFrame?.lineNumber ?? vendor?.lineNumber ?? standard?.lineNumber;
  const columnNumber = topFrame?.columnNumber ?? vendor?.columnNumber ?? standard?.columnNumber;
  if (url) initiator.url = url;
  if (lineNumber !== undefined) initiator.lineNumber = lineNumber;
  if (columnNumber !== undefined) initiator.columnNumber = columnNumber;

  const detailed = initiator.url !== undefined || initiator.lineNumber !== undefined;
  let note: string;
  if (dialect === 'firefox' && !detailed) note = 'Firefox sends no initiator details (always {type: "other"})';
  else if (vendor !== undefined) note = 'BiDi network.beforeRequestSent initiator + goog:resourceInitiator';
  else note = 'BiDi network.beforeRequestSent initiator';
  return { initiator, note };
}
