"use strict";
// The run list and one run's detail (tab "Runs").
const kinds = ["rnn train", "sweep", "rnn gradients", "text", "graph"];
let runs = [];
let selected = null;

const settingsText = s => Object.entries(s || {})
  .map(([k, v]) => k + " " + (Array.isArray(v) ? v.join(",") : v)).join(", ");

function fillKinds() {
  const select = $("kind-filter");
  for (const k of kinds) select.append(el("option", { value: k }, k));
}

function render() {
  const kind = $("kind-filter").value;
  const body = $("runs").tBodies[0];
  body.replaceChildren();
  const shown = runs.filter(r => !kind || r.kind === kind);
  for (const r of shown) {
    const tr = el("tr", { className: "run" + (r.id === selected ? " selected" : "") });
    tr.dataset.id = r.id;
    tr.dataset.kind = r.kind;
    tr.append(el("td", { className: "id" }, r.id),
              el("td", { className: "kind" }, r.kind),
              el("td", { className: "settings" }, settingsText(r.settings)),
              el("td", { className: "status status-" + r.status }, r.status),
              el("td", { className: "figure", title: r.figure ? r.figure.name : "" },
                 r.figure && r.figure.text !== null ? r.figure.name + " " + r.figure.text : "–"),
              el("td", { className: "modified" }, new Date(r.modified).toLocaleString()));
    tr.addEventListener("click", () => show(r.id));
    body.append(tr);
  }
  $("runs-count").textContent = shown.length + " of " + runs.length + " runs";
  $("runs-empty").hidden = runs.length > 0;
}

async function load() {
  try {
    runs = await getJson("/api/runs");
    $("error").textContent = "";
  } catch (e) {
    $("error").textContent = "could not read the run list (" + e.message + ")";
  }
  render();
}

async function show(id) {
  selected = id;
  render();
  let run;
  try { run = await getJson(runPath(id)); }
  catch (e) { $("error").textContent = "could not read run " + id + " (" + e.message + ")"; return; }
  if (selected !== id) return;
  $("run-title").textContent = run.id + " · " + run.kind + " · " + run.status;
  $("run-config").textContent = JSON.stringify(run.config, null, 2);
  $("run-summary").textContent = run.summary ? JSON.stringify(run.summary, null, 2) : "(no summary yet)";
  const plots = $("run-plots"), files = $("run-files");
  plots.replaceChildren();
  files.replaceChildren();
  for (const f of run.files) {
    const url = runPath(run.id) + "/files/" + encodeURIComponent(f.name);
    if (f.name.endsWith(".svg")) plots.append(el("img", { src: url, alt: f.name, title: f.name }));
    const li = el("li");
    li.append(el("a", { href: url, target: "_blank" }, f.name), " (" + f.size.toLocaleString() + " bytes)");
    files.append(li);
  }
  $("run-detail").hidden = false;
  // Other scripts (live curves, graph view) add to the detail of the run shown.
  document.dispatchEvent(new CustomEvent("run-shown", { detail: run }));
  history.replaceState(null, "", "#run=" + encodeURIComponent(run.id));
}

// The list follows the folder by itself: new runs, statuses and figures every few seconds while
// the tab is on screen (the API answers from its cache, so this is cheap).
const listRefreshMs = 3000;
function refreshWhileShown() {
  if (!document.hidden && !$("tab-runs").hidden) load();
}

document.addEventListener("DOMContentLoaded", () => {
  setInterval(refreshWhileShown, listRefreshMs);
  fillKinds();
  $("kind-filter").addEventListener("change", render);
  $("refresh").addEventListener("click", load);
  load().then(() => {
    const m = location.hash.match(/^#run=(.+)$/);
    if (m) show(decodeURIComponent(m[1]));
  });
});
