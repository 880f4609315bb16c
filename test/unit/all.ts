/**
 * Runs every unit test file in this one process: one start-up of Node and tsx instead of one per file, which is
 * most of the unit suite's CPU time. Each file runs as its own suite, so its top-level hooks stay its own.
 * `npm run test:unit` uses it; `node --test` on single files works as before.
 */
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe } from 'node:test';

function testFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true })
    .flatMap((item) => {
      const path = join(directory, item.name);
      if (item.isDirectory()) return testFiles(path);
      return item.name.endsWith('.test.ts') ? [path] : [];
    })
    .sort();
}

const root = import.meta.dirname;
for (const file of testFiles(root)) {
  await describe(relative(root, file), async () => {
    await import(pathToFileURL(file).href);
  });
}
