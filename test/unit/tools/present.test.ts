/** The redaction gate's cache of redacted copies: a copy is served only while its entry is unchanged. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NetworkLog } from '../../../src/model/network-log.js';
import type { NetworkEntry } from '../../../src/model/types.js';
import type { BrowserSession } from '../../../src/sessions/browser-session.js';
import { withoutBodyData } from '../../../src/tools/capture-data.js';
import { redactedForSession } from '../../../src/tools/present.js';
import { hopParams } from '../model/bidi-events.js';

const redacting = { exposeSensitiveNetworkData: false } as BrowserSession;

function finishedEntry(log: NetworkLog): NetworkEntry {
  const hop = { id: 'r1', url: 'http://h/api?token=t0ps3cret', status: 200, mimeType: 'application/json' };
  log.ingest('network.beforeRequestSent', hopParams(hop));
  log.ingest('network.responseStarted', hopParams(hop));
  const entry = log.ingest('network.responseCompleted', hopParams(hop)).entry;
  assert.ok(entry);
  return entry;
}

test('an unchanged entry is redacted once; its copy is served again', () => {
  const entry = finishedEntry(new NetworkLog());
  const first = redactedForSession(redacting, entry);
  assert.doesNotMatch(first.url, /t0ps3cret/);
  assert.equal(redactedForSession(redacting, entry), first);
});

test('a copy made before markShaped is not served after it', () => {
  const log = new NetworkLog();
  const entry = finishedEntry(log);
  const before = redactedForSession(redacting, entry);
  assert.equal(before.shapedBy, undefined);
  assert.equal(log.markShaped('r1:0', 'rule r1: respond 200'), true);
  assert.equal(redactedForSession(redacting, entry).shapedBy, 'rule r1: respond 200');
  assert.equal(log.markShaped('gone:0', 'rule r1: respond 200'), false);
});

test('a copy made before setBody is not served after it, even when the body state stays the same', () => {
  const log = new NetworkLog();
  const entry = finishedEntry(log);
  log.setBody(entry, 'response', { state: 'available', encoding: 'text', data: '{"a":1}', size: 7 });
  assert.equal(redactedForSession(redacting, entry).response?.body?.data, '{"a":1}');
  log.setBody(entry, 'response', { state: 'available', encoding: 'text', data: '{"a":2}', size: 7 });
  assert.equal(redactedForSession(redacting, entry).response?.body?.data, '{"a":2}');
});

test('every change an event makes is a new revision', () => {
  const log = new NetworkLog();
  const hop = { id: 'r2', url: 'http://h/x', status: 200 };
  const entry = log.ingest('network.beforeRequestSent', hopParams(hop)).entry;
  const revisions = [entry?.revision];
  log.ingest('network.responseStarted', hopParams(hop));
  revisions.push(entry?.revision);
  log.ingest('network.responseCompleted', hopParams(hop));
  revisions.push(entry?.revision);
  assert.ok(
    revisions.every((revision, at) => revision !== undefined && (at === 0 || revision > (revisions[at - 1] ?? 0))),
    String(revisions),
  );
});

test("stop data's one-off copies without body bytes carry no revision, so they are redacted and not cached", () => {
  const entry = finishedEntry(new NetworkLog());
  assert.ok(entry.revision !== undefined);
  const copy = withoutBodyData(entry);
  assert.equal(copy.revision, undefined);
  const first = redactedForSession(redacting, copy);
  assert.doesNotMatch(first.url, /t0ps3cret/);
  assert.notEqual(redactedForSession(redacting, copy), first, 'made again: nothing was cached for it');
});
