"""The explorer page's fixed parts (explore.py writes the page): its style sheet, the
controls' HTML, a first script that records every error and console warning (the
self-test reports them), and the script that draws the network and the curves from the
embedded data and answers the controls; with `#selftest` in the address it drives the
controls itself and writes what it drew as JSON into the page (tests/python/test_explore.py).
Plain ES2017 and SVG, no library."""

CSS = """
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; margin: 0;
       color: #1a1a1a; background: #fff; }
header { padding: 10px 22px 6px; border-bottom: 3px solid #0b2f6b; }
h1 { font-size: 22px; margin: 4px 0; color: #0b2f6b; }
h2 { font-size: 15px; margin: 4px 0 2px; color: #0b2f6b; }
p.sub { color: #555; margin: 2px 0; font-size: 13px; }
#controls { display: flex; flex-wrap: wrap; gap: 8px 18px; align-items: center;
            padding: 8px 22px; background: #f4f6fa; border-bottom: 1px solid #d8dce6;
            font-size: 14px; position: sticky; top: 0; z-index: 2; }
#controls label { white-space: nowrap; }
#slider { width: min(420px, 60vw); vertical-align: middle; }
#date { font-weight: bold; font-variant-numeric: tabular-nums; min-width: 11em;
        display: inline-block; }
#play { width: 5.2em; }
#scenarios label { margin-right: 10px; }
#layout { display: flex; flex-wrap: wrap; gap: 10px 24px; padding: 10px 22px; }
#netbox { flex: 1 1 560px; max-width: 760px; }
#net { width: 100%; height: auto; display: block; }
#side { flex: 1 1 480px; max-width: 700px; }
svg.chart { width: 100%; height: auto; display: block; }
.legend { font-size: 12px; margin: 0 0 10px 0; }
.legend span { margin-right: 12px; white-space: nowrap; }
.legend span.note { white-space: normal; display: block; margin-top: 2px; }
.legend i { display: inline-block; width: 18px; height: 4px; margin-right: 4px;
            vertical-align: middle; }
.node { cursor: pointer; }
.node .shape { stroke: #222; stroke-width: 1.2; }
.node.sel .shape { stroke: #000; stroke-width: 4; }
.node text { font-size: 19px; pointer-events: none; paint-order: stroke; stroke: #fff;
             stroke-width: 3px; }
.edge { fill: none; opacity: 0.55; }
.edge.hl { opacity: 0.95; }
.edge.dim { opacity: 0.3; }
#net.dense .node text { font-size: 14px; }
#net.dense2 .node text { font-size: 11px; }
.axis text { font-size: 11px; fill: #444; }
.axis line, .axis path { stroke: #999; fill: none; }
.grid line { stroke: #e6e8ee; }
.cursor { stroke: #111; stroke-width: 1.5; stroke-dasharray: 4 3; }
.zero { stroke: #555; stroke-width: 1; }
#tip { position: fixed; display: none; background: #fff; border: 1px solid #8892a6;
       box-shadow: 0 2px 8px rgba(0,0,0,0.2); padding: 6px 9px; font-size: 12px;
       max-width: 420px; z-index: 5; pointer-events: none; }
.info table { border-collapse: collapse; margin: 3px 0; }
.info { font-size: 12px; }
.info td, .info th { padding: 1px 6px; text-align: left; font-size: 12px; }
.info td.num { text-align: right; font-variant-numeric: tabular-nums; }
.info ul { margin: 2px 0; padding-left: 18px; }
.info .muted, .note { color: #555; font-size: 12px; }
#detail { border: 1px solid #d8dce6; padding: 6px 10px; margin-top: 6px; }
#notes { padding: 2px 22px 24px; font-size: 13px; max-width: 1400px; }
.dropped { background: #fff4e5; border-left: 5px solid #e08a00; padding: 6px 10px; }
.swatch { display: inline-block; width: 11px; height: 11px; border: 1px solid #333;
          margin-right: 4px; vertical-align: -1px; }
"""

BODY = """<div id="controls">
<button id="play" type="button" title="play the turns one after the other">&#9654; play</button>
<label><input id="slider" type="range" min="0" max="0" step="1" value="0"
  aria-label="turn"></label>
<span id="date"></span>
<span id="scenarios"></span>
<label id="diffbox" hidden><input id="diff" type="checkbox"> difference (what-if &minus; base)
</label>
<label>actor <select id="actor"></select></label>
<label>edges &ge; <select id="frac"></select> of the largest</label>
</div>
<div id="layout">
<div id="netbox"><h2 id="nettitle">Influence network</h2>
<svg id="net" viewBox="-620 -560 1240 1120" role="img" aria-label="influence network">
<defs id="markers"></defs><g id="edges"></g><g id="nodes"></g></svg>
<div id="netlegend" class="legend"></div></div>
<div id="side">
<h2 id="sharestitle">Influence shares</h2>
<svg id="shares" class="chart" viewBox="0 0 640 260"></svg>
<div id="shareslegend" class="legend"></div>
<h2 id="aligntitle">Alignment</h2>
<svg id="align" class="chart" viewBox="0 0 640 260"></svg>
<div id="alignlegend" class="legend"></div>
<div id="detail" class="info"></div>
</div></div>
<div id="notes"></div>
<div id="tip" class="info"></div>
<pre id="selftest-result" hidden></pre>"""

