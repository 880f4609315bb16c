/**
 * evaluate_script at scale: time and bytes of the tool result for strings of 1 KB … 20 MB and arrays of 2k … 200k
 * small objects, then the confirm_output that saves the full value. Round trips through the real MCP client.
 */
import type { BenchServer } from './server.js';
import { median, round } from './stats.js';

/** One measured value. */
export interface ScriptRow {
  label: string;
  expression: string;
  /** UTF-8 bytes of the full value's JSON (what confirm_output saves). */
  jsonBytes: number;
  /** evaluate_script round trip, median. */
  medianMs: number;
  samplesMs: number[];
  /** UTF-8 bytes of the text the agent reads, and of the whole result (with structuredContent). */
  textBytes: number;
  resultBytes: number;
  /** confirm_output round trip (writes the file), one sample. */
  saveMs: number;
}

/** Everything measured on one browser. */
export interface ScriptBenchResult {
  rows: ScriptRow[];
}

/** The issue's targets: 20 MB in ≤ 2 s, tool text ≤ 8 KB for any result. */
export const SCRIPT_TARGETS = { twentyMbMs: 2_000, textBytes: 8 * 1024 } as const;

const CASES: ReadonlyArray<[string, string]> = [
  ['string 1 KB', "'x'.repeat(1024)"],
  ['string 100 KB', "'x'.repeat(100*1024)"],
  ['string 1 MB', "'x'.repeat(1024*1024)"],
  ['string 5 MB', "'x'.repeat(5*1024*1024)"],
  ['string 20 MB', "'x'.repeat(20*1024*1024)"],
  ['array of 2k objects', "Array.from({length: 2000}, (_, i) => ({i, s: 'abc'}))"],
  ['array of 20k objects', "Array.from({length: 20000}, (_, i) => ({i, s: 'abc'}))"],
  ['array of 200k objects', "Array.from({length: 200000}, (_, i) => ({i, s: 'abc'}))"],
];

/** Runs every case `repetitions` times in the session's tab (on `origin`/blank). */
export async function measureScriptResults(
  server: BenchServer,
  sessionId: string,
  origin: string,
  repetitions: number,
  log: (line: string) => void,
): Promise<ScriptBenchResult> {
  await server.must('navigate', { sessionId, url: `${origin}/blank` });
  const rows: ScriptRow[] = [];
  for (const [label, expression] of CASES) {
    const samples: number[] = [];
    let last: Awaited<ReturnType<BenchServer['call']>> | undefined;
    for (let i = 0; i < repetitions; i++) {
      last = await server.must('evaluate_script', { sessionId, expression, timeoutMs: 120_000 }, 150_000);
      samples.push(last.ms);
    }
    if (!last) throw new Error('no repetitions');
    const jsonBytes = typeof last.structured?.['jsonBytes'] === 'number' ? last.structured['jsonBytes'] : last.textBytes;
    let saveMs = 0;
    const token = last.structured?.['confirmToken'];
    if (typeof token === 'string') saveMs = (await server.must('confirm_output', { token }, 60_000)).ms;
    const row: ScriptRow = {
      label,
      expression,
      jsonBytes,
      medianMs: round(median(samples), 1),
      samplesMs: samples.map((ms) => round(ms, 1)),
      textBytes: last.textBytes,
      resultBytes: last.resultBytes,
      saveMs: round(saveMs, 1),
    };
    log(`  ${label}: ${row.medianMs} ms, text ${row.textBytes} B, JSON ${jsonBytes} B, save ${row.saveMs} ms`);
    rows.push(row);
  }
  return { rows };
}

const mark = (ok: boolean): string => (ok ? '✓' : '✗');
const size = (bytes: number): string => (bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${(bytes / 1e3).toFixed(1)} kB`);

/** Markdown table: one row per case, browsers side by side. */
export function scriptResultTable(results: ReadonlyArray<{ name: string; scripts: ScriptBenchResult }>): string {
  const header = `| value (JSON size) | ${results.map((r) => `${r.name}: evaluate_script (median) / text bytes / confirm_output`).join(' | ')} |`;
  const lines = [header, `| --- | ${results.map(() => '---:').join(' | ')} |`];
  const labels = results[0]?.scripts.rows ?? [];
  for (const [i, base] of labels.entries()) {
    const cells = results.map(({ scripts }) => {
      const r = scripts.rows[i];
      if (!r) return '—';
      const timeOk = r.label === 'string 20 MB' ? ` ${mark(r.medianMs <= SCRIPT_TARGETS.twentyMbMs)}` : '';
      const perMb = r.jsonBytes >= 1e6 ? ` (${round(r.medianMs / (r.jsonBytes / 1e6), 0)} ms/MB)` : '';
      return `${round(r.medianMs, 0)} ms${perMb}${timeOk} / ${r.textBytes} B ${mark(r.textBytes <= SCRIPT_TARGETS.textBytes)} / ${round(r.saveMs, 0)} ms`;
    });
    lines.push(`| ${base.label} (${size(base.jsonBytes)}) | ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}
