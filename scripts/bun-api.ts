/**
 * The few Bun APIs the build script uses, typed locally (no `bun-types` dependency) and reached through
 * {@link bunRuntime}, so `tsc` type-checks the script without declaring a global `Bun` for the whole project.
 * Option names checked against Bun 1.4.5 (`bun build --help` and the runtime's own validation messages).
 */

/** One file the loader hook can rewrite. */
export interface OnLoadArgs {
  path: string;
  namespace: string;
}

/** What an `onLoad` hook returns; `undefined` keeps the file as it is. */
export interface OnLoadResult {
  contents: string;
  loader: 'js' | 'ts';
}

/** The subset of `PluginBuilder` used here. */
export interface PluginBuilder {
  onLoad(
    constraints: { filter: RegExp; namespace?: string },
    callback: (args: OnLoadArgs) => Promise<OnLoadResult | undefined> | OnLoadResult | undefined,
  ): void;
}

/** A `Bun.build` plugin. */
export interface BunPlugin {
  name: string;
  setup(build: PluginBuilder): void;
}

/** `Bun.build({ compile })` options (standalone executable). */
export interface CompileOptions {
  /** e.g. `bun-linux-x64`, `bun-darwin-arm64`, `bun-windows-x64`. */
  target?: string;
  outfile: string;
  /** A Bun runtime binary of the same version for `target` (cross-compiling without a download). */
  executablePath?: string;
  autoloadDotenv?: boolean;
  autoloadBunfig?: boolean;
  autoloadTsconfig?: boolean;
  autoloadPackageJson?: boolean;
}

/** The subset of `Bun.build` options used here. */
export interface BuildConfig {
  entrypoints: string[];
  target: 'bun';
  format: 'esm';
  minify: boolean;
  bytecode?: boolean;
  sourcemap?: 'none';
  compile?: CompileOptions;
  outdir?: string;
  plugins: BunPlugin[];
  throw: false;
}

/** One output file (in memory unless `outdir`/`compile` wrote it). */
export interface BuildArtifact {
  path: string;
  kind: string;
  text(): Promise<string>;
}

/** A build message (error or warning). */
export interface BuildLog {
  level: string;
  message: string;
  position?: { file: string; line: number; column: number } | null;
}

/** What `Bun.build` resolves to. */
export interface BuildOutput {
  success: boolean;
  outputs: BuildArtifact[];
  logs: BuildLog[];
}

/** The subset of the `Bun` global used here. */
export interface BunApi {
  version: string;
  build(config: BuildConfig): Promise<BuildOutput>;
}

/** The `Bun` global; throws a clear error when the script runs under another runtime. */
export function bunRuntime(): BunApi {
  const bun = (globalThis as { Bun?: BunApi }).Bun;
  if (!bun) throw new Error('This script needs Bun: run it with `npm run build:bin` (node_modules/.bin/bun).');
  return bun;
}

/** A build log line as `file:line:col: message`. */
export function formatLog(log: BuildLog): string {
  const where = log.position ? `${log.position.file}:${log.position.line}:${log.position.column}: ` : '';
  return `${log.level}: ${where}${log.message}`;
}
