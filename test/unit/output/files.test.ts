/** Output files: the path policy, atomic writes, and disk errors explained. */
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OutputWriteError, resolveInside, writeOutputFile } from '../../../src/output/files.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) {
    chmodSync(dir, 0o700);
    rmSync(dir, { recursive: true, force: true });
  }
});
function outputDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bidiscope-unit-files-'));
  dirs.push(dir);
  return dir;
}

test('relative paths resolve inside the output directory', () => {
  assert.equal(resolveInside('/out', 'har/a.har'), '/out/har/a.har');
  assert.equal(resolveInside('/out', './x/../y.json'), '/out/y.json');
  assert.equal(resolveInside('/out', '/out/inside.har'), '/out/inside.har');
  assert.equal(resolveInside('/out', '..data/file'), '/out/..data/file', 'a name starting with two dots is not a parent');
  assert.equal(resolveInside('/out', 'a\\b.har'), '/out/a\\b.har', 'a backslash that stays inside is kept');
});

test('paths that leave the output directory are refused, absolute ones unless allowed', () => {
  for (const path of ['../a.har', 'har/../../a.har', '/etc/passwd', '/out-other/a.har', '.', '', '..\\..\\x', 'a/..\\..\\x']) {
    assert.throws(
      () => resolveInside('/out', path),
      (error: unknown) => {
        assert.ok(error instanceof OutputWriteError);
        assert.equal(
          error.message,
          `Path "${path}" is outside the output directory /out; give a path inside it (relative paths are resolved there).`,
        );
        return true;
      },
      path,
    );
  }
  assert.equal(resolveInside('/out', '/tmp/x.har', true), '/tmp/x.har');
  assert.throws(() => resolveInside('/out', '../x.har', true), OutputWriteError, 'allowAbsolute does not open relative escapes');
});

test('a write creates parents and leaves only the finished file', async () => {
  const dir = outputDir();
  const path = await writeOutputFile(dir, 'a/b/c.txt', 'hello');
  assert.equal(path, join(dir, 'a', 'b', 'c.txt'));
  assert.equal(readFileSync(path, 'utf8'), 'hello');
  await writeOutputFile(dir, 'a/b/c.txt', new Uint8Array([1, 2, 3]));
  assert.deepEqual([...readFileSync(path)], [1, 2, 3]);
  assert.deepEqual(readdirSync(join(dir, 'a', 'b')), ['c.txt']);
});

test('a parent that is a file is explained', async () => {
  const dir = outputDir();
  writeFileSync(join(dir, 'network-bodies'), 'not a directory');
  await assert.rejects(writeOutputFile(dir, 'network-bodies/1.json', '{}'), {
    message: `Could not write ${join(dir, 'network-bodies', '1.json')}: a parent of the path is a file, not a directory. Nothing was saved there; free space or choose another --output-dir.`,
  });
  await assert.rejects(writeOutputFile(dir, 'network-bodies/deeper/1.json', '{}'), /: a parent of the path is a file, not a directory\./);
});

test('a directory without write permission is explained and keeps no partial file', {
  skip: process.getuid?.() === 0 ? 'root ignores permissions' : false,
}, async () => {
  const dir = outputDir();
  chmodSync(dir, 0o500);
  await assert.rejects(
    writeOutputFile(dir, 'x.json', '{}'),
    new RegExp(`^OutputWriteError: Could not write ${join(dir, 'x.json')}: permission denied\\.`),
  );
  chmodSync(dir, 0o700);
  assert.deepEqual(readdirSync(dir), []);
});
