/**
 * Bun runtime binaries for cross-compiling, taken from the `@oven/bun-<platform>` npm packages of the exact Bun version
 * that builds (via `npm pack`, which checks the registry's integrity hash), cached under `dist/.bun-runtimes/<version>/`.
 * Only the build fetches them; the compiled binaries never download anything.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** One release target. */
export interface ReleaseTarget {
  /** Name in the artifact, e.g. `linux-x64`. */
  name: string;
  /** `Bun.build` compile target, e.g. `bun-linux-x64`. */
  bunTarget: string;
  /** npm package holding that platform's runtime. */
  npmPackage: string;
  /** Runtime path inside the package. */
  runtimeInPackage: string;
  /** File suffix of the artifact. */
  suffix: '' | '.exe';
}

/** Every target `npm run release` builds. */
export const RELEASE_TARGETS: readonly ReleaseTarget[] = [
  { name: 'linux-x64', bunTarget: 'bun-linux-x64', npmPackage: '@oven/bun-linux-x64', runtimeInPackage: 'bin/bun', suffix: '' },
  { name: 'linux-arm64', bunTarget: 'bun-linux-arm64', npmPackage: '@oven/bun-linux-aarch64', runtimeInPackage: 'bin/bun', suffix: '' },
  { name: 'darwin-arm64', bunTarget: 'bun-darwin-arm64', npmPackage: '@oven/bun-darwin-aarch64', runtimeInPackage: 'bin/bun', suffix: '' },
  { name: 'darwin-x64', bunTarget: 'bun-darwin-x64', npmPackage: '@oven/bun-darwin-x64', runtimeInPackage: 'bin/bun', suffix: '' },
  {
    name: 'windows-x64',
    bunTarget: 'bun-windows-x64',
    npmPackage: '@oven/bun-windows-x64',
    runtimeInPackage: 'bin/bun.exe',
    suffix: '.exe',
  },
];

/** The `ReleaseTarget.name` of the machine running the build (`process.platform`-`process.arch`). */
export function hostTargetName(): string {
  return `${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch}`;
}

/**
 * Path of the Bun runtime for `target` at `version`, fetched once with `npm pack` into `cacheDir`. Throws with npm's
 * output when the registry cannot be reached.
 */
export function bunRuntimeFor(target: ReleaseTarget, version: string, cacheDir: string): string {
  const packageDir = join(cacheDir, version, target.npmPackage.replace('@oven/', ''));
  const runtime = join(packageDir, 'package', target.runtimeInPackage);
  if (existsSync(runtime)) return runtime;
  const staging = `${packageDir}.partial`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const spec = `${target.npmPackage}@${version}`;
  process.stdout.write(`  fetching ${spec} with npm pack (once; cached in ${packageDir})\n`);
  try {
    execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['pack', spec, '--pack-destination', staging, '--silent'], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  } catch (error) {
    throw new Error(`npm pack ${spec} failed (is the npm registry reachable?): ${error instanceof Error ? error.message : String(error)}`);
  }
  const tarball = readdirSync(staging).find((name) => name.endsWith('.tgz'));
  if (!tarball) throw new Error(`npm pack ${spec} produced no tarball in ${staging}`);
  execFileSync('tar', ['-xzf', tarball], { cwd: staging, stdio: 'inherit' });
  rmSync(join(staging, tarball));
  if (!existsSync(join(staging, 'package', target.runtimeInPackage))) {
    throw new Error(`${spec} has no ${target.runtimeInPackage}; the package layout changed`);
  }
  rmSync(packageDir, { recursive: true, force: true });
  renameSync(staging, packageDir);
  return runtime;
}
