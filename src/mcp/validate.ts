import * as v from 'valibot';

function pathOf(issue: v.BaseIssue<unknown>): string {
  const keys = (issue.path ?? []).map((item) => String(item.key));
  return keys.length === 0 ? '' : keys.join('.');
}

function describeReceived(value: unknown): string {
  if (typeof value === 'string') return value.length > 60 ? `a string of ${value.length} characters` : JSON.stringify(value);
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

function objectKeys(schema: v.GenericSchema): string[] {
  const entries = (schema as { entries?: Record<string, unknown> }).entries;
  return entries ? Object.keys(entries) : [];
}

/** Turns one valibot issue into a sentence that names the field and what was expected. */
function describeIssue(issue: v.BaseIssue<unknown>, toolName: string, schema: v.GenericSchema): string {
  const field = pathOf(issue);
  // valibot reports a missing required key as an object issue that expects the key (an unknown key expects never).
  if (
    (issue.type === 'strict_object' || issue.type === 'object') &&
    field !== '' &&
    issue.expected !== 'never' &&
    issue.input === undefined
  ) {
    return `Missing "${field}" for ${toolName}: it is required.`;
  }
  if (issue.type === 'strict_object' && field !== '') {
    const parentPath = field.split('.').slice(0, -1);
    const expected = parentPath.length === 0 ? objectKeys(schema) : [];
    const unknownKey = field.split('.').at(-1) ?? field;
    const where = parentPath.length === 0 ? '' : ` in "${parentPath.join('.')}"`;
    const allowed = expected.length > 0 ? ` Expected only: ${expected.join(', ')}.` : '';
    return `Unknown argument "${unknownKey}"${where} for ${toolName}.${allowed} Remove it and retry.`;
  }
  const fieldText = field === '' ? 'arguments' : `"${field}"`;
  const custom = issue.message && !issue.message.startsWith('Invalid ') ? issue.message : undefined;
  const expected = issue.expected ? `expected ${issue.expected}` : 'invalid value';
  return `Invalid ${fieldText} for ${toolName}: ${custom ?? expected}, got ${describeReceived(issue.input)}.`;
}

/** Validates tool input; returns the parsed value or an error sentence naming every bad field. */
export function validateInput(
  schema: v.GenericSchema,
  input: unknown,
  toolName: string,
): { ok: true; value: unknown } | { ok: false; message: string } {
  const result = v.safeParse(schema, input ?? {}, { abortEarly: false });
  if (result.success) return { ok: true, value: result.output };
  const lines = result.issues.slice(0, 5).map((issue) => describeIssue(issue, toolName, schema));
  const more = result.issues.length > 5 ? ` (${result.issues.length - 5} more issues)` : '';
  return { ok: false, message: lines.join('\n') + more };
}
