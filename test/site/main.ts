/**
 * Runs the test site until SIGINT/SIGTERM; prints its origin as the first stdout line.
 * Usage: `tsx test/site/main.ts [--port N]` (or env `PORT`).
 */
import { startTestSite } from './server.js';

function portArgument(argv: readonly string[]): number | undefined {
  const flag = argv.indexOf('--port');
  const raw = flag >= 0 ? argv[flag + 1] : process.env['PORT'];
  if (raw === undefined || raw === '') return undefined;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port: ${raw}`);
  return port;
}

const site = await startTestSite({ port: portArgument(process.argv.slice(2)) });
process.stdout.write(`${site.origin}\n`);
process.stderr.write(`test site up: ${site.origin}/ (closed port ${site.closedPort}); Ctrl-C to stop\n`);

const stop = (): void => {
  void site.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
