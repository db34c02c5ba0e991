"use strict";
// The graph view (in a graph run's detail): the model's hidden-layer node embeddings on two principal
// components, coloured by true class, wrong predictions drawn hollow; a click on a node lists its
// neighbours (with GCN's edge weights or GAT's attention as bars) and highlights them in the scatter.
const graphPalette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];
const graphUnlabelled = "#b0b0b0";
const graphSvgNs = "http://www.w3.org/2000/svg";
const graphSize = 520, graphPad = 14;
let graphRun = null, graphData = null, graphSelected = -1;

const graphColour = c => c < 0 ? graphUnlabelled : graphPalette[c % graphPalette.length];
const graphClassName = c => c < 0 ? "unlabelled" : graphData.classes[c];

function svgEl(tag, attrs) {
  const e = document.createElementNS(graphSvgNs, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  return e;
}

// JSON from the server, or an Error carrying the server's one-line reason.
async function graphJson(url) {
  const r = await fetch(url, { cache: "no-store" });
  let body = null;
  try { body = await r.json(); } catch (e) { body = null; }
  if (!r.ok) throw new Error(body && body.error ? body.error : url + ": " + r.status);
  return body;
}

const graphQuery = () => graphData ? "?seed=" + graphData.seed : "";

async function graphShow(run, seed) {
  const box = $("graph-view");
  graphRun = run;
  if (run.kind !== "graph") { box.hidden = true; graphData = null; return; }
  box.hidden = false;
  $("graph-status").textContent = "reading the model…";
  $("graph-node").hidden = true;
  let view;
  try { view = await graphJson(runPath(run.id) + "/graph" + (seed !== undefined ? "?seed=" + seed : "")); }
  catch (e) {
    if (graphRun !== run) return;
    $("graph-status").textContent = e.message;
    $("graph-scatter").replaceChildren();
    $("graph-legend").replaceChildren();
    graphData = null;
    return;
  }
  if (graphRun !== run) return;
  graphData = view;
  graphSelected = -1;
  graphSeeds(view);
  graphDraw();
  graphLegend();
  graphFilter();
  const n = view.nodes, test = n.split.map((s, i) => s === 3 ? i : -1).filter(i => i >= 0);
  const wrongTest = test.filter(i => n.label[i] >= 0 && n.predicted[i] !== n.label[i]).length;
  $("graph-status").textContent = view.model.toUpperCase() + " on " + view.dataset + ", seed " + view.seed + ", epoch " + view.epoch +
    ": " + wrongTest + " of " + test.length + " test nodes predicted wrong (test accuracy " + view.test_accuracy.toFixed(3) + ")";
}

function graphSeeds(view) {
  const select = $("graph-seed");
  select.replaceChildren(...view.seeds.map(s => el("option", { value: String(s), selected: s === view.seed }, String(s))));
  $("graph-seed-label").hidden = view.seeds.length < 2;
}

// Each axis spans the 1st to 99th percentile of its coordinate, as embedding.svg does; points beyond sit on the edge.
function graphScale(values) {
  const s = [...values].sort((a, b) => a - b), k = Math.floor(s.length / 100);
  let lo = s[k], hi = s[s.length - 1 - k];
  if (!(hi > lo)) { lo -= 1; hi += 1; }
  const m = (hi - lo) * 0.04;
  lo -= m; hi += m;
  return v => graphPad + (Math.min(hi, Math.max(lo, v)) - lo) / (hi - lo) * (graphSize - 2 * graphPad);
}

function graphDraw() {
  const svg = $("graph-scatter"), n = graphData.nodes;
  svg.replaceChildren();
  svg.setAttribute("viewBox", "0 0 " + graphSize + " " + graphSize);
  svg.classList.remove("focused");
  const sx = graphScale(n.x), sy = graphScale(n.y);
  svg.append(svgEl("rect", { x: 0.5, y: 0.5, width: graphSize - 1, height: graphSize - 1, class: "frame" }),
             svgEl("g", { id: "graph-edges" }));
  const dots = svgEl("g", { id: "graph-dots" });
  // Correct nodes first, so the wrong ones (hollow) are drawn on top of them.
  const order = n.x.map((_, i) => i).sort((a, b) => graphWrong(a) - graphWrong(b));
  for (const i of order) {
    const wrong = graphWrong(i), colour = graphColour(n.label[i]);
    const c = svgEl("circle", { cx: sx(n.x[i]).toFixed(1), cy: (graphSize - sy(n.y[i])).toFixed(1), r: wrong ? 3.2 : 2.8,
      class: "node" + (wrong ? " wrong" : ""), "data-node": i, "data-split": graphData.split_names[n.split[i]] || "none" });
    if (wrong) { c.setAttribute("fill", "#fff"); c.setAttribute("stroke", colour); }
    else c.setAttribute("fill", colour);
    dots.append(c);
  }
  svg.append(dots);
  const x = graphData.variance[0], y = graphData.variance[1];
  $("graph-axes").textContent = "x: PC 1 (" + (100 * x).toFixed(1) + " % of variance), y: PC 2 (" + (100 * y).toFixed(1) + " %)";
}

const graphWrong = i => graphData.nodes.label[i] >= 0 && graphData.nodes.predicted[i] !== graphData.nodes.label[i] ? 1 : 0;

function graphLegend() {
  const n = graphData.nodes, counts = new Map();
  for (const l of n.label) counts.set(l, (counts.get(l) || 0) + 1);
  const legend = $("graph-legend");
  legend.replaceChildren();
  const classes = graphData.classes.map((_, c) => c);
  if (counts.has(-1)) classes.push(-1);
  for (const c of classes) {
    const item = el("span", { className: "legend-item" });
    item.dataset.class = String(c);
    const swatch = el("span", { className: "swatch" });
    swatch.style.background = graphColour(c);
    item.append(swatch, graphClassName(c) + " (" + (counts.get(c) || 0) + ")");
    legend.append(item);
  }
  const wrong = n.label.filter((l, i) => l >= 0 && n.predicted[i] !== l).length;
  const hollow = el("span", { className: "legend-item legend-wrong" });
  hollow.append(el("span", { className: "swatch hollow" }), "hollow: predicted wrong (" + wrong + " labelled nodes)");
  legend.append(hollow);
}

function graphFilter() {
  if (!graphData) return;
  const testOnly = $("graph-test-only").checked, wrongOnly = $("graph-wrong-only").checked;
  for (const c of $("graph-scatter").querySelectorAll("circle.node")) {
    const hide = (testOnly && c.dataset.split !== "test") || (wrongOnly && !c.classList.contains("wrong"));
    c.classList.toggle("off", hide);
  }
}

async function graphPick(i) {
  const run = graphRun, data = graphData;
  let node;
  try { node = await graphJson(runPath(run.id) + "/graph/nodes/" + i + graphQuery()); }
  catch (e) { $("graph-status").textContent = e.message; return; }
  if (graphRun !== run || graphData !== data) return;
  graphSelected = i;
  graphHighlight(node);
  graphPanel(node);
}

function graphHighlight(node) {
  const svg = $("graph-scatter"), edges = $("graph-edges");
  edges.replaceChildren();
  for (const c of svg.querySelectorAll("circle.focus, circle.neighbour")) c.classList.remove("focus", "neighbour");
  svg.classList.add("focused");
  const at = i => svg.querySelector("circle.node[data-node='" + i + "']");
  const centre = at(node.node);
  for (const nb of node.neighbours) {
    const c = at(nb.node);
    if (!c || nb.node === node.node) continue;
    c.classList.add("neighbour");
    c.parentNode.append(c);   // neighbours on top of the dimmed nodes
    edges.append(svgEl("line", { x1: centre.getAttribute("cx"), y1: centre.getAttribute("cy"), x2: c.getAttribute("cx"), y2: c.getAttribute("cy"), class: "edge" }));
  }
  centre.classList.add("focus");
  centre.parentNode.append(centre);   // on top
}

function graphPanel(node) {
  const panel = $("graph-node"), gat = node.model === "gat";
  panel.replaceChildren();
  const verdict = node.label < 0 ? "" : node.predicted === node.label ? " (correct)" : " (wrong)";
  panel.append(el("h4", {}, "Node " + node.id + " (#" + node.node + ")"),
    el("p", { className: "node-facts" }, "class " + graphClassName(node.label) + " · predicted " + graphClassName(node.predicted) + verdict +
      " · " + (node.split || "no split") + " · degree " + node.degree));
  const table = el("table", { id: "graph-neighbours" });
  const head = el("tr");
  head.append(el("th", {}, "neighbour"), el("th", {}, "class"), el("th", {}, "predicted"), el("th", {}, gat ? "attention (layer 1)" : "weight Â"));
  table.append(el("thead")); table.tHead.append(head);
  const body = el("tbody");
  for (const nb of node.neighbours) {
    const tr = el("tr", { className: "neighbour" + (nb.label >= 0 && nb.predicted !== nb.label ? " wrong" : "") });
    tr.dataset.node = String(nb.node);
    const swatch = el("span", { className: "swatch" });
    swatch.style.background = graphColour(nb.label);
    const cls = el("td");
    cls.append(swatch, graphClassName(nb.label));
    const wrong = nb.label >= 0 && nb.predicted !== nb.label;
    tr.append(el("td", {}, nb.id), cls, el("td", { title: wrong ? "predicted wrong" : "" }, graphClassName(nb.predicted) + (wrong ? " ✗" : "")),
      el("td", { className: "num" }, (gat ? nb.mean_attention[0] : nb.weight).toFixed(4)));
    tr.addEventListener("click", () => graphPick(nb.node));
    body.append(tr);
  }
  table.append(body);
  panel.append(el("h5", {}, node.neighbours.length + " neighbours"), table);
  if (gat) for (let l = 0; l < node.self.attention.length; l++) panel.append(graphBars(node, l));
  panel.hidden = false;
}

// One layer's attention over the node's incoming edges and its self-loop (they sum to 1), largest first.
function graphBars(node, layer) {
  const heads = node.self.attention[layer].length;
  const box = el("div", { className: "attention" });
  box.dataset.layer = String(layer + 1);
  box.append(el("h5", { title: "incoming edges and the node itself, largest first; a full track is 1, and the bars add up to 1" },
    "Layer " + (layer + 1) + " attention" + (heads > 1 ? " (mean of " + heads + " heads)" : "") + " · sums to 1"));
  const rows = [{ ...node.self, self: true }, ...node.neighbours].sort((a, b) => b.mean_attention[layer] - a.mean_attention[layer]);
  for (const r of rows) {
    const w = r.mean_attention[layer];
    const row = el("div", { className: "att-row", title: heads > 1 ? "per head: " + r.attention[layer].map(a => a.toFixed(3)).join(", ") : "" });
    const bar = el("span", { className: "att-bar" });
    bar.dataset.weight = String(w);
    bar.style.width = (100 * w).toFixed(1) + "%";   // the whole track is 1, what the bars add up to
    bar.style.background = graphColour(r.label);
    const track = el("span", { className: "att-track" });
    track.append(bar);
    row.append(el("span", { className: "att-name" }, r.self ? "itself" : r.id), track, el("span", { className: "num" }, w.toFixed(3)));
    box.append(row);
  }
  return box;
}

document.addEventListener("run-shown", e => graphShow(e.detail));
document.addEventListener("DOMContentLoaded", () => {
  $("graph-seed").addEventListener("change", () => graphRun && graphShow(graphRun, $("graph-seed").value));
  $("graph-test-only").addEventListener("change", graphFilter);
  $("graph-wrong-only").addEventListener("change", graphFilter);
  $("graph-scatter").addEventListener("click", e => {
    const c = e.target.closest("circle.node");
    if (c) graphPick(Number(c.dataset.node));
  });
});
