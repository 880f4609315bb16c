import assert from 'node:assert/strict';
import { test } from 'node:test';
import { base64ToBytes, bytesToBase64, decodeLatin1 } from '../../../src/lib/bytes.js';

test('base64 and Latin-1 conversions agree with Buffer across chunk boundaries', () => {
  for (const length of [0, 1, 2, 3, 0x6000 - 1, 0x6000, 0x6000 + 1, 3 * 0x6000 + 2, 1_000_003]) {
    const bytes = new Uint8Array(length);
    for (let i = 0; i < length; i++) bytes[i] = (i * 131 + (i >> 7)) & 0xff;
    const base64 = bytesToBase64(bytes);
    assert.equal(base64, Buffer.from(bytes).toString('base64'), `length ${length}`);
    assert.deepEqual(base64ToBytes(base64), bytes);
    assert.equal(decodeLatin1(bytes), Buffer.from(bytes).toString('latin1'));
  }
});
