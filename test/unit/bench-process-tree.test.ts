import assert from 'node:assert/strict';
import { test } from 'node:test';
import { byPart, classify, EXCLUDED, splitCommandLine } from '../../scripts/bench/process-tree.js';

test('process types are read from Chromium and Firefox command lines, rewritten titles included', () => {
  const part = (raw: string, pid = 2): string => classify(splitCommandLine(raw), 1, pid);
  assert.equal(part('/usr/lib/chromium/chromium --type=renderer --renderer-client-id=5 --no-sandbox'), 'chrome:renderer');
  assert.equal(part('/usr/lib/chromium/chromium\0--type=gpu-process\0--no-sandbox\0'), 'chrome:GPU');
  assert.equal(
    part('/usr/lib/chromium/chromium --type=utility --utility-sub-type=network.mojom.NetworkService --lang=en'),
    'chrome:network',
  );
  assert.equal(part('/usr/lib/chromium/chromium --type=utility --utility-sub-type=storage.mojom.StorageService'), 'chrome:storage');
  assert.equal(part('/usr/lib/chromium/chromium --type=zygote --no-zygote-sandbox'), 'chrome:zygote');
  assert.equal(part('/usr/lib/chromium/chromium\0--headless=new\0--user-data-dir=/tmp/x/profile\0'), 'chrome:browser');
  assert.equal(part('/usr/bin/chromedriver\0--port=1\0'), 'driver');
  assert.equal(
    part('/usr/lib/firefox-esr/firefox-esr -contentproc -isForBrowser -appDir /usr/lib/firefox-esr/browser 7 tab'),
    'firefox:content (tab)',
  );
  assert.equal(
    part(['/usr/lib/firefox-esr/firefox-esr', '-contentproc', '-appDir', '/usr/lib/firefox-esr/browser', '2', 'socket'].join('\0')),
    'firefox:socket',
  );
  assert.equal(part('firefox-esr\0--no-remote\0--headless\0about:blank\0'), 'firefox:parent');
  assert.equal(part('/usr/bin/node\0--import\0tsx\0src/main.ts\0', 1), 'server');
  assert.equal(part('/opt/app/node_modules/@esbuild/linux-x64/bin/esbuild\0--service=0.25.0\0'), EXCLUDED);
});

test('the tree total sums every part but the excluded one', () => {
  const parts = byPart([
    { pid: 1, part: 'server', pssBytes: 10, privateBytes: 8 },
    { pid: 2, part: 'chrome:renderer', pssBytes: 5, privateBytes: 3 },
    { pid: 3, part: 'chrome:renderer', pssBytes: 7, privateBytes: 4 },
    { pid: 4, part: EXCLUDED, pssBytes: 100, privateBytes: 100 },
  ]);
  assert.deepEqual(parts['chrome:renderer'], { count: 2, pssBytes: 12, privateBytes: 7 });
  assert.deepEqual(parts['total'], { count: 3, pssBytes: 22, privateBytes: 15 });
  assert.equal(parts[EXCLUDED]?.pssBytes, 100);
});
