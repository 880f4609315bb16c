/**
 * The binary build's source rewrites against the installed dependencies (so a dependency update that moves an anchor
 * fails here, in the fast unit suite, as well as in the build), and the computed-import scanner.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyRewrite, findComputedImports, REWRITES, ruleForPath, type SourceRewrite } from '../../scripts/binary-rewrites.js';
import { REPO_ROOT } from '../helpers/mcp-server.js';

for (const rule of REWRITES) {
  test(`rewrite "${rule.id}" finds its anchor exactly once in the installed ${rule.file}`, (t) => {
    const path = join(REPO_ROOT, rule.file);
    if (!existsSync(path)) {
      assert.equal(rule.required, false, `${rule.file} is missing but the rewrite is required`);
      t.skip(`${rule.file} is not installed`);
      return;
    }
    const source = readFileSync(path, 'utf8');
    const rewritten = applyRewrite(rule, source);
    assert.notEqual(rewritten, source);
    assert.equal(rule.anchor.test(rewritten), false, 'the anchor still matches after the rewrite');
  });
}

test('the @wdio/utils rewrite removes its computed import and keeps the variable bound', () => {
  const rule = REWRITES.find((candidate) => candidate.id === '@wdio/utils startWebDriver');
  assert.ok(rule);
  const rewritten = applyRewrite(rule, readFileSync(join(REPO_ROOT, rule.file), 'utf8'));
  assert.equal(rewritten.includes('import(nodeModule)'), false);
  assert.match(rewritten, /const startWebDriver2 = async \(\) => \{ throw new Error\("bidiscope: WebdriverIO tried to start/);
});

test('a missing or repeated anchor fails loudly, naming the file', () => {
  const rule: SourceRewrite = {
    id: 'demo',
    file: 'node_modules/demo/index.js',
    anchor: /import\(x\)/,
    replacement: 'import("x")',
    required: true,
    why: 'demo',
  };
  assert.throws(
    () => applyRewrite(rule, 'nothing here'),
    /rewrite "demo" expected its anchor exactly once in node_modules\/demo\/index\.js, found 0/,
  );
  assert.throws(() => applyRewrite(rule, 'import(x); import(x);'), /found 2/);
  assert.equal(applyRewrite(rule, 'a; import(x); b'), 'a; import("x"); b');
});

test('rules are found by path suffix with either separator', () => {
  assert.equal(ruleForPath('/r/node_modules/@wdio/utils/build/index.js')?.id, '@wdio/utils startWebDriver');
  assert.equal(ruleForPath('C:\\r\\node_modules\\webdriverio\\build\\node.js')?.id, 'webdriverio automationProtocol');
  assert.equal(ruleForPath('/r/node_modules/@wdio/utils/build/node.js'), undefined);
});

test('the scanner flags computed import()/require() and accepts string literals', () => {
  const computed = [
    'const m = await import(name);',
    'await import(\n  /* @vite-ignore */\n  options.automationProtocol || "webdriver"\n)',
    'import("./" + file)',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the source text of a computed import, not a template.
    'import(`./${file}`)',
    'require(path)',
    '__require(mod)',
  ];
  for (const code of computed) assert.equal(findComputedImports(code).length, 1, code);
  const literal = [
    'await import("webdriver")',
    "import(/* c */ './x.js')",
    'import(`./fixed.js`)',
    '__require("fs")',
    'foo.import(x); obj.require(y)',
    'import { a } from "b"; import.meta.url',
  ];
  for (const code of literal) assert.deepEqual(findComputedImports(code), [], code);
  assert.match(findComputedImports('a\nb\nconst m = await import(name);')[0] ?? '', /^line 3: const m = await import\(name\);$/);
});
