/**
 * Token cost, as UTF-8 bytes an agent reads: list_network_requests lines (a page of 100 fetches, and the test site's
 * main page) and the default get_request_details of the main page's login POST.
 */
import { loadSitePage } from '../../test/helpers/site-scenario.js';
import { loadManyPage, runBurst, waitForCapture } from './page-run.js';
import type { BenchServer } from './server.js';
import { round } from './stats.js';
import { toolsListBytes } from '../../test/helpers/tools-list-budget.js';

/** Bytes of one tool result: the text the model reads, and the whole result (with structuredContent). */
export interface ResultSize {
  textBytes: number;
  resultBytes: number;
}

export interface TokenResult {
  /** list_network_requests limit 100 over 100 fetches: text bytes ÷ lines shown. */
  listOf100: ResultSize & { lines: number; textBytesPerRequest: number; resultBytesPerRequest: number };
  /** list_network_requests over the test site's main page (every kind of request it makes). */
  listSitePage: ResultSize & { lines: number; textBytesPerRequest: number; resultBytesPerRequest: number };
  /** get_request_details of `POST /api/login` on the main page, default options. */
  loginDetails: ResultSize;
  /** The list page of 100, as text, for the record. */
  sampleLines: string[];
  /** `tools/list` as compact JSON, as every client reads it on connect. */
  toolsListBytes: number;
  /** The same for the core tools alone. */
  coreToolsListBytes: number;
}

function perLine(size: ResultSize, lines: number): { textBytesPerRequest: number; resultBytesPerRequest: number } {
  return { textBytesPerRequest: round(size.textBytes / lines, 1), resultBytesPerRequest: round(size.resultBytes / lines, 1) };
}

/** Captures 100 fetches, then the main page (text bodies), and sizes the listings and the login details. */
export async function measureTokens(server: BenchServer, sessionId: string, origin: string): Promise<TokenResult> {
  await loadManyPage(server, sessionId, origin);
  await server.must('start_network_capture', { sessionId, captureBodies: 'text' });
  await runBurst(server, sessionId, 100, 16);
  await waitForCapture(server, sessionId, 100);
  const list = await server.must('list_network_requests', { sessionId, limit: 100 });
  const lines = Number(list.structured?.['returned']);
  await server.must('stop_network_capture', { sessionId }, 120_000);

  await server.must('start_network_capture', { sessionId, captureBodies: 'text' });
  await loadSitePage(server.inner, sessionId, origin);
  const site = await server.must('list_network_requests', { sessionId, limit: 100 });
  const siteLines = Number(site.structured?.['returned']);
  const login = await server.must('list_network_requests', { sessionId, urlFilter: '/api/login', method: 'POST' });
  const index = (login.structured?.['indexes'] as number[] | undefined)?.[0];
  if (index === undefined) throw new Error(`no login POST captured: ${login.text}`);
  const details = await server.must('get_request_details', { sessionId, index });
  await server.must('stop_network_capture', { sessionId }, 120_000);
  const listing = toolsListBytes((await server.inner.client.listTools()).tools);
  return {
    listOf100: { textBytes: list.textBytes, resultBytes: list.resultBytes, lines, ...perLine(list, lines) },
    listSitePage: { textBytes: site.textBytes, resultBytes: site.resultBytes, lines: siteLines, ...perLine(site, siteLines) },
    loginDetails: { textBytes: details.textBytes, resultBytes: details.resultBytes },
    sampleLines: list.text.split('\n').slice(0, 4),
    toolsListBytes: listing.all,
    coreToolsListBytes: listing.core,
  };
}
