/**
 * The report page's script, as source text (plain ES2019, no dependencies). It reads the embedded data, draws the
 * summary, a virtualized waterfall (only the rows in view exist in the DOM, so 10k rows stay fast), the filter and
 * the details panel. Every captured value is put into the page with `textContent`, never as HTML.
 */
export const REPORT_PAGE_SCRIPT = String.raw`(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var PHASES = ['blocked', 'dns', 'connect', 'ssl', 'send', 'wait', 'receive', 'unknown'];
  var ROW = 22;
  var rows = data.rows;
  var shown = rows.map(function (_r, i) { return i; });
  var selected = -1;
  var scroll = document.getElementById('scroll');
  var spacer = document.getElementById('spacer');
  var axis = document.getElementById('axis');
  var detailsPanel = document.getElementById('details');
  var span = Math.max(1, data.summary.span * 1.02);

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = String(text);
    return node;
  }
  function bytes(n) {
    if (n < 0) return '?';
    if (n < 1024) return n + ' B';
    if (n < 1048576) return (n / 1024).toFixed(1) + ' KB';
    return (n / 1048576).toFixed(1) + ' MB';
  }
  function ms(n) {
    if (n < 0) return '?';
    return n < 1000 ? n.toFixed(n < 10 ? 1 : 0) + ' ms' : (n / 1000).toFixed(2) + ' s';
  }
  function pathOf(url) {
    try {
      var u = new URL(url);
      return (u.pathname + u.search) || url;
    } catch (e) {
      return url;
    }
  }
  /** The row's status class as the data names it (the summary counts the same classes). */
  function klass(row) {
    return row.e !== undefined ? 'failed' : data.statusClasses[row.s];
  }
  function statusText(row) {
    if (row.e !== undefined) return 'ERR';
    return row.s === 0 ? '—' : String(row.s);
  }

  // ---- summary ----
  function card(title, entries) {
    var box = el('div', 'card');
    box.appendChild(el('h3', '', title));
    var list = el('ul');
    entries.forEach(function (entry) {
      var item = el('li');
      item.appendChild(el('span', 'k', entry[0]));
      item.appendChild(el('span', 'v', entry[1]));
      if (entry[2] !== undefined) {
        item.className = 'link';
        item.addEventListener('click', function () { select(entry[2], true); });
      }
      list.appendChild(item);
    });
    box.appendChild(list);
    return box;
  }
  function sorted(counts, limit) {
    return Object.keys(counts).sort(function (a, b) { return counts[b] - counts[a]; }).slice(0, limit).map(function (key) { return [key, counts[key]]; });
  }
  var summary = document.getElementById('summary');
  var s = data.summary;
  summary.appendChild(card('Requests', [['total', s.requests], ['failed or ≥ 400', s.failed], ['bytes', bytes(s.bytes)], ['span', ms(s.span)]]));
  summary.appendChild(card('By type', sorted(s.byType, 8)));
  summary.appendChild(card('By status', sorted(s.byStatus, 8)));
  summary.appendChild(card('By host', sorted(s.byHost, 8)));
  summary.appendChild(card('Slowest', s.slowest.map(function (i) { return ['[' + i + '] ' + pathOf(rows[i].u).slice(0, 40), ms(rows[i].d), i]; })));
  summary.appendChild(card('Largest', s.largest.map(function (i) { return ['[' + i + '] ' + pathOf(rows[i].u).slice(0, 40), bytes(rows[i].z), i]; })));

  // ---- waterfall ----
  function waterfallWidth() {
    var head = document.getElementById('wf-head');
    document.getElementById('cols').style.paddingRight = (scroll.offsetWidth - scroll.clientWidth) + 'px';
    return Math.max(100, head.getBoundingClientRect().width - 8);
  }
  function drawAxis() {
    axis.textContent = '';
    var width = waterfallWidth();
    var steps = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000, 20000, 30000, 60000, 120000, 300000, 600000];
    var step = steps[steps.length - 1];
    for (var i = 0; i < steps.length; i++) if (span / steps[i] <= Math.max(2, Math.floor(width / 60))) { step = steps[i]; break; }
    for (var t = 0; t <= span; t += step) {
      var tick = el('span', 'tick', ms(t));
      tick.style.left = (t / span) * width + 'px';
      axis.appendChild(tick);
    }
  }
  function matches(row, index, tokens) {
    for (var i = 0; i < tokens.length; i++) {
      var token = tokens[i];
      var hit =
        row.u.toLowerCase().indexOf(token) !== -1 ||
        row.m.toLowerCase() === token ||
        row.k === token ||
        statusText(row).toLowerCase() === token ||
        klass(row) === token ||
        '[' + index + ']' === token;
      if (!hit) return false;
    }
    return true;
  }
  function applyFilter() {
    var tokens = document.getElementById('filter').value.toLowerCase().split(/\s+/).filter(Boolean);
    shown = [];
    for (var i = 0; i < rows.length; i++) if (matches(rows[i], i, tokens)) shown.push(i);
    document.getElementById('count').textContent = shown.length + ' of ' + rows.length + ' requests';
    spacer.style.height = shown.length * ROW + 'px';
    render(true);
  }
  var drawn = { first: -1, last: -1, width: -1 };
  function render(force) {
    var width = waterfallWidth();
    var first = Math.max(0, Math.floor(scroll.scrollTop / ROW) - 10);
    var last = Math.min(shown.length, Math.ceil((scroll.scrollTop + scroll.clientHeight) / ROW) + 10);
    if (!force && first === drawn.first && last === drawn.last && width === drawn.width) return;
    drawn = { first: first, last: last, width: width };
    var layer = document.getElementById('rows');
    layer.textContent = '';
    var scale = width / span;
    for (var p = first; p < last; p++) layer.appendChild(rowNode(shown[p], p, scale));
  }
  function rowNode(index, position, scale) {
    var row = rows[index];
    var node = el('div', 'row t-' + row.k + (klass(row) === 'failed' || row.s >= 400 ? ' failed' : '') + (index === selected ? ' selected' : ''));
    node.style.top = position * ROW + 'px';
    node.dataset.row = String(index);
    node.appendChild(el('span', 'c-i', index));
    node.appendChild(el('span', 'c-m', row.m));
    var name = el('span', 'c-u', pathOf(row.u));
    name.title = row.u;
    node.appendChild(name);
    node.appendChild(el('span', 'c-s', statusText(row) + (row.r !== undefined ? ' →' + row.r : '')));
    node.appendChild(el('span', 'c-k', row.k));
    node.appendChild(el('span', 'c-z', bytes(row.z)));
    node.appendChild(el('span', 'c-d', ms(row.d)));
    var wf = el('span', 'c-w');
    data.navs.forEach(function (t) {
      var mark = el('span', 'nav');
      mark.style.left = t * scale + 'px';
      wf.appendChild(mark);
    });
    var bar = el('span', 'bar');
    bar.style.left = row.t * scale + 'px';
    var total = 0;
    row.b.forEach(function (segment) {
      var piece = el('span', 'seg p-' + PHASES[segment[0]]);
      piece.style.left = segment[1] * scale + 'px';
      piece.style.width = Math.max(1, segment[2] * scale) + 'px';
      piece.title = PHASES[segment[0]] + ' ' + ms(segment[2]);
      bar.appendChild(piece);
      total = Math.max(total, segment[1] + segment[2]);
    });
    if (row.b.length === 0) bar.appendChild(el('span', 'seg p-unknown dot'));
    wf.appendChild(bar);
    (row.w || []).forEach(function (t, i) {
      var tick = el('span', 'tick-ws' + ((row.o || []).indexOf(i) !== -1 ? ' sent' : ''));
      tick.style.left = t * scale + 'px';
      wf.appendChild(tick);
    });
    (row.v || []).forEach(function (t) {
      var tick = el('span', 'tick-sse');
      tick.style.left = t * scale + 'px';
      wf.appendChild(tick);
    });
    node.appendChild(wf);
    node.addEventListener('click', function () { select(index, false); });
    return node;
  }

  // ---- details ----
  function section(title, pairs) {
    var box = el('section');
    box.appendChild(el('h3', '', title));
    var table = el('table');
    pairs.forEach(function (pair) {
      var tr = el('tr');
      tr.appendChild(el('th', '', pair[0]));
      tr.appendChild(el('td', '', pair[1]));
      table.appendChild(tr);
    });
    box.appendChild(table);
    return box;
  }
  function select(index, reveal) {
    selected = index;
    var row = rows[index];
    var d = data.details[index];
    detailsPanel.textContent = '';
    detailsPanel.appendChild(el('h2', '', '[' + index + '] ' + row.m + ' ' + statusText(row)));
    detailsPanel.appendChild(el('div', 'url', row.u));
    var facts = [['type', row.k], ['size', bytes(row.z)], ['time', ms(row.d)], ['start', ms(row.t)]];
    if (row.e !== undefined) facts.push(['error', row.e]);
    if (row.r !== undefined) facts.push(['redirects to', '[' + row.r + '] ' + rows[row.r].u]);
    row.b.forEach(function (segment) { facts.push([PHASES[segment[0]], ms(segment[2])]); });
    detailsPanel.appendChild(section('Request', facts));
    if (!d) {
      detailsPanel.appendChild(el('p', 'note', 'Headers and bodies of this request are not embedded (the report keeps its size bounded).'));
    } else {
      detailsPanel.appendChild(section('Request headers', d.rq));
      if (d.qb !== undefined) { detailsPanel.appendChild(el('h3', '', 'Request body')); detailsPanel.appendChild(el('pre', '', d.qb)); }
      detailsPanel.appendChild(section('Response headers', d.rs));
      if (d.sb !== undefined) { detailsPanel.appendChild(el('h3', '', 'Response body')); detailsPanel.appendChild(el('pre', '', d.sb)); }
      if (d.fr) detailsPanel.appendChild(section('Frames / events', d.fr.map(function (f) { return [f[0] + ' ' + ms(f[1]), f[2]]; })));
    }
    if (reveal) {
      var position = shown.indexOf(index);
      if (position === -1) { document.getElementById('filter').value = ''; applyFilter(); position = index; }
      scroll.scrollTop = Math.max(0, position * ROW - 3 * ROW);
    }
    render(true);
  }

  document.getElementById('title').textContent = data.title;
  document.getElementById('meta').textContent =
    (data.creator ? data.creator + ' · ' : '') + new Date(data.start).toISOString().replace('T', ' ').slice(0, 19) + ' UTC' +
    (data.detailsOmitted > 0 ? ' · details omitted for ' + data.detailsOmitted + ' requests' : '');
  document.getElementById('filter').addEventListener('input', applyFilter);
  scroll.addEventListener('scroll', function () { render(false); });
  window.addEventListener('resize', function () { drawAxis(); render(true); });
  drawAxis();
  applyFilter();
  var wanted = /^#r=(\d+)$/.exec(location.hash);
  if (wanted && rows[Number(wanted[1])]) select(Number(wanted[1]), true);
  window.__report = { rows: rows.length, shown: function () { return shown.length; }, select: select, readyAt: performance.now() };
  document.body.setAttribute('data-ready', '1');
})();`;
