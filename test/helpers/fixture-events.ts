/** Loads the recorded BiDi event streams kept in the repo (`test/fixtures/bidi/`, see its README). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { RecordedBidiEvent } from './normalize-events.js';

export type FixtureName = 'chromium-156-index-page' | 'firefox-153-index-page';

const FIXTURE_DIRECTORY = new URL('../fixtures/bidi/', import.meta.url);

/** The recorded events of one fixture, as `{t, name, p}` objects. */
export function loadFixtureEvents(name: FixtureName): RecordedBidiEvent[] {
  const path = fileURLToPath(new URL(`${name}.events.json`, FIXTURE_DIRECTORY));
  return JSON.parse(readFileSync(path, 'utf8')) as RecordedBidiEvent[];
}

/** Path and query of an entry URL (`/api/xhr?q=1`), the part that is the same in both recordings. */
export function pathOf(url: string): string {
  const parsed = new URL(url);
  return parsed.pathname + parsed.search;
}
