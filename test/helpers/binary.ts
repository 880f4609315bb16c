import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from './mcp-server.js';

export { BINARY_PATH, BUN_PATH, ensureBinary } from '../../scripts/binary-freshness.js';

/** The pinned Deno from node_modules. */
/** The pinned Deno that scripts/setup.sh installs outside package.json (see there why). */
export const DENO_PATH = join(REPO_ROOT, '.tools', 'deno', 'node_modules', '@deno', 'linux-x64-glibc', 'deno');

/** `--import` value that loads tsx from the repository whatever the working directory. */
export const TSX_IMPORT = pathToFileURL(join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

/** True when `unshare -n` can make a network namespace here (root or user namespaces) and `ip` can raise its loopback. */
export function netnsAvailable(): boolean {
  if (process.platform !== 'linux') return false;
  const probe = spawnSync(
    'unshare',
    ['-n', 'sh', '-c', 'ip link set lo up 2>/dev/null || /usr/sbin/ip link set lo up || /sbin/ip link set lo up'],
    {
      stdio: 'ignore',
      timeout: 10_000,
    },
  );
  return probe.status === 0;
}
