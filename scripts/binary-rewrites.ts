/**
 * Build-time source rewrites that make dependencies work inside a `bun build --compile` binary, and a scan that
 * refuses any computed `import()`/`require()` left in the bundle. Every rewrite names an anchor that must match
 * exactly once in the file it targets: when a dependency update changes that code the build fails loudly instead of
 * producing a binary that breaks at run time. Pure (no Bun APIs), so Node unit tests can check the anchors.
 */
import type { BunPlugin } from './bun-api.js';

/** One rewrite of one dependency file. */
export interface SourceRewrite {
  /** Short name for logs. */
  id: string;
  /** The file, relative to the repository root, with forward slashes. */
  file: string;
  /** Must match exactly once in `file`. */
  anchor: RegExp;
  replacement: string;
  /** true: the file must be part of the bundle (the build fails if the rewrite never ran). */
  required: boolean;
  why: string;
}

/** The rewrites the binary needs (see docs/binary.md). */
export const REWRITES: readonly SourceRewrite[] = [
  {
    id: '@wdio/utils startWebDriver',
    file: 'node_modules/@wdio/utils/build/index.js',
    anchor: /const nodeModule = "\.\/node\.js";\s*const \{ startWebDriver: ([\w$]+) \} = await import\(nodeModule\);/,
    // Reached only when WebdriverIO is asked to launch a driver itself (no hostname/port). Its node.js pulls in the
    // driver and browser downloaders, which bidiscope must never run, so the branch becomes a clear error instead of a
    // static import.
    replacement:
      'const $1 = async () => { throw new Error("bidiscope: WebdriverIO tried to start a WebDriver driver itself (no hostname/port given); bidiscope starts drivers itself and never downloads one. This is a bug in bidiscope."); };',
    required: true,
    why: 'computed import("./node.js") cannot be resolved inside a compiled binary',
  },
  {
    id: 'webdriverio automationProtocol',
    file: 'node_modules/webdriverio/build/node.js',
    anchor: /await import\(\s*(?:\/\*\s*@vite-ignore\s*\*\/\s*)?options\.automationProtocol \|\| "webdriver"\s*\)/,
    replacement: 'await import("webdriver")',
    // bidiscope imports `webdriver` directly and never calls webdriverio's remote(); the rule guards a future import.
    required: false,
    why: 'computed import(options.automationProtocol || "webdriver") cannot be resolved inside a compiled binary',
  },
];

/** Applies one rewrite to a file's text; throws (naming file and anchor) unless the anchor matches exactly once. */
export function applyRewrite(rule: SourceRewrite, source: string): string {
  const global = new RegExp(rule.anchor.source, rule.anchor.flags.includes('g') ? rule.anchor.flags : `${rule.anchor.flags}g`);
  const count = [...source.matchAll(global)].length;
  if (count !== 1) {
    throw new Error(
      `binary build: rewrite "${rule.id}" expected its anchor exactly once in ${rule.file}, found ${count}.\n` +
        `  anchor: ${rule.anchor.source}\n  why the rewrite exists: ${rule.why}\n` +
        '  A dependency update changed this code: re-check scripts/binary-rewrites.ts against the new file.',
    );
  }
  return source.replace(rule.anchor, rule.replacement);
}

function normalizePath(path: string): string {
  return path.replaceAll('\\', '/');
}

/** The rule for a loaded file, if any (matched by path suffix). */
export function ruleForPath(path: string, rules: readonly SourceRewrite[] = REWRITES): SourceRewrite | undefined {
  const normalized = normalizePath(path);
  return rules.find((rule) => normalized.endsWith(`/${rule.file}`) || normalized === rule.file);
}

/** A `Bun.build` plugin applying {@link REWRITES}; `applied` collects the ids that ran. */
export function rewritePlugin(applied: Set<string>, readText: (path: string) => Promise<string>): BunPlugin {
  // Matches each rule's file with either path separator; the exact rule is picked again in the hook.
  const alternatives = REWRITES.map((rule) =>
    rule.file
      .split('/')
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('[\\\\/]'),
  );
  const filter = new RegExp(`(?:${alternatives.join('|')})$`);
  return {
    name: 'bidiscope-binary-rewrites',
    setup(build) {
      build.onLoad({ filter }, async (args) => {
        const rule = ruleForPath(args.path);
        if (!rule) return undefined;
        const contents = applyRewrite(rule, await readText(args.path));
        applied.add(rule.id);
        return { contents, loader: 'js' };
      });
    },
  };
}

/** Throws when a required rewrite never ran (its file left the bundle: re-check whether the rule is still needed). */
export function assertRequiredRewritesRan(applied: ReadonlySet<string>): void {
  const missing = REWRITES.filter((rule) => rule.required && !applied.has(rule.id));
  if (missing.length > 0) {
    throw new Error(
      `binary build: required rewrite(s) never ran: ${missing.map((rule) => `"${rule.id}" (${rule.file})`).join(', ')}.\n` +
        '  The file is no longer part of the bundle: check what changed, then update scripts/binary-rewrites.ts.',
    );
  }
}

/** Skips whitespace and JS comments from `index`; returns the next significant index. */
function skipTrivia(code: string, index: number): number {
  let at = index;
  for (;;) {
    while (at < code.length && /\s/.test(code[at] ?? '')) at++;
    if (code.startsWith('/*', at)) {
      const end = code.indexOf('*/', at + 2);
      at = end < 0 ? code.length : end + 2;
    } else if (code.startsWith('//', at)) {
      const end = code.indexOf('\n', at + 2);
      at = end < 0 ? code.length : end + 1;
    } else {
      return at;
    }
  }
}

/** End index (exclusive) of a plain string literal starting at `index`, or -1 (template with `${`, unterminated). */
function stringLiteralEnd(code: string, index: number): number {
  const quote = code[index];
  if (quote !== '"' && quote !== "'" && quote !== '`') return -1;
  for (let at = index + 1; at < code.length; at++) {
    const char = code[at];
    if (char === '\\') at++;
    else if (quote === '`' && char === '$' && code[at + 1] === '{') return -1;
    else if (char === quote) return at + 1;
    else if (char === '\n' && quote !== '`') return -1;
  }
  return -1;
}

/**
 * Computed `import(x)` / `require(x)` / `__require(x)` calls in bundled code (argument not one string literal), as
 * `line N: <source line>`. Such a call cannot be resolved inside a compiled binary.
 */
export function findComputedImports(code: string): string[] {
  const found: string[] = [];
  const call = /(?<![\w$.])(?:import|require|__require)\s*\(/g;
  for (const match of code.matchAll(call)) {
    const open = match.index + match[0].length;
    const argStart = skipTrivia(code, open);
    const literalEnd = stringLiteralEnd(code, argStart);
    if (literalEnd >= 0 && code[skipTrivia(code, literalEnd)] === ')') continue;
    const line = code.slice(0, match.index).split('\n').length;
    const lineStart = code.lastIndexOf('\n', match.index) + 1;
    const lineEnd = code.indexOf('\n', match.index);
    found.push(
      `line ${line}: ${code
        .slice(lineStart, lineEnd < 0 ? undefined : lineEnd)
        .trim()
        .slice(0, 160)}`,
    );
  }
  return found;
}
