/**
 * `bidiscope report <file.har> [-o report.html] [--expose-sensitive-data]`: any HAR 1.2 (bidiscope's, Chrome
 * DevTools', Firefox DevTools', Playwright's) → the self-contained waterfall page, redacted unless asked otherwise.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { HarReadError, readHar } from '../har/index.js';
import { redactHar } from '../redact/index.js';
import { renderReport } from '../report/index.js';

/** Usage of the report command. */
const REPORT_HELP = `Usage: bidiscope report <file.har> [-o report.html] [--expose-sensitive-data]

Turns a HAR 1.2 file into one self-contained HTML waterfall report (opens offline from file://).
  -o, --output FILE          where to write (default: <file>.html in the current directory)
  --expose-sensitive-data    keep secrets (auth headers, cookies, passwords, tokens); redacted by default`;

/** What the command did, for main to print; `exitCode` 2 for bad usage or a file that is not HAR. */
export interface ReportCommandResult {
  exitCode: number;
  message: string;
}

/** Runs the report command with its arguments (after `report`). */
export async function runReportCommand(argv: readonly string[], cwd: string): Promise<ReportCommandResult> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        output: { type: 'string', short: 'o' },
        'expose-sensitive-data': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    return { exitCode: 2, message: `bidiscope report: ${error instanceof Error ? error.message : String(error)}\n${REPORT_HELP}` };
  }
  if (parsed.values.help) return { exitCode: 0, message: REPORT_HELP };
  const [input, ...extra] = parsed.positionals;
  if (input === undefined || extra.length > 0)
    return { exitCode: 2, message: `bidiscope report: give exactly one HAR file.\n${REPORT_HELP}` };
  const inputPath = resolve(cwd, input);
  let text: string;
  try {
    text = await readFile(inputPath, 'utf8');
  } catch (error) {
    return {
      exitCode: 2,
      message: `bidiscope report: cannot read ${inputPath}: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  let har;
  try {
    har = readHar(text);
  } catch (error) {
    if (error instanceof HarReadError) return { exitCode: 2, message: `bidiscope report: ${inputPath} is ${error.message}` };
    throw error;
  }
  const exposed = parsed.values['expose-sensitive-data'] === true;
  const html = renderReport(exposed ? har : redactHar(har), basename(inputPath));
  const outputPath = resolve(cwd, parsed.values.output ?? `${basename(inputPath).replace(/\.har$/i, '')}.html`);
  try {
    await writeFile(outputPath, html);
  } catch (error) {
    return {
      exitCode: 1,
      message: `bidiscope report: cannot write ${outputPath}: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  const redaction = exposed ? 'NOT redacted' : 'redacted';
  return { exitCode: 0, message: `Wrote ${outputPath}: ${har.log.entries.length} requests, ${redaction}.` };
}
