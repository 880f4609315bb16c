/**
 * A script's result as the page serializer reports it ({@link PAGE_SERIALIZER}): a small header (kind, size, a
 * bounded preview, counts of values JSON cannot hold) and, when it fit the limit, the full JSON text. Pure.
 */
import { remoteValueToJson, type JsonValue } from './remote-value.js';

/** What the page said about the value. */
export interface ScriptResultHeader {
  /** `array`, `object`, `string`, `number`, `boolean`, `null`, `undefined`, `bigint`, `function`, `Map`, `Set`, `DOM node`, … */
  kind: string;
  /** Items of an array/Map/Set, keys of an object, characters of a string. */
  size?: number;
  /** Characters of the full JSON; -1 when it was not produced. */
  jsonLength: number;
  /** The JSON would have been longer than the limit: only the preview and the shape came back. */
  tooBig?: boolean;
  /** Why the value could not be serialized (e.g. a getter threw). */
  error?: string;
  /** A bounded copy of the value. */
  preview: JsonValue;
  /** Top-level items or keys the preview shows. */
  shown?: number;
  /** How many values of each kind JSON cannot hold were described instead (e.g. `{"function": 2}`). */
  notes: Record<string, number>;
  /** The JSON is longer than one chunk: the rest waits in the page under this id. */
  pending?: string;
  /** The JSON could not be read from the page before the deadline: only the shape and the preview are here. */
  tooSlow?: boolean;
}

/** A serialized result: header, plus the full JSON text when it was produced. */
export interface ScriptResult {
  header: ScriptResultHeader;
  json?: string;
}

/** The page's answer: a result, or what the user's code threw. */
export type ParsedEnvelope = { ok: true; result: ScriptResult } | { ok: false; exception: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses the serializer's envelope (`header JSON` + optional `\n` + JSON). Undefined when it is not one. */
export function parseEnvelope(text: string): ParsedEnvelope | undefined {
  const newline = text.indexOf('\n');
  let header: unknown;
  try {
    header = JSON.parse(newline === -1 ? text : text.slice(0, newline));
  } catch {
    return undefined;
  }
  if (!isRecord(header)) return undefined;
  if (typeof header.threw === 'string') return { ok: false, exception: header.threw };
  if (typeof header.kind !== 'string' || typeof header.jsonLength !== 'number') return undefined;
  const notes: Record<string, number> = {};
  if (isRecord(header.notes)) for (const [key, count] of Object.entries(header.notes)) if (typeof count === 'number') notes[key] = count;
  const parsed: ScriptResultHeader = {
    kind: header.kind,
    jsonLength: header.jsonLength,
    preview: (header.preview ?? null) as JsonValue,
    notes,
  };
  if (typeof header.size === 'number') parsed.size = header.size;
  if (header.tooBig === true) parsed.tooBig = true;
  if (typeof header.error === 'string') parsed.error = header.error;
  if (typeof header.shown === 'number') parsed.shown = header.shown;
  if (typeof header.pending === 'string') parsed.pending = header.pending;
  const result: ScriptResult = { header: parsed };
  if (newline !== -1) result.json = text.slice(newline + 1);
  return { ok: true, result };
}

const PRIMITIVE_NOTES: Record<string, string> = { undefined: 'undefined', bigint: 'BigInt' };

/**
 * A result for a value the browser sent as a BiDi remote value (a primitive, or anything when no handle came back):
 * the same shape the page serializer gives, built here. Strings are previewed up to `previewLength` characters.
 */
export function resultFromRemoteValue(remote: unknown, previewLength: number, maxJsonLength: number): ScriptResult {
  const type = typeof remote === 'object' && remote !== null && 'type' in remote ? String((remote as { type: unknown }).type) : 'undefined';
  const value = remoteValueToJson(remote);
  const notes: Record<string, number> = {};
  const note = PRIMITIVE_NOTES[type] ?? (type === 'number' && typeof value === 'string' ? 'non-finite number' : undefined);
  if (note) notes[note] = 1;
  const kind = type === 'object' ? 'object' : type;
  const header: ScriptResultHeader = { kind, jsonLength: -1, preview: value, notes };
  if (typeof value === 'string' && type === 'string') {
    header.size = value.length;
    if (value.length > previewLength) header.preview = `${value.slice(0, previewLength)}… (${value.length - previewLength} more chars)`;
  }
  const json = JSON.stringify(value);
  if (json.length > maxJsonLength) {
    header.tooBig = true;
    return { header };
  }
  header.jsonLength = json.length;
  return { header, json };
}
