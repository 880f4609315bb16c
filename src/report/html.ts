/**
 * The report as one self-contained HTML file: inline CSS and script, data embedded as JSON, a Content-Security-Policy
 * that forbids every external load and fetch, so it opens from `file://` with the network unplugged. Pure.
 */
import type { Har } from '../har/types.js';
import { reportData, type ReportLimits, DEFAULT_REPORT_LIMITS } from './data.js';
import { REPORT_PAGE_SCRIPT } from './page-script.js';

const TYPE_COLOURS: Record<string, string> = {
  document: '#1f6feb',
  script: '#d29922',
  stylesheet: '#8250df',
  image: '#2da44e',
  font: '#bf3989',
  fetch: '#0a7ea4',
  xhr: '#0a7ea4',
  websocket: '#57606a',
  eventsource: '#9a6700',
  media: '#1a7f37',
  other: '#6e7781',
};

const PHASE_COLOURS: Record<string, string> = {
  blocked: '#d0d7de',
  dns: '#54aeff',
  connect: '#fb8f44',
  ssl: '#c297ff',
  send: '#4ac26b',
  unknown: 'repeating-linear-gradient(45deg,#eaeef2 0 3px,#afb8c1 3px 5px)',
};

function styles(): string {
  const typeRules = Object.entries(TYPE_COLOURS)
    .map(
      ([type, colour]) =>
        `.t-${type} .c-k{color:${colour}}.t-${type} .p-wait{background:${colour};opacity:.55}.t-${type} .p-receive{background:${colour}}`,
    )
    .join('');
  const phaseRules = Object.entries(PHASE_COLOURS)
    .map(([phase, colour]) => `.p-${phase}{background:${colour}}`)
    .join('');
  return `*{box-sizing:border-box}body{margin:0;font:12px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1f2328;background:#fff}
header{padding:10px 14px;border-bottom:1px solid #d0d7de}h1{font-size:16px;margin:0}#meta{color:#57606a}
#summary{display:flex;gap:10px;padding:8px 14px;flex-wrap:wrap;border-bottom:1px solid #d0d7de}
.card{border:1px solid #d0d7de;border-radius:6px;padding:6px 8px;min-width:150px;max-width:320px}.card h3{margin:0 0 4px;font-size:12px}
.card ul{list-style:none;margin:0;padding:0}.card li{display:flex;justify-content:space-between;gap:10px;white-space:nowrap}
.card .k{overflow:hidden;text-overflow:ellipsis}.card .v{color:#57606a}.link{cursor:pointer}.link:hover .k{text-decoration:underline}
#toolbar{display:flex;gap:12px;align-items:center;padding:6px 14px;border-bottom:1px solid #d0d7de;flex-wrap:wrap}
#filter{width:380px;padding:4px 6px;font:inherit}#legend{display:flex;gap:8px;color:#57606a}#legend i{display:inline-block;width:10px;height:10px;margin-right:3px;vertical-align:middle}
#main{display:flex;height:calc(100vh - 200px);min-height:300px}#grid{flex:1;display:flex;flex-direction:column;min-width:0}
.cols,.row{display:flex;align-items:center;height:22px;white-space:nowrap}.cols{border-bottom:1px solid #d0d7de;font-weight:600;background:#f6f8fa}
.c-i{width:48px;text-align:right;padding-right:6px;color:#57606a}.c-m{width:58px}.c-u{width:28%;overflow:hidden;text-overflow:ellipsis;padding-right:6px}
.c-s{width:58px}.c-k{width:78px}.c-z{width:68px;text-align:right;padding-right:8px}.c-d{width:64px;text-align:right;padding-right:8px}
.c-w{flex:1;position:relative;height:100%;overflow:hidden}#wf-head{flex:1;position:relative;height:100%}#axis .tick{position:absolute;top:3px;font-weight:400;color:#57606a;border-left:1px solid #afb8c1;padding-left:2px}
#scroll{flex:1;overflow-y:auto;position:relative}#spacer{position:relative}#rows{position:absolute;inset:0}
.row{position:absolute;left:0;right:0;border-bottom:1px solid #f0f2f4;cursor:pointer}.row:hover{background:#f6f8fa}.row.selected{background:#ddf4ff}
.row.failed .c-u,.row.failed .c-s{color:#cf222e;font-weight:600}
.bar{position:absolute;top:6px;height:10px}.seg{position:absolute;top:0;height:10px}.dot{width:3px}
.tick-ws,.tick-sse{position:absolute;top:2px;width:2px;height:18px;background:#57606a}.tick-ws.sent{background:#0969da}.tick-sse{background:#9a6700}
.nav{position:absolute;top:0;bottom:-1px;border-left:1px dashed #cf222e;pointer-events:none}
#details{width:380px;border-left:1px solid #d0d7de;overflow:auto;padding:8px 10px}#details h2{font-size:14px;margin:0 0 4px}#details h3{font-size:12px;margin:10px 0 4px}
#details .url{word-break:break-all;color:#57606a}#details table{border-collapse:collapse;width:100%}#details th{text-align:left;vertical-align:top;padding:1px 6px 1px 0;white-space:nowrap;color:#57606a;font-weight:500}
#details td{word-break:break-all}#details pre{white-space:pre-wrap;word-break:break-all;background:#f6f8fa;padding:6px;margin:0;max-height:260px;overflow:auto}.note{color:#57606a}
${phaseRules}${typeRules}`;
}

function legend(): string {
  const phases = ['blocked', 'dns', 'connect', 'ssl', 'send', 'unknown']
    .map((phase) => `<span><i class="p-${phase}"></i>${phase === 'ssl' ? 'tls' : phase}</span>`)
    .join('');
  return `${phases}<span><i style="background:#0a7ea4;opacity:.55"></i>wait</span><span><i style="background:#0a7ea4"></i>receive (colour: type)</span><span><i style="background:#0969da"></i>WS sent</span><span><i style="background:#57606a"></i>WS received</span><span><i style="background:#9a6700"></i>SSE</span><span><i style="border-left:1px dashed #cf222e"></i>navigation</span>`;
}

/** JSON safe inside a `<script>` element: no `<` (so no `</script>` or `<!--`), no U+2028/2029 line breaks. */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** The whole report page for a (redacted) HAR. */
export function renderReport(har: Har, title: string, limits: ReportLimits = DEFAULT_REPORT_LIMITS): string {
  const data = reportData(har, title, limits);
  const csp = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; connect-src 'none'";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${styles()}</style></head>
<body>
<header><h1 id="title"></h1><div id="meta"></div></header>
<div id="summary"></div>
<div id="toolbar"><input id="filter" type="search" placeholder="Filter: URL text, method, status (404, 4xx, failed), type" aria-label="Filter requests"><span id="count"></span><span id="legend">${legend()}</span></div>
<div id="main"><div id="grid">
<div class="cols" id="cols"><span class="c-i">#</span><span class="c-m">Method</span><span class="c-u">URL</span><span class="c-s">Status</span><span class="c-k">Type</span><span class="c-z">Size</span><span class="c-d">Time</span><span id="wf-head"><span id="axis"></span></span></div>
<div id="scroll"><div id="spacer"><div id="rows"></div></div></div>
</div><aside id="details"><p class="note">Click a request to see its headers, bodies and frames (secrets redacted).</p></aside></div>
<script type="application/json" id="report-data">${scriptSafeJson(data)}</script>
<script>${REPORT_PAGE_SCRIPT}</script>
</body></html>
`;
}
