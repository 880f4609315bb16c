/**
 * Loads the recorded BiDi event streams. The repo keeps its own copy in `test/fixtures/bidi/` (self-contained);
 * the shared originals beside the repo (`../shared/fixtures/bidi/`) are the fallback.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { RecordedBidiEvent } from '../../../src/model/normalize.js';

export type FixtureName = 'chromium-156-index-page' | 'firefox-153-index-page';

const FIXTURE_DIRECTORIES = [
  new URL('../../fixtures/bidi/', import.meta.url),
  new URL('../../../../shared/fixtures/bidi/', import.meta.url),
];

/** The recorded events of one fixture, as `{t, name, p}` objects. */
export function loadFixtureEvents(name: FixtureName): RecordedBidiEvent[] {
  for (const directory of FIXTURE_DIRECTORIES) {
    const path = fileURLToPath(new URL(`${name}.events.json`, directory));
    if (existsSync(path)) return JSON.parse(readFileSync(path, 'utf8')) as RecordedBidiEvent[];
  }
  throw new Error(`fixture ${name}.events.json not found in test/fixtures/bidi/ or ../shared/fixtures/bidi/`);
}

/** Path and query of an entry URL (`/api/xhr?q=1`), the part that is the same in both recordings. */
export function pathOf(url: string): string {
  const parsed = new URL(url);
  return parsed.pathname + parsed.search;
}
