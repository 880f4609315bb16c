import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ScriptResult } from '../../../src/browser/script-result.js';
import { formatScriptResult, INLINE_JSON_LIMIT, SCRIPT_TEXT_LIMIT, shapeText } from '../../../src/tools/script-output.js';

test('small results are shown whole, with what was described', () => {
  const result: ScriptResult = {
    header: { kind: 'object', size: 1, jsonLength: 17, preview: {}, notes: { function: 2 } },
    json: '{"f":"[function f]"}',
  };
  assert.equal(
    formatScriptResult(result, undefined, undefined),
    '{"f":"[function f]"}\nNot representable in JSON, shown as descriptions: 2 × function.',
  );
});

test('big results give shape, size, the preview and the token', () => {
  const json = 'x'.repeat(INLINE_JSON_LIMIT + 1);
  const result: ScriptResult = {
    header: { kind: 'array', size: 200_000, jsonLength: json.length, preview: [{ i: 0 }, '… 199999 more items'], shown: 1, notes: {} },
    json,
  };
  const text = formatScriptResult(result, 5_900_000, 'cfm_0123456789abcdef');
  assert.equal(
    text,
    'array of 200,000 items, 5.6M as JSON (5,900,000 bytes); first 1 items shown:\n[{"i":0},"… 199999 more items"]\n' +
      'Full value not shown. To save it as a JSON file: confirm_output {"token":"cfm_0123456789abcdef"} (one use, expires in 10 min).',
  );
});

test('the text stays under its bound whatever the preview holds', () => {
  const huge: ScriptResult = {
    header: { kind: 'string', size: 1e6, jsonLength: -1, tooBig: true, preview: 'y'.repeat(100_000), notes: {} },
  };
  const text = formatScriptResult(huge, undefined, undefined);
  assert.ok(text.length <= SCRIPT_TEXT_LIMIT + 10);
  assert.match(text, /^string of 1,000,000 characters, too big to keep/);
});

test('shapes read naturally', () => {
  assert.equal(shapeText('object', 3), 'object with 3 keys');
  assert.equal(shapeText('Map', 2), 'Map of 2 entries');
  assert.equal(shapeText('number', undefined), 'number');
});

test('a result not read in time says so and how to get it', () => {
  const slow: ScriptResult = {
    header: { kind: 'string', size: 20_971_520, jsonLength: 20_971_522, tooSlow: true, preview: 'xx', notes: {} },
  };
  const text = formatScriptResult(slow, undefined, undefined);
  assert.match(text, /^string of 20,971,520 characters, 20M as JSON: more than could be read from the browser within timeoutMs/);
  assert.match(text, /Raise timeoutMs to save it/);
});
