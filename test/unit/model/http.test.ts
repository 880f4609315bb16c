/** HTTP facts every layer shares: which responses have no body. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { responseHasNoBody } from '../../../src/model/http.js';

test('responses without a body by RFC 9110: 1xx (101 included), 204, 205, 304; no other status', () => {
  for (const status of [100, 101, 103, 199, 204, 205, 304]) assert.equal(responseHasNoBody(status), true, String(status));
  for (const status of [200, 201, 206, 301, 302, 303, 307, 400, 404, 500]) assert.equal(responseHasNoBody(status), false, String(status));
});
