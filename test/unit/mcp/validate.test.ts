/** Input validation messages: each names the field and says what is wrong. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as v from 'valibot';
import { validateInput } from '../../../src/mcp/validate.js';

const schema = v.strictObject({
  url: v.string('a URL string'),
  nested: v.optional(v.strictObject({ width: v.number() })),
  wait: v.optional(v.string()),
});

test('a missing required argument is named as missing, not as unknown', () => {
  assert.deepEqual(validateInput(schema, {}, 'navigate'), { ok: false, message: 'Missing "url" for navigate: it is required.' });
  assert.deepEqual(validateInput(schema, { url: 'a', nested: {} }, 'navigate'), {
    ok: false,
    message: 'Missing "nested.width" for navigate: it is required.',
  });
});

test('an unknown argument is named with the allowed ones', () => {
  assert.deepEqual(validateInput(schema, { url: 'a', colour: 1 }, 'navigate'), {
    ok: false,
    message: 'Unknown argument "colour" for navigate. Expected only: url, nested, wait. Remove it and retry.',
  });
  assert.deepEqual(validateInput(schema, { url: 'a', nested: { width: 1, depth: 2 } }, 'navigate'), {
    ok: false,
    message: 'Unknown argument "depth" in "nested" for navigate. Remove it and retry.',
  });
});

test('several problems are listed together, at most five', () => {
  const wide = v.strictObject(Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`f${i}`, v.number()])));
  const result = validateInput(wide, Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`f${i}`, 'x'])), 't');
  assert.equal(result.ok, false);
  const lines = result.ok ? [] : result.message.split('\n');
  assert.equal(lines.length, 5);
  assert.equal(lines[0], 'Invalid "f0" for t: expected number, got "x".');
  assert.match(lines[4] ?? '', /\(2 more issues\)$/);
});

test('no arguments at all count as an empty object', () => {
  assert.deepEqual(validateInput(v.strictObject({}), undefined, 'list_sessions'), { ok: true, value: {} });
});