# Installed first, in its own element: catches the errors of the page's script, a syntax
# error included, so that the self-test reports them.
ERRORS_SCRIPT = r"""
window.__geosimErrors = [];
window.addEventListener("error", function (e) {
  window.__geosimErrors.push("error: " + (e.message || e.type) + " at line " + (e.lineno || "?"));
});
window.addEventListener("unhandledrejection", function (e) {
  window.__geosimErrors.push("unhandled rejection: " + e.reason);
});
(function () {
  var error = console.error, warn = console.warn;
  console.error = function () {
    window.__geosimErrors.push("console.error: " + Array.prototype.join.call(arguments, " "));
    error.apply(console, arguments);
  };
  console.warn = function () {
    window.__geosimErrors.push("console.warn: " + Array.prototype.join.call(arguments, " "));
    warn.apply(console, arguments);
  };
})();
"""

SCRIPT = r"""
"use strict";
(function () {
const started = performance.now();
const D = JSON.parse(document.getElementById("geosim-data").textContent);
const T = D.dates.length, N = D.actors.length, P = D.poles.length;
const PATRONS = D.patrons, NP = PATRONS.length;
const SVG = "http://www.w3.org/2000/svg";
const $ = (id) => document.getElementById(id);
const INC = "#1a9850", DEC = "#c51b7d";
const state = { t: T - 1, s: 0, diff: false, sel: 0, frac: D.defaultFrac, timer: null };

function el(tag, attrs, parent) {
  const e = document.createElementNS(SVG, tag);
  for (const k in attrs) e.setAttribute(k, attrs[k]);
  if (parent) parent.appendChild(e);
  return e;
}
function esc(s) {
  return String(s).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
}
const ok = (v) => v !== null && v !== undefined && isFinite(v);
function sig(v, d) {
  if (!ok(v)) return "n/a";
  const a = Math.abs(v);
  if (a === 0) return "0";
  if (a < 1e-3) return v.toPrecision(d || 4);
  if (a >= 1e5) return Math.round(v).toLocaleString("en-US");
  return Number(v.toPrecision(d || 4)).toLocaleString("en-US", { maximumSignificantDigits: d || 4 });
}
const pct = (v) => ok(v) ? (100 * v).toFixed(1) + "%" : "n/a";
const pp = (v) => ok(v) ? (v >= 0 ? "+" : "\u2212") + Math.abs(100 * v).toFixed(2) + " pp" : "n/a";
const signed = (v) => ok(v) ? (v >= 0 ? "+" : "\u2212") + sig(Math.abs(v)) : "n/a";
const code = (i) => D.actors[i][0];
const short = (i) => D.actors[i][1];
const diffMode = () => state.diff && state.s > 0;
const scen = () => D.scen[state.s];
const dif = () => D.diff[state.s - 1];

// ---- the network ------------------------------------------------------------------------
const RING = 440;
const pos = D.pos.map((p) => [p[0] * RING, -p[1] * RING]);
const outer = D.actors.filter((a, i) => !PATRONS.includes(i)).length;
const spacing = 2 * Math.PI * RING / Math.max(1, outer);
const RMAX = Math.max(9, Math.min(38, 0.45 * spacing));
if (N > 30) $("net").classList.add(N > 60 ? "dense2" : "dense");
// area as run_figures' network: 150 + 1400 sqrt(gdp / the largest gdp), in points^2
const radius = (g) => RMAX * Math.sqrt((150 + 1400 * Math.sqrt(Math.max(0, ok(g) ? g : 0) / D.gdpMax)) / 1550);

function poleOf(sc, t, i) {
  if (D.patronPole[i] >= 0) return D.patronPole[i];
  const a = sc.al[t][i];
  let best = -1, bv = -Infinity;
  for (let p = 0; p < P; p++) if (ok(a[p]) && a[p] > bv) { bv = a[p]; best = p; }
  return best;
}
const poleColour = (p) => p >= 0 ? D.poles[p][2] : D.grey;

const markers = $("markers");
function marker(colour) {
  const id = "m" + colour.replace(/[^0-9a-zA-Z]/g, "");
  if (!document.getElementById(id)) {
    const m = el("marker", { id: id, viewBox: "0 0 10 10", refX: "7", refY: "5",
      markerWidth: "2.6", markerHeight: "2.6", orient: "auto" }, markers);
    el("path", { d: "M0,0 L10,5 L0,10 z", fill: colour }, m);
  }
  return "url(#" + id + ")";
}

const nodesG = $("nodes"), edgesG = $("edges");
const nodes = D.actors.map((a, i) => {
  const g = el("g", { class: "node", "data-code": a[0], "data-index": i, tabindex: "0" }, nodesG);
  const [x, y] = pos[i];
  const patron = a[2] === "patron";
  const shape = patron ? el("rect", { class: "shape" }, g) : el("circle", { class: "shape", cx: x.toFixed(1), cy: y.toFixed(1) }, g);
  const r = Math.hypot(x, y);
  const ux = r ? x / r : 0, uy = r ? y / r : -1;
  const label = el("text", {}, g);
  label.textContent = N > 30 ? a[0] : a[1];
  return { g: g, shape: shape, label: label, x: x, y: y, ux: ux, uy: uy, patron: patron, r: 0 };
});

const pool = new Map();
let shown = [];
function edgeElement(i, j) {
  const key = i * N + j;
  let e = pool.get(key);
  if (!e) {
    e = el("path", { class: "edge", "data-i": i, "data-j": j });
    pool.set(key, e);
  }
  return e;
}
function edgePath(i, j) {
  const a = nodes[i], b = nodes[j];
  const dx = b.x - a.x, dy = b.y - a.y, len = Math.hypot(dx, dy) || 1;
  const cx = (a.x + b.x) / 2 + 0.12 * dy, cy = (a.y + b.y) / 2 - 0.12 * dx;
  const sx = cx - a.x, sy = cy - a.y, sl = Math.hypot(sx, sy) || 1;
  const ex = b.x - cx, ey = b.y - cy, el2 = Math.hypot(ex, ey) || 1;
  const x0 = a.x + sx / sl * a.r, y0 = a.y + sy / sl * a.r;
  const x1 = b.x - ex / el2 * (b.r + 3), y1 = b.y - ey / el2 * (b.r + 3);
  return "M" + x0.toFixed(1) + "," + y0.toFixed(1) + "Q" + cx.toFixed(1) + "," + cy.toFixed(1) +
    " " + x1.toFixed(1) + "," + y1.toFixed(1);
}

function drawNetwork() {
  const t = state.t, sc = scen(), dm = diffMode();
  const poles = new Array(N);
  for (let i = 0; i < N; i++) {
    const n = nodes[i];
    const g = sc.gdp[t][i];
    const r = radius(g);
    n.r = r;
    const p = poleOf(sc, t, i);
    poles[i] = p;
    const fill = poleColour(p);
    if (n.patron) {
      const h = r * 0.9;
      n.shape.setAttribute("x", (n.x - h).toFixed(1));
      n.shape.setAttribute("y", (n.y - h).toFixed(1));
      n.shape.setAttribute("width", (2 * h).toFixed(1));
      n.shape.setAttribute("height", (2 * h).toFixed(1));
    } else {
      n.shape.setAttribute("r", r.toFixed(2));
    }
    n.shape.setAttribute("fill", fill);
    n.g.setAttribute("data-r", r.toFixed(2));
    n.g.setAttribute("data-pole", p >= 0 ? D.poles[p][0] : "");
    n.g.classList.toggle("sel", i === state.sel);
    const lx = n.patron ? n.x : n.x + n.ux * (r + 8), ly = n.patron ? n.y + 5 : n.y + n.uy * (r + 8) + 5;
    n.label.setAttribute("x", lx.toFixed(1));
    n.label.setAttribute("y", ly.toFixed(1));
    n.label.setAttribute("text-anchor", n.patron ? "middle" : n.ux > 0.3 ? "start" : n.ux < -0.3 ? "end" : "middle");
  }
  const E = dm ? dif().E[t] : sc.E[t];
  const vmax = dm ? D.dmax : D.edgeMax;
  const cut = state.frac * vmax;
  const now = [];
  for (let k = 0; k < E.length; k += 3) {
    const i = E[k], j = E[k + 1], v = E[k + 2];
    if (Math.abs(v) < cut) continue;
    const e = edgeElement(i, j);
    const colour = dm ? (v >= 0 ? INC : DEC) : poleColour(poles[i]);
    e.setAttribute("d", edgePath(i, j));
    e.setAttribute("stroke-width", Math.max(0.6, 10 * Math.abs(v) / vmax).toFixed(2));
    e.setAttribute("data-v", v);
    // attributes that seldom change between turns: set only when they do
    if (e.__colour !== colour) {
      e.__colour = colour;
      e.setAttribute("stroke", colour);
      e.setAttribute("marker-end", marker(colour));
    }
    const dash = dm && v < 0;
    if (e.__dash !== dash) {
      e.__dash = dash;
      if (dash) e.setAttribute("stroke-dasharray", "7 4"); else e.removeAttribute("stroke-dasharray");
    }
    const cls = "edge" + (state.sel === i || state.sel === j ? " hl" : " dim");
    if (e.__cls !== cls) { e.__cls = cls; e.setAttribute("class", cls); }
    e.__shown = true;
    edgesG.appendChild(e);  // in ascending |v|: the strongest on top
    now.push(e);
  }
  for (const e of shown) if (!e.__shown) e.remove();
  for (const e of now) e.__shown = false;
  shown = now;
}

// ---- the curves --------------------------------------------------------------------------
const W = 640, H = 260, M = { l: 52, r: 14, t: 12, b: 30 };
function makeChart(id) {
  const svg = $(id);
  const grid = el("g", { class: "grid" }, svg);
  const axis = el("g", { class: "axis" }, svg);
  const bands = el("g", {}, svg);
  const lines = el("g", {}, svg);
  const cursor = el("line", { class: "cursor", y1: M.t, y2: H - M.b }, svg);
  return { svg: svg, grid: grid, axis: axis, bands: bands, lines: lines, cursor: cursor, y0: 0, y1: 1 };
}
const charts = { shares: makeChart("shares"), align: makeChart("align") };
const xOf = (t) => M.l + (T > 1 ? t * (W - M.l - M.r) / (T - 1) : (W - M.l - M.r) / 2);
function niceStep(span) {
  const raw = span / 5, mag = Math.pow(10, Math.floor(Math.log10(raw)));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * mag >= raw) return m * mag;
  return 10 * mag;
}
function drawChart(c, series, dm, unit) {
  // series: [{key, label, colour, dash, v: [T], lo: [T] | null, hi: [T] | null}], values in
  // share units (x 100 on the axis: percent, or percentage points in difference mode)
  let lo = Infinity, hi = -Infinity;
  for (const s of series) for (const arr of [s.v, s.lo, s.hi]) if (arr) for (const x of arr) if (ok(x)) { lo = Math.min(lo, x); hi = Math.max(hi, x); }
  if (!isFinite(lo)) { lo = 0; hi = dm ? 0.01 : 1; }
  let y0, y1;
  if (dm) { const m = Math.max(Math.abs(lo), Math.abs(hi), 1e-4) * 1.08; y0 = -m; y1 = m; }
  else { y0 = Math.min(0, lo); y1 = Math.min(1, Math.max(hi * 1.08, 0.01)); if (hi > 1) y1 = hi * 1.05; }
  c.y0 = y0; c.y1 = y1;
  const yOf = (v) => H - M.b - (v - y0) / (y1 - y0) * (H - M.t - M.b);
  c.svg.setAttribute("data-y0", y0); c.svg.setAttribute("data-y1", y1);
  c.svg.setAttribute("data-top", M.t); c.svg.setAttribute("data-bottom", H - M.b);
  c.svg.setAttribute("data-x0", xOf(0)); c.svg.setAttribute("data-x1", xOf(T - 1));
  c.grid.textContent = ""; c.axis.textContent = ""; c.bands.textContent = ""; c.lines.textContent = "";
  const step = niceStep(100 * (y1 - y0)) / 100;
  for (let v = Math.ceil(y0 / step) * step; v <= y1 + 1e-12; v += step) {
    const y = yOf(v).toFixed(1);
    el("line", { x1: M.l, x2: W - M.r, y1: y, y2: y }, c.grid);
    const tx = el("text", { x: M.l - 5, y: +y + 4, "text-anchor": "end" }, c.axis);
    const num = Math.round(100 * v * 1000) / 1000;
    tx.textContent = (dm && num > 0 ? "+" : "") + num + (dm ? "" : "%");
  }
  if (dm) el("line", { class: "zero", x1: M.l, x2: W - M.r, y1: yOf(0).toFixed(1), y2: yOf(0).toFixed(1) }, c.grid);
  el("path", { d: "M" + M.l + "," + M.t + "V" + (H - M.b) + "H" + (W - M.r) }, c.axis);
  let lastYear = null;
  const every = Math.max(1, Math.ceil(T / 12));
  for (let t = 0; t < T; t++) {
    const year = D.dates[t].slice(0, 4), monthText = D.dates[t].slice(5, 7);
    const label = year !== lastYear ? year : (t % every === 0 && T <= 48 ? monthText : null);
    if (year !== lastYear || t % every === 0) {
      el("line", { x1: xOf(t).toFixed(1), x2: xOf(t).toFixed(1), y1: H - M.b, y2: H - M.b + 4 }, c.axis);
    }
    if (label) {
      const tx = el("text", { x: xOf(t).toFixed(1), y: H - M.b + 16, "text-anchor": "middle" }, c.axis);
      tx.textContent = label;
    }
    lastYear = year;
  }
  const ax = el("text", { transform: "translate(12," + ((H - M.b + M.t) / 2) + ") rotate(-90)", "text-anchor": "middle" }, c.axis);
  ax.textContent = unit;
  for (const s of series) {
    if (s.lo && s.hi) {
      let d = "", run = [];
      const flush = () => {
        if (run.length) {
          d += "M" + run.map((t) => xOf(t).toFixed(2) + "," + yOf(s.hi[t]).toFixed(2)).join("L") +
            "L" + run.slice().reverse().map((t) => xOf(t).toFixed(2) + "," + yOf(s.lo[t]).toFixed(2)).join("L") + "Z";
        }
        run = [];
      };
      for (let t = 0; t < T; t++) { if (ok(s.lo[t]) && ok(s.hi[t])) run.push(t); else flush(); }
      flush();
      if (d) el("path", { class: "band", d: d, fill: s.colour, "fill-opacity": "0.16", stroke: "none", "data-key": s.key }, c.bands);
    }
    let d = "", pen = false;
    for (let t = 0; t < T; t++) {
      if (ok(s.v[t])) { d += (pen ? "L" : "M") + xOf(t).toFixed(2) + "," + yOf(s.v[t]).toFixed(2); pen = true; }
      else pen = false;
    }
    const attrs = { class: "series", d: d, fill: "none", stroke: s.colour, "stroke-width": "2.2", "data-key": s.key };
    if (s.dash) attrs["stroke-dasharray"] = s.dash;
    el("path", attrs, c.lines);
  }
}
function legend(id, series, note) {
  $(id).innerHTML = series.map((s) => '<span><i style="background:' + s.colour + (s.dash ? ";height:2px;border-top:2px dashed " + s.colour + ";background:none" : "") + '"></i>' + esc(s.label) + "</span>").join("") +
    (note ? '<span class="note">' + esc(note) + "</span>" : "");
}
// sh[t][patron][actor], al[t][actor][pole]: one actor's values over time
function shareColumn(arr3, k, i) { return arr3 ? arr3.map((row) => row[k][i]) : null; }
function alignColumn(arr3, i, p) { return arr3 ? arr3.map((row) => row[i][p]) : null; }
function drawCurves() {
  const i = state.sel, sc = scen(), dm = diffMode(), d = dm ? dif() : null;
  const src = dm ? d : sc;
  const shares = PATRONS.map((p, k) => ({
    key: "share:" + code(p), label: short(p), colour: D.actorColour[p],
    v: shareColumn(src.sh, k, i), lo: shareColumn(src.shLo, k, i), hi: shareColumn(src.shHi, k, i) }));
  shares.push({ key: "hedging", label: "hedging index", colour: "#555555", dash: "5 4",
    v: src.hd.map((row) => row[i]), lo: null, hi: null });
  const align = D.poles.map((p, k) => ({
    key: "align:" + p[0], label: p[1], colour: p[2],
    v: alignColumn(src.al, i, k), lo: alignColumn(src.alLo, i, k), hi: alignColumn(src.alHi, i, k) }));
  const who = D.actors[i][3];
  const which = dm ? " \u2014 " + sc.name + " \u2212 base" : D.scen.length > 1 ? " \u2014 " + sc.name : "";
  $("sharestitle").textContent = "Patrons' influence shares over " + who + which;
  $("aligntitle").textContent = "Alignment of " + who + " with each pole" + which;
  const bandNote = dm ? "bands: " + Math.round(100 * D.ciLevel) + "% interval of the mean paired difference"
    : (sc.shLo ? "bands: 5\u201395% of the " + D.replicates + " replicates" : "");
  drawChart(charts.shares, shares, dm, dm ? "pp" : "share");
  drawChart(charts.align, align, dm, dm ? "pp" : "alignment");
  legend("shareslegend", shares, bandNote);
  legend("alignlegend", align, bandNote);
  drawCursor();
}
function drawCursor() {
  for (const c of [charts.shares, charts.align]) {
    const x = xOf(state.t).toFixed(2);
    c.cursor.setAttribute("x1", x); c.cursor.setAttribute("x2", x);
    c.cursor.setAttribute("data-turn", state.t);
  }
}

// ---- numbers and events of an actor at the turn -------------------------------------------
const eventIndex = D.scen.map((sc) => {
  const byTurn = Array.from({ length: T }, () => []);
  for (const e of sc.ev) if (e[0] >= 0 && e[0] < T) byTurn[e[0]].push(e);
  return byTurn;
});
function touches(e, c) {
  if (e[1] === c) return true;
  if (D.nonActorTargets[e[2]]) return false;
  return e[3].split(",").includes(c);
}
function eventText(e) {
  const words = D.actionWords[e[2]] || e[2].replace(/_/g, " ");
  const kindOf = D.nonActorTargets[e[2]];
  const names = {}; D.actors.forEach((a) => { names[a[0]] = a[1]; });
  const whom = e[3] ? e[3].split(",").map((c) => kindOf ? kindOf + " " + c : (names[c] || c)).join(", ") : "";
  const who = e[1] ? (names[e[1]] || e[1]) : "";
  return (e[6] ? e[6] + ": " : "") + (who ? who + ": " : "") + words + (whom ? " \u2192 " + whom : "") + (e[4] ? ", " + e[4] : "") + " (" + e[5] + ")";
}
const MAX_LISTED = 12;
function actorInfo(i) {
  const t = state.t, sc = scen(), dm = diffMode(), d = dm ? dif() : null, base = D.scen[0];
  const a = D.actors[i];
  let h = "<b>" + esc(a[3]) + "</b> (" + esc(a[0]) + ", " + esc(a[2].replace(/_/g, " ")) + ") \u2014 " +
    esc(D.dates[t]) + (D.scen.length > 1 ? ", " + esc(sc.name) + (dm ? " against the base" : "") : "") +
    (D.replicates && D.kind === "replicates" ? ", mean of " + D.replicates + " replicates" : "") + "<table>";
  const band = (lo, hi, f) => lo ? ' <span class="muted">[' + f(lo) + ", " + f(hi) + "]</span>" : "";
  const row = (label, value, extra) => "<tr><td>" + esc(label) + '</td><td class="num">' + value + "</td><td>" + (extra || "") + "</td></tr>";
  if (dm) {
    h += "<tr><th></th><th>what-if</th><th>base, difference</th></tr>";
    h += row("gdp (USD bn/yr)", sig(sc.gdp[t][i]), sig(base.gdp[t][i]) + ", " + signed(d.gdp[t][i]));
    PATRONS.forEach((p, k) => { h += row(short(p) + "'s share", pct(sc.sh[t][k][i]), pct(base.sh[t][k][i]) + ", " + pp(d.sh[t][k][i]) + band(d.shLo[t][k][i], d.shHi[t][k][i], pp)); });
    D.poles.forEach((p, k) => { h += row("alignment " + p[0], pct(sc.al[t][i][k]), pct(base.al[t][i][k]) + ", " + pp(d.al[t][i][k]) + band(d.alLo[t][i][k], d.alHi[t][i][k], pp)); });
    h += row("hedging index", pct(sc.hd[t][i]), pct(base.hd[t][i]) + ", " + pp(d.hd[t][i]));
  } else {
    h += row("gdp (USD bn/yr)", sig(sc.gdp[t][i]));
    PATRONS.forEach((p, k) => { h += row(short(p) + "'s share", pct(sc.sh[t][k][i]), sc.shLo ? band(sc.shLo[t][k][i], sc.shHi[t][k][i], pct) : ""); });
    D.poles.forEach((p, k) => { h += row("alignment " + p[0], pct(sc.al[t][i][k]), sc.alLo ? band(sc.alLo[t][i][k], sc.alHi[t][i][k], pct) : ""); });
    h += row("hedging index", pct(sc.hd[t][i]));
  }
  h += "</table>";
  const evs = eventIndex[state.s][t].filter((e) => touches(e, a[0]));
  h += '<div class="muted">events this turn (' + esc(D.eventsNote) + "): " + evs.length + "</div>";
  if (evs.length) {
    h += "<ul>" + evs.slice(0, MAX_LISTED).map((e) => "<li>" + esc(eventText(e)) + "</li>").join("") +
      (evs.length > MAX_LISTED ? "<li>and " + (evs.length - MAX_LISTED) + " more</li>" : "") + "</ul>";
  }
  return h;
}
function edgeInfo(i, j, v) {
  const dm = diffMode(), vmax = dm ? D.dmax : D.edgeMax;
  return "<b>" + esc(short(i)) + " \u2192 " + esc(short(j)) + "</b><br>" +
    (dm ? "influence, what-if \u2212 base: " + signed(v) : "influence: " + sig(v)) +
    ' <span class="muted">(' + (100 * Math.abs(v) / vmax).toFixed(1) + "% of the largest" + (dm ? " difference" : "") + ")</span>";
}

// ---- controls ----------------------------------------------------------------------------
const slider = $("slider"), select = $("actor"), fracSelect = $("frac"), play = $("play"), diffBox = $("diff");
slider.max = T - 1;
D.actors.forEach((a, i) => {
  const o = document.createElement("option");
  o.value = a[0]; o.textContent = a[3] + " (" + a[0] + ")";
  select.appendChild(o);
});
for (const f of D.fractions) {
  if (f < D.storeFrac) continue;
  const o = document.createElement("option");
  o.value = f; o.textContent = Math.round(100 * f) + "%";
  if (Math.abs(f - D.defaultFrac) < 1e-12) o.selected = true;
  fracSelect.appendChild(o);
}
const radios = [];
if (D.scen.length > 1) {
  const box = $("scenarios");
  box.appendChild(document.createTextNode("scenario: "));
  D.scen.forEach((s, k) => {
    const l = document.createElement("label");
    l.title = s.desc;
    const r = document.createElement("input");
    r.type = "radio"; r.name = "scenario"; r.value = k; r.checked = k === 0;
    r.setAttribute("data-label", s.label);
    l.appendChild(r);
    l.appendChild(document.createTextNode(" " + (k === 0 ? "base: " : "") + s.name));
    box.appendChild(l);
    radios.push(r);
    r.addEventListener("change", () => { if (r.checked) setScenario(k); });
  });
  $("diffbox").hidden = false;
}
function updateDate() {
  $("date").textContent = D.dates[state.t] + " (turn " + (D.turns[state.t] + 1) + " of " + (D.turns[T - 1] + 1) + ")";
}
function updateDetail() {
  $("detail").innerHTML = actorInfo(state.sel);
}
function updateTitles() {
  const dm = diffMode();
  $("nettitle").textContent = "Influence network, " + D.dates[state.t] +
    (D.scen.length > 1 ? " \u2014 " + scen().name + (dm ? " \u2212 base" : "") : "") +
    (D.kind === "replicates" ? " (mean of " + D.replicates + " replicates)" : "");
  netLegend();
}
function netLegend() {
  const dm = diffMode();
  let h = D.poles.map((p) => '<span><b class="swatch" style="background:' + p[2] + '"></b>' + esc(p[1]) + "</span>").join("");
  h += dm ? '<span><i style="background:' + INC + '"></i>influence gained</span><span><i style="height:2px;border-top:2px dashed ' + DEC + ';background:none"></i>influence lost</span>'
    : "";
  h += '<span class="note">squares: patrons (filled with their anchor pole), circles: the others (their pole of largest alignment); area by gdp; ' +
    (dm ? "edge width by |what-if \u2212 base| of the mean influence" : "edge width by influence") +
    ", edges under " + Math.round(100 * state.frac) + "% of the largest not drawn" + (D.topK ? ", only the " + D.topK + " largest over each actor" : "") + "</span>";
  $("netlegend").innerHTML = h;
}
function draw() {
  drawNetwork();
  drawCursor();
  updateDate();
  updateTitles();
  updateDetail();
  slider.value = state.t;
}
function setTurn(t) { state.t = Math.max(0, Math.min(T - 1, t)); draw(); }
function setSelected(i) { state.sel = i; select.value = code(i); drawCurves(); draw(); }
function setScenario(k) {
  state.s = k;
  if (k === 0) { state.diff = false; diffBox.checked = false; }
  diffBox.disabled = k === 0;
  if (radios[k]) radios[k].checked = true;
  drawCurves(); draw();
}
slider.addEventListener("input", () => setTurn(+slider.value));
select.addEventListener("change", () => setSelected(D.actors.findIndex((a) => a[0] === select.value)));
fracSelect.addEventListener("change", () => { state.frac = +fracSelect.value; draw(); });
diffBox.addEventListener("change", () => { state.diff = diffBox.checked; drawCurves(); draw(); });
diffBox.disabled = true;
function stop() { if (state.timer) { clearInterval(state.timer); state.timer = null; } play.innerHTML = "&#9654; play"; }
play.addEventListener("click", () => {
  if (state.timer) { stop(); return; }
  if (state.t >= T - 1) setTurn(0);
  play.innerHTML = "&#10074;&#10074; pause";
  state.timer = setInterval(() => { if (state.t >= T - 1) stop(); else setTurn(state.t + 1); }, 450);
});
const net = $("net"), tip = $("tip");
net.addEventListener("click", (ev) => {
  const g = ev.target.closest && ev.target.closest(".node");
  if (g) setSelected(+g.getAttribute("data-index"));
});
net.addEventListener("keydown", (ev) => {
  const g = ev.target.closest && ev.target.closest(".node");
  if (g && (ev.key === "Enter" || ev.key === " ")) { ev.preventDefault(); setSelected(+g.getAttribute("data-index")); }
});
function showTip(html, ev) {
  tip.innerHTML = html;
  tip.style.display = "block";
  const w = tip.offsetWidth, h = tip.offsetHeight;
  let x = (ev.clientX || 0) + 14, y = (ev.clientY || 0) + 14;
  if (x + w > window.innerWidth - 4) x = Math.max(4, (ev.clientX || 0) - w - 14);
  if (y + h > window.innerHeight - 4) y = Math.max(4, window.innerHeight - h - 4);
  tip.style.left = x + "px"; tip.style.top = y + "px";
}
net.addEventListener("mouseover", (ev) => {
  const g = ev.target.closest && ev.target.closest(".node");
  if (g) { showTip(actorInfo(+g.getAttribute("data-index")), ev); return; }
  const e = ev.target.closest && ev.target.closest(".edge");
  if (e) showTip(edgeInfo(+e.getAttribute("data-i"), +e.getAttribute("data-j"), +e.getAttribute("data-v")), ev);
});
net.addEventListener("mouseout", () => { tip.style.display = "none"; });

// ---- notes: what the page shows and leaves out ---------------------------------------------
(function notes() {
  let h = "";
  if (D.scen.length > 1) {
    h += "<h2>Scenarios</h2><ul>" + D.scen.map((s, k) => "<li><b>" + (k === 0 ? "base: " : "what-if: ") + esc(s.name) + "</b>: " + esc(s.desc) + "</li>").join("") + "</ul>";
  }
  h += "<h2>What is shown</h2><p>Influence of each actor over each other at the slider's turn (" +
    (D.kind === "run" ? "the run's values" : "the means over the replicates") +
    "), the patrons' influence shares over the selected actor (each patron's share of all patrons' influence over it) and its hedging index (1 \u2212 the largest share), its alignment with each pole (sums to 1), and the events of the turn it takes part in (" + esc(D.eventsNote) +
    "). Numbers are rounded to 4 significant digits; influences under " + Math.round(100 * D.storeFrac) + "% of the largest are not in the page.</p>";
  h += D.dropped.length ? '<div class="dropped" id="dropped"><b>Left out of this page</b> (limits of the explorer):<ul>' +
    D.dropped.map((d) => "<li>" + esc(d) + "</li>").join("") + "</ul></div>"
    : '<p id="dropped">Nothing else was left out: every listed actor, turn and event is in the page.</p>';
  $("notes").innerHTML = h;
})();

// ---- start: #actor=CODE&turn=T&scenario=K&diff=1 (a link to a view) sets the first view -------
const params = {};
location.hash.slice(1).split("&").forEach((kv) => { const [k, v] = kv.split("="); params[k] = decodeURIComponent(v || ""); });
const fromHash = D.actors.findIndex((a) => a[0] === params.actor);
state.sel = fromHash >= 0 ? fromHash : Math.max(0, D.actors.findIndex((a) => a[2] !== "patron"));
select.value = code(state.sel);
if (params.turn !== undefined && /^-?[0-9]+$/.test(params.turn)) state.t = (+params.turn % T + T) % T;
if (params.scenario !== undefined && +params.scenario > 0 && +params.scenario < D.scen.length) {
  state.s = +params.scenario; radios[state.s].checked = true; diffBox.disabled = false;
  if (params.diff === "1") { state.diff = true; diffBox.checked = true; }
}
drawCurves();
draw();
const firstDraw = performance.now() - started;

window.geosimExplorer = { state: state, setTurn: setTurn, setSelected: setSelected, setScenario: setScenario };

// ---- self-test: #selftest[&to=T&click=CODE&select=CODE] --------------------------------------
if (!("selftest" in params)) return;
const nodeOf = (c) => nodesG.querySelector('.node[data-code="' + c + '"]');
function snapshot() {
  const edges = Array.from(edgesG.querySelectorAll(".edge")).map((e) => [
    code(+e.getAttribute("data-i")), code(+e.getAttribute("data-j")),
    +e.getAttribute("stroke-width"), +e.getAttribute("data-v"), e.getAttribute("stroke"),
    e.getAttribute("stroke-dasharray") || ""]);
  const nodeAttrs = {};
  nodesG.querySelectorAll(".node").forEach((g) => {
    nodeAttrs[g.getAttribute("data-code")] = { r: +g.getAttribute("data-r"), pole: g.getAttribute("data-pole"),
      fill: g.querySelector(".shape").getAttribute("fill"), selected: g.classList.contains("sel") };
  });
  const curves = {};
  for (const [name, c] of Object.entries(charts)) {
    curves[name] = { y0: +c.svg.getAttribute("data-y0"), y1: +c.svg.getAttribute("data-y1"),
      top: +c.svg.getAttribute("data-top"), bottom: +c.svg.getAttribute("data-bottom"),
      x0: +c.svg.getAttribute("data-x0"), x1: +c.svg.getAttribute("data-x1"),
      cursor: +c.cursor.getAttribute("x1"), title: $(name === "shares" ? "sharestitle" : "aligntitle").textContent,
      series: {}, bands: {} };
    c.lines.querySelectorAll(".series").forEach((p) => { curves[name].series[p.getAttribute("data-key")] = p.getAttribute("d"); });
    c.bands.querySelectorAll(".band").forEach((p) => { curves[name].bands[p.getAttribute("data-key")] = p.getAttribute("d"); });
  }
  const checked = radios.find((r) => r.checked);
  return { slider: +slider.value, date: $("date").textContent, scenario: checked ? checked.getAttribute("data-label") : null,
    difference: diffBox.checked, selected: select.value, network_title: $("nettitle").textContent,
    edges: edges, nodes: nodeAttrs, curves: curves, detail: $("detail").textContent };
}
const R = { actors: N, turns: T, first_draw_ms: firstDraw, html_bytes: document.documentElement.outerHTML.length,
  dropped: D.dropped, steps: {} };
R.steps.initial = snapshot();
const turn = params.to !== undefined && params.to !== "" ? +params.to : Math.floor(T / 3);
slider.value = turn;
slider.dispatchEvent(new Event("input", { bubbles: true }));
R.steps.slider = snapshot();
const clickCode = params.click || code(D.actors.findIndex((a, i) => a[2] !== "patron" && i !== state.sel));
const clicked = nodeOf(clickCode);
clicked.querySelector(".shape").dispatchEvent(new MouseEvent("click", { bubbles: true, clientX: 100, clientY: 100 }));
R.steps.click = snapshot();
const selectCode = params.select || code(D.actors.findIndex((a) => a[2] !== "patron" && a[0] !== clickCode));
select.value = selectCode;
select.dispatchEvent(new Event("change", { bubbles: true }));
R.steps.select = snapshot();
nodeOf(selectCode).querySelector(".shape").dispatchEvent(new MouseEvent("mouseover", { bubbles: true, clientX: 200, clientY: 200 }));
R.steps.hover = { visible: tip.style.display === "block", text: tip.textContent };
nodeOf(selectCode).querySelector(".shape").dispatchEvent(new MouseEvent("mouseout", { bubbles: true }));
R.steps.hover.hidden_after = tip.style.display === "none";
const strongest = edgesG.lastElementChild;
if (strongest) {
  strongest.dispatchEvent(new MouseEvent("mouseover", { bubbles: true, clientX: 300, clientY: 300 }));
  R.steps.hover_edge = { visible: tip.style.display === "block", text: tip.textContent,
    from: code(+strongest.getAttribute("data-i")), to: code(+strongest.getAttribute("data-j")) };
  strongest.dispatchEvent(new MouseEvent("mouseout", { bubbles: true }));
}
if (radios.length > 1) {
  radios[1].click();
  R.steps.whatif = snapshot();
  diffBox.click();
  R.steps.difference = snapshot();
  if (radios.length > 2) { radios[2].click(); R.steps.whatif2_difference = snapshot(); }
  radios[0].click();
  R.steps.base = snapshot();
}
// the time to draw a turn: the script's update plus the browser's style and layout
function timeTurns() {
  const times = [], script = [];
  for (let t = 0; t < T; t++) {
    const t0 = performance.now();
    setTurn(t);
    const t1 = performance.now();
    net.getBoundingClientRect(); edgesG.getBBox(); document.body.offsetHeight;
    times.push(performance.now() - t0);
    script.push(t1 - t0);
  }
  times.sort((a, b) => a - b);
  script.sort((a, b) => a - b);
  return { median_ms: times[Math.floor(times.length / 2)], max_ms: times[times.length - 1],
    mean_ms: times.reduce((a, b) => a + b, 0) / times.length,
    script_median_ms: script[Math.floor(script.length / 2)], edges_last: edgesG.childElementCount };
}
R.timing = timeTurns();
if (radios.length > 1) { radios[1].click(); diffBox.click(); R.timing_difference = timeTurns(); radios[0].click(); }
setTurn(0);
const before = +slider.value;
play.click();
setTimeout(() => {
  R.steps.play = { before: before, after: +slider.value, label: play.textContent };
  play.click();
  R.steps.play.paused_label = play.textContent;
  R.errors = window.__geosimErrors.slice();
  R.done = true;
  const out = $("selftest-result");
  out.textContent = JSON.stringify(R);
  out.hidden = false;
}, 1500);
})();
"""
