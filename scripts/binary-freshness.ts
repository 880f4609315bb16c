/**
 * Builds `dist/bidiscope` only when it is older than what it is built from; shared by the e2e binary test and the
 * start-up benchmark (both run under Node and call Bun as a child process).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');

/** Where `npm run build:bin` writes the binary for this machine. */
export const BINARY_PATH = join(ROOT, 'dist', process.platform === 'win32' ? 'bidiscope.exe' : 'bidiscope');

/** The pinned Bun from node_modules. */
export const BUN_PATH = join(ROOT, 'node_modules', '.bin', 'bun');

const BUILD_SCRIPTS = ['build-binary.ts', 'binary-rewrites.ts', 'bun-api.ts', 'bun-runtimes.ts'].map((name) => join(ROOT, 'scripts', name));

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

/** Newest modification time of everything the binary is built from (src/, package-lock.json, the build scripts). */
export function newestBinaryInput(): number {
  const inputs = [join(ROOT, 'src'), join(ROOT, 'package-lock.json'), ...BUILD_SCRIPTS];
  return Math.max(...inputs.filter((path) => existsSync(path)).map(newestMtime));
}

/** Builds the binary with `bun scripts/build-binary.ts` unless it is newer than every input; says whether it built. */
export function ensureBinary(): { built: boolean; ms: number; output: string } {
  if (existsSync(BINARY_PATH) && statSync(BINARY_PATH).mtimeMs > newestBinaryInput()) return { built: false, ms: 0, output: '' };
  const started = Date.now();
  const result = spawnSync(BUN_PATH, [join(ROOT, 'scripts', 'build-binary.ts')], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.status !== 0) throw new Error(`building the binary failed (exit ${String(result.status)}):\n${output}`);
  return { built: true, ms: Date.now() - started, output };
}
