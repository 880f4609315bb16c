import assert from 'node:assert/strict';
import { test } from 'node:test';
import { redactKnownValues, stringLeaves } from '../../../src/redact/index.js';

test('string leaves of capabilities at any depth, longest first, short ones skipped', () => {
  assert.deepEqual(
    stringLeaves({ 'se:name': 'nightly', 'acme:options': { accessKey: 'k3y-123456', flags: ['verbose', 'x'] }, n: 5, b: true }),
    ['k3y-123456', 'nightly', 'verbose'],
  );
});

test('known values are hidden in plain, JSON-escaped and URL-encoded form', () => {
  const secret = 'p"a ss/wörd';
  const text = `raw ${secret} json ${JSON.stringify({ k: secret })} url ?k=${encodeURIComponent(secret)}`;
  const hidden = redactKnownValues(text, [secret]);
  assert.equal(hidden, 'raw <redacted> json {"k":"<redacted>"} url ?k=<redacted>');
  assert.equal(redactKnownValues('a dev b', ['dev']), 'a dev b', 'values shorter than 4 characters are left alone');
});
