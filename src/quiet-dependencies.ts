/**
 * Must be the first import of every entry point. WebdriverIO's logger writes to stdout (which belongs to the MCP
 * protocol), logs BiDi results including bodies, and keeps an unbounded cache of log lines when no log file is set;
 * its level is read from the environment when each logger is created, i.e. at import time. We also keep BiDi
 * traffic to loopback off any proxy a user's environment names.
 */
process.env.WDIO_LOG_LEVEL = 'silent';
delete process.env.WDIO_LOG_PATH;
delete process.env.WDIO_DEBUG;
const loopback = ['127.0.0.1', 'localhost', '::1'];
for (const name of ['NO_PROXY', 'no_proxy'] as const) {
  const current = process.env[name];
  const entries = new Set((current ?? '').split(/[\s,;]+/).filter((entry) => entry !== ''));
  for (const host of loopback) entries.add(host);
  if (current !== undefined || name === 'NO_PROXY') process.env[name] = [...entries].join(',');
}

export {};
