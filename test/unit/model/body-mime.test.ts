/** One answer to "what MIME type does this body have", shared by every reader of a body. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bodyMimeType } from '../../../src/model/body-kind.js';
import type { NetworkEntry } from '../../../src/model/types.js';
import { savedBodyFile } from '../../../src/format/saved-body.js';
import { searchEntries } from '../../../src/analysis/search.js';
import { compileTextPattern } from '../../../src/model/url-filter.js';

function entry(response: Partial<NonNullable<NetworkEntry['response']>> | undefined): NetworkEntry {
  return {
    index: 3,
    id: 'r:0',
    requestId: 'r',
    redirectCount: 0,
    method: 'POST',
    url: 'http://h/api/data',
    resourceType: 'fetch',
    startedAt: 0,
    state: 'complete',
    request: { headers: [{ name: 'Content-Type', value: 'application/x-www-form-urlencoded' }], cookies: [] },
    ...(response ? { response: { status: 200, statusText: 'OK', headers: [], ...response } } : {}),
    timings: {},
    source: {},
  };
}

test('a request body has the type its Content-Type header says', () => {
  assert.equal(bodyMimeType(entry(undefined), 'request'), 'application/x-www-form-urlencoded');
  const none = entry(undefined);
  none.request.headers = [];
  assert.equal(bodyMimeType(none, 'request'), undefined);
});

test("a response body has the browser's type, else its Content-Type header, else none", () => {
  const headers = [{ name: 'content-type', value: 'application/json' }];
  assert.equal(bodyMimeType(entry({ mimeType: 'text/html', headers }), 'response'), 'text/html');
  assert.equal(bodyMimeType(entry({ headers }), 'response'), 'application/json');
  assert.equal(bodyMimeType(entry({}), 'response'), undefined);
  assert.equal(bodyMimeType(entry(undefined), 'response'), undefined);
});

test('saving and searching read a response typed only by its header the same way (here: binary)', () => {
  // Valid UTF-8 bytes, but the header says PNG: without the header both would call them text.
  const typedByHeader = entry({
    headers: [{ name: 'Content-Type', value: 'image/png' }],
    body: { state: 'available', encoding: 'base64', data: Buffer.from('needle').toString('base64'), size: 6 },
  });
  const saved = savedBodyFile(typedByHeader, 'response');
  assert.equal(saved?.fileName, '3-response-api_data.png');
  assert.ok(saved?.content instanceof Uint8Array);
  const found = searchEntries([typedByHeader], compileTextPattern('needle'), { fields: ['responseBody'], maxHits: 10 });
  assert.equal(found.hits.length, 0);
  assert.equal(found.notSearched.binary, 1);
});
