/** add_network_rule's input checks that need no browser. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateInput } from '../../../src/mcp/validate.js';
import { ruleTools } from '../../../src/tools/rule-tools.js';

const addRule = ruleTools.find((tool) => tool.name === 'add_network_rule');

function respondWith(bodyBase64: string): ReturnType<typeof validateInput> {
  assert.ok(addRule);
  const input = { sessionId: 'chrome-1', urlFilter: '/bin', action: { type: 'respond', status: 200, bodyBase64 } };
  return validateInput(addRule.input, input, addRule.name);
}

test('bodyBase64 takes base64 as the browsers decode it and names the field otherwise', () => {
  for (const good of ['', 'AAEC/wonJA==', 'QUJD', 'QUI', 'QUI=']) assert.equal(respondWith(good).ok, true, good);
  for (const bad of ['Q', 'QQ=', 'QUJD\n', 'not base64!', '-_-_']) {
    const result = respondWith(bad);
    assert.equal(result.ok, false, bad);
    assert.match(result.ok ? '' : result.message, /bodyBase64/, bad);
  }
});
