import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  base64DecodedLength,
  base64ToBytes,
  bytesToBase64,
  decodeLatin1,
  encodeUtf8,
  isBase64,
  utf8ByteLength,
} from '../../../src/lib/bytes.js';

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

test('isBase64 accepts exactly the whitespace-free strings atob decodes', () => {
  const accepts = (text: string): boolean => {
    try {
      atob(text);
      return true;
    } catch {
      return false;
    }
  };
  const alphabet = ['A', 'z', '0', '+', '/', '=', '-', '_', 'é'];
  const strings = [''];
  for (let length = 1; length <= 5; length++) {
    for (let n = 0; n < alphabet.length ** Math.min(length, 3); n++) {
      let text = 'QUJD'.slice(0, Math.max(0, length - 3));
      for (let k = n, i = 0; i < Math.min(length, 3); i++, k = Math.floor(k / alphabet.length)) text += alphabet[k % alphabet.length];
      strings.push(text);
    }
  }
  for (const text of strings) assert.equal(isBase64(text), accepts(text), JSON.stringify(text));
  assert.equal(isBase64('AAEC/wonJA=='), true, "Chromium's base64 of a binary request body");
  assert.equal(isBase64('QQ='), false, 'padding that does not complete a group of 4');
  assert.equal(isBase64('QUJD\n'), false, 'whitespace is not part of base64 as written');
});

test('base64DecodedLength: the decoded size, whitespace ignored; undefined for what is not base64', () => {
  for (const length of [0, 1, 2, 3, 4, 100]) {
    const base64 = Buffer.from(new Uint8Array(length).fill(7)).toString('base64');
    assert.equal(base64DecodedLength(base64), length, base64);
    assert.equal(base64DecodedLength(base64.replace(/=+$/, '')), length, `${base64} unpadded`);
  }
  assert.equal(base64DecodedLength('QUJD\nREVG'), 6);
  assert.equal(base64DecodedLength('Q'), undefined);
  assert.equal(base64DecodedLength('QQ='), undefined);
  assert.equal(base64DecodedLength('not base64!'), undefined);
});

test('utf8ByteLength agrees with the UTF-8 encoding, lone surrogates counted as U+FFFD', () => {
  for (const text of ['', 'abc', 'é', '€', '😀', 'a\uD800b', '\uDC00', `${'x'.repeat(1000)}😀é`]) {
    assert.equal(utf8ByteLength(text), encodeUtf8(text).length, JSON.stringify(text));
    assert.equal(utf8ByteLength(text), Buffer.byteLength(text, 'utf8'), JSON.stringify(text));
  }
});
