/**
 * Start-up benchmark (`npm run bench:startup`; a measurement, not a test): time from spawning bidiscope to its MCP
 * `initialize` response, median of 10 runs after one warm-up, for the Bun binary and from source under Node (tsx),
 * Bun and Deno; the binary's size; each server's resident memory (VmRSS) right after `initialize`. Prints a table and
 * writes it into BENCHMARKS.md under "## Start-up and binary" (other sections of that file are kept).
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release } from 'node:os';
import { join, resolve } from 'node:path';
import { BINARY_PATH, BUN_PATH, ensureBinary } from './binary-freshness.js';

const ROOT = resolve(import.meta.dirname, '..');
const MAIN = join(ROOT, 'src', 'main.ts');
const RUNS = 10;
const HEADING = '## Start-up and binary';
const INITIALIZE = `${JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bench-startup', version: '1' } },
})}\n`;

interface Variant {
  label: string;
  command: string;
  args: string[];
}

const VARIANTS: readonly Variant[] = [
  { label: 'binary (dist/bidiscope, Bun, bytecode)', command: BINARY_PATH, args: [] },
  { label: 'Node from source (tsx)', command: process.execPath, args: ['--import', 'tsx', MAIN] },
  { label: 'Bun from source (bun run)', command: BUN_PATH, args: ['run', MAIN] },
  {
    label: 'Deno from source (deno run)',
    command: join(ROOT, '.tools', 'deno', 'node_modules', '@deno', 'linux-x64-glibc', 'deno'),
    args: ['run', '--allow-all', MAIN],
  },
];

interface Sample {
  ms: number;
  rssKiB: number | undefined;
}

function vmRssKiB(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** One spawn → initialize response; reads VmRSS, then closes stdin and waits for the exit. */
function measure(variant: Variant): Promise<Sample> {
  return new Promise((resolveSample, reject) => {
    const started = performance.now();
    const child = spawn(variant.command, variant.args, {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'ignore'],
      env: { ...process.env, DENO_NO_UPDATE_CHECK: '1' },
    });
    let stdout = '';
    let sample: Sample | undefined;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${variant.label}: no initialize response within 30 s`));
    }, 30_000);
    child.on('error', reject);
    child.stdout.on('data', (chunk: Buffer) => {
      if (sample) return;
      stdout += chunk.toString();
      const line = stdout.split('\n').find((text) => text.includes('"id":1'));
      if (!line) return;
      sample = { ms: performance.now() - started, rssKiB: child.pid === undefined ? undefined : vmRssKiB(child.pid) };
      child.stdin.end();
    });
    child.on('exit', () => {
      clearTimeout(timer);
      if (sample) resolveSample(sample);
      else reject(new Error(`${variant.label} exited before answering initialize; stdout: ${stdout.slice(0, 300)}`));
    });
    child.stdin.write(INITIALIZE);
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function writeSection(section: string): string {
  const path = join(ROOT, 'BENCHMARKS.md');
  const current = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n';
  const start = current.indexOf(`${HEADING}\n`);
  let next: string;
  if (start < 0) {
    next = `${current.trimEnd()}\n\n${section}`;
  } else {
    const after = current.indexOf('\n## ', start + HEADING.length);
    next = `${current.slice(0, start)}${section}${after < 0 ? '' : `\n${current.slice(after + 1)}`}`;
  }
  writeFileSync(path, `${next.trimEnd()}\n`);
  return path;
}

async function main(): Promise<void> {
  const build = ensureBinary();
  if (build.built) process.stdout.write(`built ${BINARY_PATH} in ${(build.ms / 1000).toFixed(1)} s\n`);
  const loadBefore = loadavg()[0] ?? 0;
  const samples = new Map<string, Sample[]>(VARIANTS.map((variant) => [variant.label, []]));
  for (const variant of VARIANTS) await measure(variant); // warm-up: file cache, tsx/deno caches
  for (let run = 0; run < RUNS; run++) {
    for (const variant of VARIANTS) samples.get(variant.label)?.push(await measure(variant));
    if (process.stdout.isTTY) process.stdout.write(`run ${run + 1}/${RUNS} done\r`);
  }
  const rows = VARIANTS.map((variant) => {
    const list = samples.get(variant.label) ?? [];
    const times = list.map((sample) => sample.ms);
    const rss = list.map((sample) => sample.rssKiB).filter((value): value is number => value !== undefined);
    return {
      label: variant.label,
      median: median(times),
      min: Math.min(...times),
      max: Math.max(...times),
      rssMiB: rss.length > 0 ? median(rss) / 1024 : undefined,
    };
  });
  const binary = rows[0];
  const node = rows[1];
  if (!binary || !node) throw new Error('no measurements');
  const ratio = node.median / binary.median;
  const loadAfter = loadavg()[0] ?? 0;
  const size = statSync(BINARY_PATH).size;
  const runtimeSize = statSync(realpathSync(BUN_PATH)).size;
  const bunVersion = /\(bun ([^,]+),/.exec(execFileSync(BINARY_PATH, ['--version'], { encoding: 'utf8' }))?.[1];
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  const table = [
    '| how bidiscope runs | spawn → `initialize` response, median | min – max | VmRSS after `initialize` (median) |',
    '|---|---:|---:|---:|',
    ...rows.map(
      (row) =>
        `| ${row.label} | ${row.median.toFixed(0)} ms | ${row.min.toFixed(0)} – ${row.max.toFixed(0)} ms | ${row.rssMiB === undefined ? 'n/a' : `${row.rssMiB.toFixed(0)} MiB`} |`,
    ),
  ].join('\n');
  const section = [
    HEADING,
    '',
    `Measured by \`npm run bench:startup\` on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} × ${cpu}, Linux ${release()}, ` +
      `Node ${process.version}${bunVersion ? `, Bun ${bunVersion}` : ''}. ${RUNS} runs per row after one warm-up, interleaved; ` +
      'time from spawning the process to reading its JSON-RPC answer to an MCP `initialize` request on stdout (no browser is started). ' +
      `1-minute load average ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after (other work on the machine inflates the from-source rows most).`,
    '',
    table,
    '',
    `- The binary answers \`initialize\` **${ratio.toFixed(1)}× faster** than Node from source (${binary.median.toFixed(0)} ms vs ${node.median.toFixed(0)} ms median).`,
    `- Binary size: **${mib(size)}** (\`dist/bidiscope\`, linux-x64): the Bun runtime is ${mib(runtimeSize)} of it, bidiscope's bundle and its bytecode the other ${mib(size - runtimeSize)}.`,
    '- RSS is the server process itself (for Node: the `node --import tsx` process, including the tsx loader).',
    '',
  ].join('\n');
  process.stdout.write(`\n\n${section}\n`);
  process.stdout.write(`written to ${writeSection(section)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
