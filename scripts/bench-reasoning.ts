/**
 * `npm run bench:reasoning` (also run by `npm run bench`): search_network and diff_captures over 10k-entry captures
 * built from each browser's recorded page load, with text bodies, in process (the tool handlers' own work: redaction
 * through the gate, then search or diff). Cold = every entry redacted first (a capture's first search); warm = the
 * redacted copies reused (later searches; the server keeps them per entry while the entry is unchanged).
 * Measurements, not tests. Prints a Markdown table.
 */
import { diffEntries, SEARCH_FIELDS, searchEntries } from '../src/analysis/index.js';
import { compileTextPattern } from '../src/model/url-filter.js';
import type { NetworkEntry } from '../src/model/types.js';
import { redactEntry } from '../src/redact/index.js';
import { median } from './bench/stats.js';
import { browserLog } from './bench/synthetic.js';

const ENTRIES = 10_000;
const ROUNDS = 5;

function withBodies(entries: readonly NetworkEntry[]): NetworkEntry[] {
  return entries.map((entry) => {
    if (entry.response && entry.response.body?.state !== 'available') {
      const body = JSON.stringify({
        id: entry.index,
        name: `item ${entry.index}`,
        tags: ['alpha', 'beta'],
        note: `entry ${entry.index} of the bench`,
        token: `tok-${entry.index}`,
      });
      entry.response.body = { state: 'available', encoding: 'text', data: body, size: body.length };
    }
    return entry;
  });
}

function time(run: () => unknown): number {
  const samples: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const started = performance.now();
    run();
    samples.push(performance.now() - started);
  }
  return median(samples);
}

const rows: string[] = [];
const captures: Record<string, NetworkEntry[]> = {};
for (const [name, fixture] of [
  ['Chromium 156', 'chromium-156-index-page'],
  ['Firefox 153', 'firefox-153-index-page'],
] as const) {
  const entries = withBodies(browserLog(fixture, ENTRIES).entries().slice(0, ENTRIES));
  const redacted = entries.map(redactEntry);
  captures[name] = redacted;
  const substring = compileTextPattern('item 9876"');
  const regex = compileTextPattern('/item 98[0-9]{2}"/');
  const options = { fields: SEARCH_FIELDS, maxHits: 30 };
  const cold = time(() => searchEntries(entries.map(redactEntry), substring, options));
  const warmSubstring = time(() => searchEntries(redacted, substring, options));
  const warmRegex = time(() => searchEntries(redacted, regex, options));
  rows.push(
    `| ${name} | ${entries.length.toLocaleString('en-US')} | ${Math.round(cold)} ms | ${Math.round(warmSubstring)} ms | ${Math.round(warmRegex)} ms |`,
  );
}
const [chrome, firefox] = [captures['Chromium 156'] ?? [], captures['Firefox 153'] ?? []];
const diffMs = time(() => diffEntries(chrome, firefox));
process.stdout.write(
  `${[
    '| capture | entries | search, substring, cold (incl. redaction) | search, substring, warm (target ≤ 200 ms) | search, regex, warm (target ≤ 1 s) |',
    '|---|---|---|---|---|',
    ...rows,
    '',
    `diff_captures of the Chromium and the Firefox capture (10k entries each): ${Math.round(diffMs)} ms (target ≤ 500 ms); medians of ${ROUNDS}.`,
  ].join('\n')}\n`,
);
