/**
 * Runs a command inside the current (fresh, `unshare -n`) network namespace together with the test site, so a
 * browser started by that command can reach the site while nothing else is reachable.
 *
 * Usage: `unshare -n node --import <tsx> test/helpers/netns-run.ts <site-port> <command> [args...]`
 *
 * It brings the namespace's loopback up, refuses to continue when any other interface exists, starts the test site
 * on 127.0.0.1:<site-port>, then runs the command with this process's stdin/stdout/stderr (so an MCP client speaks
 * straight to it), forwards SIGINT/SIGTERM/SIGHUP, and exits with the command's exit code after closing the site.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { startTestSite } from '../site/server.js';

function fail(message: string): never {
  process.stderr.write(`netns-run: ${message}\n`);
  process.exit(3);
}

function bringLoopbackUp(): void {
  for (const ip of ['/usr/sbin/ip', '/sbin/ip', '/usr/bin/ip', '/bin/ip', 'ip']) {
    const result = spawnSync(ip, ['link', 'set', 'lo', 'up'], { stdio: ['ignore', 'ignore', 'pipe'] });
    if (result.error === undefined) {
      if (result.status === 0) return;
      fail(`"${ip} link set lo up" failed: ${result.stderr.toString().trim()}`);
    }
  }
  fail('no "ip" command found to bring the loopback interface up');
}

const [portText, command, ...args] = process.argv.slice(2);
const port = Number(portText);
if (!Number.isInteger(port) || port < 1 || port > 65535 || command === undefined)
  fail('usage: netns-run.ts <site-port> <command> [args...]');

bringLoopbackUp();
// Every interface of this namespace, with or without an address.
const interfaces = readFileSync('/proc/net/dev', 'utf8')
  .split('\n')
  .slice(2)
  .map((line) => line.split(':')[0]?.trim() ?? '')
  .filter((name) => name !== '');
if (interfaces.some((name) => name !== 'lo')) fail(`not an isolated network namespace: interfaces ${interfaces.join(', ')}`);

const site = await startTestSite({ port });
process.stderr.write(`netns-run: interfaces [${interfaces.join(', ')}], test site ${site.origin}, running ${command}\n`);

const child = spawn(command, args, { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => child.kill(signal));
child.on('error', (error) => fail(`could not start ${command}: ${error.message}`));
child.on('exit', (code, signal) => {
  void site.close().then(() => process.exit(code ?? (signal ? 128 + 15 : 1)));
});
