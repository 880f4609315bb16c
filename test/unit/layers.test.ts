/**
 * The layering of `src/` as a test: which layer may import which (imports run one way), no import cycles between
 * files, and the pure layers import nothing with I/O. A new import that breaks the shape fails here, naming the file.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { test } from 'node:test';

const SRC = join(import.meta.dirname, '..', '..', 'src');

/** Each layer and the layers it may import (besides itself). */
const MAY_IMPORT: Record<string, readonly string[]> = {
  lib: [],
  model: ['lib'],
  har: ['model', 'lib'],
  redact: ['har', 'model', 'lib'],
  format: ['model', 'lib'],
  analysis: ['model', 'lib'],
  report: ['har', 'model', 'lib'],
  output: ['lib'],
  browser: ['redact', 'lib'],
  capture: ['browser', 'redact', 'model', 'lib'],
  intercept: ['browser', 'har', 'redact', 'model', 'lib'],
  sessions: ['browser', 'capture', 'intercept', 'model', 'lib'],
  mcp: ['lib'],
  tools: ['mcp', 'sessions', 'capture', 'intercept', 'redact', 'format', 'har', 'analysis', 'report', 'output', 'model', 'lib'],
  cli: ['mcp', 'browser', 'har', 'redact', 'report', 'model', 'lib'],
  // The entry points at the top.
  app: ['cli', 'mcp', 'tools', 'sessions', 'browser', 'version', 'lib'],
  main: ['app', 'cli', 'mcp', 'browser', 'version', 'quiet-dependencies', 'lib'],
  version: [],
  'quiet-dependencies': [],
};

/** Layers that must stay pure: no Node built-ins, no packages but valibot. */
const PURE = new Set(['lib', 'model', 'har', 'redact', 'format', 'analysis', 'report']);
const PURE_MAY_USE = new Set(['valibot']);

interface SourceImport {
  specifier: string;
  typeOnly: boolean;
}

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((item) => {
    const path = join(directory, item.name);
    if (item.isDirectory()) return sourceFiles(path);
    return item.name.endsWith('.ts') ? [path] : [];
  });
}

function importsOf(file: string): SourceImport[] {
  const text = readFileSync(file, 'utf8');
  const found: SourceImport[] = [];
  for (const match of text.matchAll(/^(?:import|export)\s+(type\s+)?[^;]*?\sfrom\s+'([^']+)'/gms)) {
    found.push({ specifier: match[2] ?? '', typeOnly: match[1] !== undefined });
  }
  for (const match of text.matchAll(/^import\s+'([^']+)'/gm)) found.push({ specifier: match[1] ?? '', typeOnly: false });
  for (const match of text.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g)) found.push({ specifier: match[1] ?? '', typeOnly: false });
  return found;
}

/** `src/tools/x.ts` → tools; `src/main.ts` → main. */
function layerOf(file: string): string {
  const [first = '', second] = relative(SRC, file).split('/');
  return second === undefined ? first.replace(/\.ts$/, '') : first;
}

function resolveImport(file: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  return normalize(join(dirname(file), specifier)).replace(/\.js$/, '.ts');
}

const files = sourceFiles(SRC);

test('every file is in a known layer', () => {
  const unknown = [...new Set(files.map(layerOf))].filter((layer) => MAY_IMPORT[layer] === undefined);
  assert.deepEqual(unknown, [], 'add new layers to MAY_IMPORT with what they may import');
});

test('imports run one way: each layer imports only the layers below it', () => {
  const wrong: string[] = [];
  for (const file of files) {
    const layer = layerOf(file);
    for (const { specifier } of importsOf(file)) {
      const target = resolveImport(file, specifier);
      if (target === undefined) continue;
      const targetLayer = layerOf(target);
      if (targetLayer !== layer && !(MAY_IMPORT[layer] ?? []).includes(targetLayer)) {
        wrong.push(`${relative(SRC, file)} imports ${relative(SRC, target)} (${layer} → ${targetLayer})`);
      }
    }
  }
  assert.deepEqual(wrong, []);
});

test('the table itself has no cycle between layers', () => {
  const visiting = new Set<string>();
  const done = new Set<string>();
  const visit = (layer: string, path: string[]): void => {
    if (done.has(layer)) return;
    assert.ok(!visiting.has(layer), `layer cycle: ${[...path, layer].join(' → ')}`);
    visiting.add(layer);
    for (const below of MAY_IMPORT[layer] ?? []) visit(below, [...path, layer]);
    visiting.delete(layer);
    done.add(layer);
  };
  for (const layer of Object.keys(MAY_IMPORT)) visit(layer, []);
});

test('no import cycle between files (type-only imports aside)', () => {
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const targets = importsOf(file)
      .filter((item) => !item.typeOnly)
      .map((item) => resolveImport(file, item.specifier))
      .filter((target): target is string => target !== undefined);
    graph.set(file, targets);
  }
  const state = new Map<string, 'visiting' | 'done'>();
  const cycles: string[] = [];
  const visit = (file: string, path: string[]): void => {
    const seen = state.get(file);
    if (seen === 'done') return;
    if (seen === 'visiting') {
      cycles.push([...path.slice(path.indexOf(file)), file].map((item) => relative(SRC, item)).join(' → '));
      return;
    }
    state.set(file, 'visiting');
    for (const target of graph.get(file) ?? []) visit(target, [...path, file]);
    state.set(file, 'done');
  };
  for (const file of files) visit(file, []);
  assert.deepEqual(cycles, []);
});

test('pure layers import nothing with I/O (no Node built-ins, no packages but valibot)', () => {
  const impure: string[] = [];
  for (const file of files) {
    if (!PURE.has(layerOf(file))) continue;
    for (const { specifier } of importsOf(file)) {
      if (specifier.startsWith('.')) continue;
      if (!PURE_MAY_USE.has(specifier)) impure.push(`${relative(SRC, file)} imports ${specifier}`);
    }
  }
  assert.deepEqual(impure, []);
});
