/**
 * CPU profile of the server over capture bursts: `npx tsx scripts/bench/profile-capture.ts <browser> <outDir>
 * [sourceDir]` starts a server with `--cpu-prof` (from this checkout or `sourceDir`), captures three 1,000-fetch
 * bursts with text bodies, and leaves the `.cpuprofile` in outDir; then prints the functions with the most self time.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startTestSite } from '../../test/site/server.js';
import { loadManyPage, openSession, runBurst, waitForCapture } from './page-run.js';
import { startBenchServer } from './server.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [browserArg = 'firefox', outArg = 'cpu-profiles', sourceArg] = process.argv.slice(2);
if (browserArg !== 'chrome' && browserArg !== 'firefox') throw new Error('browser: chrome or firefox');
const outDir = resolve(outArg);
const site = await startTestSite();
const server = await startBenchServer({
  nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${outDir}`],
  ...(sourceArg !== undefined ? { sourceDir: resolve(sourceArg) } : {}),
});
try {
  const { sessionId } = await openSession(server, browserArg);
  for (let round = 0; round < 3; round++) {
    await loadManyPage(server, sessionId, site.origin);
    await server.must('start_network_capture', { sessionId, captureBodies: 'text' });
    await runBurst(server, sessionId, 1000, 16);
    await waitForCapture(server, sessionId, 1000);
    await server.must('stop_network_capture', { sessionId }, 120_000);
    await server.must('clear_network_capture', { sessionId });
  }
  await server.must('close_session', { sessionId }, 60_000);
} finally {
  await server.close();
  await site.close();
}

// `.0.` is the main thread (tsx's loader runs in a worker with its own profile).
const file = readdirSync(outDir)
  .filter((name) => name.endsWith('.cpuprofile') && name.includes('.0.'))
  .sort()
  .at(-1);
if (file === undefined) throw new Error(`no profile in ${outDir}`);
const profile = JSON.parse(readFileSync(join(outDir, file), 'utf8')) as CpuProfile;
const selfMs = new Map<number, number>();
for (const [i, id] of profile.samples.entries()) selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
const byFunction = new Map<string, number>();
for (const node of profile.nodes) {
  const { functionName, url, lineNumber } = node.callFrame;
  const key = `${functionName || '(anonymous)'} ${url.replace(/^.*\/(src|node_modules)\//, '$1/')}:${lineNumber + 1}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + (selfMs.get(node.id) ?? 0));
}
const total = [...byFunction.values()].reduce((sum, ms) => sum + ms, 0);
process.stdout.write(`${join(outDir, file)}: ${Math.round(total)} ms sampled\n`);
for (const [name, ms] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, 40)) {
  process.stdout.write(`${ms.toFixed(0).padStart(7)} ms  ${name}\n`);
}
