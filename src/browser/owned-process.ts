import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Everything bidiscope started and must stop: processes (killed by process group) and temp dirs. */
const liveProcesses = new Set<OwnedProcess>();
const liveTempDirs = new Set<string>();

/** A child process bidiscope owns. It runs in its own process group so its children die with it. */
export class OwnedProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  #exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  #stderrTail = '';

  constructor(
    readonly label: string,
    command: string,
    args: readonly string[],
    env: NodeJS.ProcessEnv,
  ) {
    this.child = spawn(command, args, {
      detached: process.platform !== 'win32',
      stdio: ['ignore', 'pipe', 'pipe'],
      env,
      windowsHide: true,
    });
    if (this.child.pid === undefined) {
      // spawn failed synchronously (ENOENT etc.); the 'error' event carries the reason.
      this.pid = -1;
    } else {
      this.pid = this.child.pid;
    }
    this.exited = new Promise((resolve) => {
      const finish = (code: number | null, signal: NodeJS.Signals | null): void => {
        if (this.#exitInfo) return;
        this.#exitInfo = { code, signal };
        liveProcesses.delete(this);
        resolve(this.#exitInfo);
      };
      this.child.once('exit', finish);
      this.child.once('error', () => finish(null, null));
    });
    const keepTail = (chunk: Buffer): void => {
      this.#stderrTail = (this.#stderrTail + chunk.toString('utf8')).slice(-4000);
    };
    this.child.stderr?.on('data', keepTail);
    this.child.stdout?.on('data', keepTail);
    liveProcesses.add(this);
  }

  /** True until the process exited. */
  get running(): boolean {
    return this.#exitInfo === undefined && this.pid > 0;
  }

  /** Last few KB of the process's output, for error messages. */
  get outputTail(): string {
    return this.#stderrTail.trim();
  }

  /** Sends a signal to the whole process group (falls back to the process alone). */
  signal(signal: NodeJS.Signals): void {
    if (!this.running) return;
    try {
      if (process.platform !== 'win32') process.kill(-this.pid, signal);
      else this.child.kill(signal);
    } catch {
      try {
        this.child.kill(signal);
      } catch {
        // already gone
      }
    }
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process has exited (bounded). */
  async stop(graceMs = 3000): Promise<void> {
    if (this.running) {
      this.signal('SIGTERM');
      const timedOut = await Promise.race([this.exited.then(() => false), delay(graceMs).then(() => true)]);
      if (timedOut) {
        this.signal('SIGKILL');
        await Promise.race([this.exited, delay(2000)]);
      }
    }
    // The group may still hold children that ignored SIGTERM after the leader exited.
    killGroup(this.pid);
  }
}

function killGroup(pid: number): void {
  if (process.platform === 'win32' || pid <= 0) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // no such group: everything is gone
  }
}

/** Resolves after `ms` milliseconds without keeping the event loop alive. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** Creates a private temp dir that is removed on {@link removeTempDir} or at exit. */
export function createTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `bidiscope-${prefix}-`));
  liveTempDirs.add(dir);
  return dir;
}

/** Removes a temp dir made by {@link createTempDir} (retrying briefly while a browser releases files). */
export function removeTempDir(dir: string): void {
  try {
    rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  } catch {
    // left for the exit hook
    return;
  }
  liveTempDirs.delete(dir);
}

/**
 * The environment for a browser or driver bidiscope starts: everything it writes (temp files, crash reports, caches,
 * config) goes below its private temp dir, never into the user's home.
 */
export function isolatedEnvironment(tempDir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const home = join(tempDir, 'home');
  mkdirSync(home, { recursive: true });
  return {
    ...process.env,
    TMPDIR: tempDir,
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_CACHE_HOME: join(home, '.cache'),
    XDG_DATA_HOME: join(home, '.local', 'share'),
    ...extra,
  };
}

/** Last-resort cleanup, synchronous: kills every owned process group and removes temp dirs. */
export function killEverythingNow(): void {
  for (const owned of liveProcesses) {
    owned.signal('SIGKILL');
    killGroup(owned.pid);
  }
  liveProcesses.clear();
  for (const dir of liveTempDirs) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // nothing more can be done at exit
    }
  }
  liveTempDirs.clear();
}

process.once('exit', killEverythingNow);
