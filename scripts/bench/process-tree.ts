/**
 * The process tree under a root pid from /proc, each process's PSS from /proc/<pid>/smaps_rollup, and its part
 * (server, driver, or the browser process type read from its command line). Linux only.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** One process of the tree at one instant. */
export interface TreeProcess {
  pid: number;
  part: string;
  pssBytes: number;
  /** Private_Clean + Private_Dirty: memory no other process shares (unaffected by other browsers on the machine). */
  privateBytes: number;
  /** Chromium's `--renderer-client-id` or Firefox's child id, to follow one process across points. */
  childId?: string;
}

function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

/** Every live pid below (and including) the roots. */
export function treePids(roots: readonly number[]): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const parent = parentOf(pid);
    if (parent === undefined) continue;
    const list = children.get(parent) ?? [];
    list.push(pid);
    children.set(parent, list);
  }
  const out: number[] = [];
  const queue = roots.filter((pid) => parentOf(pid) !== undefined);
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    out.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** PSS and private memory of a process in bytes; zeros when it is gone or unreadable. */
export function memoryOf(pid: number): { pssBytes: number; privateBytes: number } {
  try {
    const text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const field = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+)\\s+kB`, 'm').exec(text)?.[1] ?? 0) * 1024;
    return { pssBytes: field('Pss'), privateBytes: field('Private_Clean') + field('Private_Dirty') };
  } catch {
    return { pssBytes: 0, privateBytes: 0 };
  }
}

/** The arguments of a raw `/proc/<pid>/cmdline`; a rewritten process title (one string with spaces) is split. */
export function splitCommandLine(raw: string): string[] {
  const args = raw.split('\0').filter((arg) => arg.length > 0);
  return args.length === 1 ? (args[0] ?? '').split(' ') : args;
}

/** The arguments; Chromium and Firefox rewrite their process title into one space-separated string, split here. */
function commandLine(pid: number): string[] {
  try {
    return splitCommandLine(readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
  } catch {
    return [];
  }
}

/** The part name of processes listed but left out of the tree total. */
export const EXCLUDED = 'not counted: esbuild (tsx, dev only)';

const FIREFOX_TYPES = new Set(['tab', 'socket', 'rdd', 'utility', 'gpu', 'gmplugin', 'forkserver', 'vr', 'ipdlunittest']);

/** The part a process plays, from its command line: `chrome:renderer`, `firefox:tab`, `driver`, `server`, … */
export function classify(args: readonly string[], serverPid: number | undefined, pid: number): string {
  if (pid === serverPid) return 'server';
  const program = (args[0] ?? '').split('/').at(-1) ?? '';
  if (program.includes('chromedriver')) return 'driver';
  // tsx's esbuild service: the bench runs the server from source; the shipped binary has no such child.
  if (program === 'esbuild') return EXCLUDED;
  if (args.includes('-contentproc')) {
    const type = [...args].reverse().find((arg) => FIREFOX_TYPES.has(arg)) ?? 'other';
    return `firefox:${type === 'tab' ? 'content (tab)' : type}`;
  }
  if (/firefox/.test(program)) return 'firefox:parent';
  const type = args.find((arg) => arg.startsWith('--type='))?.slice('--type='.length);
  if (type === undefined) return /chrom/.test(program) ? 'chrome:browser' : `other:${program}`;
  if (type === 'utility') {
    const sub = args.find((arg) => arg.startsWith('--utility-sub-type='))?.slice('--utility-sub-type='.length) ?? '';
    return `chrome:${sub.includes('NetworkService') ? 'network' : sub.includes('Storage') ? 'storage' : `utility ${sub.split('.')[0] ?? ''}`}`;
  }
  return `chrome:${type === 'gpu-process' ? 'GPU' : type}`;
}

/** A snapshot of the tree: every process with its part and PSS. */
export function sampleTree(roots: readonly number[], serverPid?: number): TreeProcess[] {
  return treePids(roots).map((pid) => {
    const args = commandLine(pid);
    const childId =
      args.find((arg) => arg.startsWith('--renderer-client-id='))?.split('=')[1] ??
      (args.includes('-contentproc') ? args.at(-2) : undefined);
    return { pid, part: classify(args, serverPid, pid), ...memoryOf(pid), ...(childId !== undefined ? { childId } : {}) };
  });
}

/** PSS and private bytes of a group of processes. */
export interface PartFigures {
  count: number;
  pssBytes: number;
  privateBytes: number;
}

/** Figures summed by part, plus `total` (everything but {@link EXCLUDED}). */
export function byPart(processes: readonly TreeProcess[]): Record<string, PartFigures> {
  const parts: Record<string, PartFigures> = {};
  const total: PartFigures = { count: 0, pssBytes: 0, privateBytes: 0 };
  for (const process of processes) {
    const part = (parts[process.part] ??= { count: 0, pssBytes: 0, privateBytes: 0 });
    for (const figures of process.part === EXCLUDED ? [part] : [part, total]) {
      figures.count += 1;
      figures.pssBytes += process.pssBytes;
      figures.privateBytes += process.privateBytes;
    }
  }
  parts['total'] = total;
  return parts;
}
