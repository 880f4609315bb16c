/**
 * Builds bidiscope as one standalone executable with Bun (run with Bun: `npm run build:bin`).
 *
 *   bun scripts/build-binary.ts            → dist/bidiscope for this machine, smoke-tested with --version
 *   bun scripts/build-binary.ts --release  → also dist/release/bidiscope-<version>-<target>[.exe] + SHA256SUMS for
 *                                            linux-x64, linux-arm64, darwin-arm64, darwin-x64, windows-x64
 *
 * Cross targets are built offline from the runtime inside `@oven/bun-<target>` of this very Bun version (fetched once
 * with `npm pack`). The binary does not read `.env`, `bunfig.toml`, `tsconfig.json` or `package.json` from the
 * directory it runs in, and identifiers are not minified (WebdriverIO compares function names).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { VERSION } from '../src/version.js';
import { assertRequiredRewritesRan, findComputedImports, REWRITES, rewritePlugin } from './binary-rewrites.js';
import { bunRuntime, formatLog, type BuildConfig, type BuildOutput, type CompileOptions } from './bun-api.js';
import { bunRuntimeFor, hostTargetName, RELEASE_TARGETS } from './bun-runtimes.js';

const ROOT = resolve(import.meta.dirname, '..');
const ENTRY = join(ROOT, 'src', 'main.ts');
const DIST = join(ROOT, 'dist');
const HOST_BINARY = join(DIST, process.platform === 'win32' ? 'bidiscope.exe' : 'bidiscope');
const RELEASE_DIR = join(DIST, 'release');
const RUNTIME_CACHE = join(DIST, '.bun-runtimes');

const bun = bunRuntime();

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function readText(path: string): Promise<string> {
  return Promise.resolve(readFileSync(path, 'utf8'));
}

/** Runs Bun.build with the rewrite plugin; throws with every build message on failure. */
async function build(
  config: Omit<BuildConfig, 'plugins' | 'entrypoints' | 'target' | 'format' | 'minify' | 'throw'>,
): Promise<{ output: BuildOutput; applied: Set<string> }> {
  const applied = new Set<string>();
  let output: BuildOutput;
  try {
    output = await bun.build({
      entrypoints: [ENTRY],
      target: 'bun',
      format: 'esm',
      minify: false,
      sourcemap: 'none',
      plugins: [rewritePlugin(applied, readText)],
      throw: false,
      ...config,
    });
  } catch (error) {
    // A plugin error (e.g. a missing anchor) may surface as a rejection rather than a log.
    throw new Error(`binary build failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  const problems = output.logs.filter((log) => log.level === 'error');
  if (!output.success || problems.length > 0) {
    throw new Error(`binary build failed:\n${output.logs.map(formatLog).join('\n')}`);
  }
  for (const log of output.logs) process.stdout.write(`  ${formatLog(log)}\n`);
  assertRequiredRewritesRan(applied);
  return { output, applied };
}

/** Bundles to memory and refuses computed imports that would fail inside the binary. */
async function checkBundle(): Promise<void> {
  const { output, applied } = await build({});
  const bundle = output.outputs.find((artifact) => artifact.kind === 'entry-point') ?? output.outputs[0];
  if (!bundle) throw new Error('binary build: the bundle produced no output');
  const code = await bundle.text();
  const computed = findComputedImports(code);
  if (computed.length > 0) {
    throw new Error(
      'binary build: the bundle still contains computed import()/require() calls, which fail inside a compiled binary:\n' +
        computed.map((line) => `  ${line}`).join('\n') +
        '\n  Add an anchored rewrite for each in scripts/binary-rewrites.ts.',
    );
  }
  for (const rule of REWRITES) {
    process.stdout.write(`  rewrite ${applied.has(rule.id) ? 'applied' : 'not needed (file not in the bundle)'}: ${rule.id}\n`);
  }
  process.stdout.write(`  bundle: ${(code.length / 1024).toFixed(0)} KiB of JavaScript, no computed imports left\n`);
}

/** Compiles one executable. */
async function compile(outfile: string, target?: string, executablePath?: string): Promise<void> {
  const options: CompileOptions = {
    outfile,
    autoloadDotenv: false,
    autoloadBunfig: false,
    autoloadTsconfig: false,
    autoloadPackageJson: false,
  };
  if (target !== undefined) options.target = target;
  if (executablePath !== undefined) options.executablePath = executablePath;
  rmSync(outfile, { force: true });
  await build({ compile: options, bytecode: true, outdir: DIST });
  statSync(outfile); // throws if Bun wrote it elsewhere
}

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

async function buildRelease(): Promise<void> {
  rmSync(RELEASE_DIR, { recursive: true, force: true });
  mkdirSync(RELEASE_DIR, { recursive: true });
  const host = hostTargetName();
  const sums: string[] = [];
  for (const target of RELEASE_TARGETS) {
    const outfile = join(RELEASE_DIR, `bidiscope-${VERSION}-${target.name}${target.suffix}`);
    const started = Date.now();
    // The host target uses the Bun that is building (same version); the others use the runtime from npm.
    const executablePath = target.name === host ? undefined : bunRuntimeFor(target, bun.version, RUNTIME_CACHE);
    await compile(outfile, target.bunTarget, executablePath);
    const size = statSync(outfile).size;
    sums.push(`${sha256(outfile)}  ${basename(outfile)}`);
    const note = target.name === host ? 'runs on this machine' : 'built, not run here';
    process.stdout.write(`  ${basename(outfile)}  ${mib(size)}  (${((Date.now() - started) / 1000).toFixed(1)} s; ${note})\n`);
  }
  writeFileSync(join(RELEASE_DIR, 'SHA256SUMS'), `${sums.join('\n')}\n`);
  process.stdout.write(`  ${join(RELEASE_DIR, 'SHA256SUMS')} written (verify with: sha256sum -c SHA256SUMS)\n`);
  process.stdout.write(`  Only the ${host} binary can be run on this machine; the other targets are built but not run-verified here.\n`);
}

async function main(): Promise<void> {
  const release = process.argv.includes('--release');
  const unknown = process.argv.slice(2).filter((arg) => arg !== '--release');
  if (unknown.length > 0) throw new Error(`unknown argument(s): ${unknown.join(' ')} (only --release is accepted)`);
  process.stdout.write(`bidiscope ${VERSION}: building with Bun ${bun.version}\n`);
  mkdirSync(DIST, { recursive: true });
  await checkBundle();

  const started = Date.now();
  await compile(HOST_BINARY);
  const version = execFileSync(HOST_BINARY, ['--version'], { encoding: 'utf8', cwd: DIST, env: {} }).trim();
  if (!version.includes(`bidiscope ${VERSION}`) || !version.includes('bun '))
    throw new Error(`the built binary answered --version with "${version}"`);
  process.stdout.write(
    `  ${HOST_BINARY}: ${mib(statSync(HOST_BINARY).size)} (${((Date.now() - started) / 1000).toFixed(1)} s) — ${version}\n`,
  );

  if (release) await buildRelease();
}

main().catch((error: unknown) => {
  process.stderr.write(`\n${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
