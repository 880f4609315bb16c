import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mimeKind } from '../../../src/format/index.js';
import { mimeEssence, mimeVerdict, namesNoType } from '../../../src/model/body-kind.js';

/** Types that name no type at all, as browsers and servers send them. */
const UNNAMED = ['', ' ', 'application/x-unknown-content-type', 'Application/Unknown; charset=x', 'unknown/unknown', '*/*'];

test('a type that names no type gives no kind word, and its body is judged by its bytes', () => {
  for (const mime of UNNAMED) {
    assert.equal(namesNoType(mimeEssence(mime)), true, mime);
    assert.equal(mimeKind(mime), undefined, mime);
    assert.equal(mimeVerdict(mime), 'generic', mime);
  }
  assert.equal(mimeKind(undefined), undefined);
});

test('a type that says only "bytes" is a kind word (bin), and its body is still judged by its bytes', () => {
  for (const mime of ['application/octet-stream', 'binary/octet-stream']) {
    assert.equal(namesNoType(mimeEssence(mime)), false, mime);
    assert.equal(mimeKind(mime), 'bin', mime);
    assert.equal(mimeVerdict(mime), 'generic', mime);
  }
});

test('kind words for named types, parameters and case ignored', () => {
  assert.equal(mimeKind('Application/JSON; charset=utf-8'), 'json');
  assert.equal(mimeKind('text/event-stream'), 'sse');
  assert.equal(mimeKind('image/png'), 'png');
  assert.equal(mimeKind('application/x-protobuf'), 'x-protobuf');
  assert.equal(mimeKind('application/vnd.very-long-subtype'), 'vnd.very-lon');
});
