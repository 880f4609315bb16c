/** A captured entry that a rule or a replay acted on says so: list line, details, HAR `_bidiscope`, redacted copies. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDetails, formatListLine } from '../../../src/format/index.js';
import { buildHar } from '../../../src/har/index.js';
import { redactEntry } from '../../../src/redact/index.js';
import { sampleEntries } from '../helpers/sample-entries.js';

test('shapedBy shows in the list line, details and HAR, and survives redaction', () => {
  const [entry, plain] = sampleEntries();
  assert.ok(entry && plain);
  entry.shapedBy = 'rule r1: respond 503';
  assert.match(formatListLine(entry), / \(rule r1: respond 503\)$/);
  assert.ok(!formatListLine(plain).includes('('), 'an entry nothing acted on has no marker');
  assert.match(formatDetails(entry).text, /\nShaped: rule r1: respond 503\n/);
  const redacted = redactEntry(entry);
  assert.equal(redacted.shapedBy, 'rule r1: respond 503');
  const har = buildHar([redacted, plain], { creatorVersion: '0', browser: { name: 'firefox', version: '1' }, includeBodies: true });
  const shaped = har.log.entries.filter((item) => item._bidiscope !== undefined);
  assert.deepEqual(
    shaped.map((item) => item._bidiscope),
    [{ shapedBy: 'rule r1: respond 503' }],
  );
});
