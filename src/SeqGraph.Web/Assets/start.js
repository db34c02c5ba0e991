"use strict";
// Tab "Start a run": a form per experiment from /api/forms (the command line's options and
// defaults), checked by the server exactly as the command line checks it, and the run queue.
let forms = [];
const queueRows = new Map();
const activeStates = new Set(["queued", "running"]);

async function postJson(url, body) {
  const r = await fetch(url, {
    method: "POST", cache: "no-store",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body || {}),
  });
  let data = {};
  try { data = await r.json(); } catch (e) { data = { error: url + ": " + r.status }; }
  return { status: r.status, data };
}

function fieldInput(f) {
  let input;
  if (f.kind === "flag") {
    input = el("input", { type: "checkbox", checked: f.default === "true" });
  } else if (f.choices) {
    input = el("select");
    for (const c of f.choices) input.append(el("option", { value: c }, c));
    if (f.default !== null) input.value = f.default;
  } else {
    input = el("input", { type: "text", value: f.default ?? "", placeholder: f.default === null ? (f.required ? "required" : "(not set)") : "" });
    input.inputMode = f.kind === "integer" ? "numeric" : f.kind === "number" ? "decimal" : "text";
    input.spellcheck = false;
  }
  input.name = f.name;
  input.id = "field" + f.name;
  return input;
}

function renderForm() {
  const form = forms.find(f => f.experiment === $("experiment").value);
  const box = $("run-fields");
  box.replaceChildren();
  $("start-error").textContent = "";
  if (!form) return;
  $("experiment-description").textContent = form.description;
  for (const f of form.fields) {
    const row = el("div", { className: "field" });
    row.dataset.option = f.name;
    const label = el("label", { htmlFor: "field" + f.name }, f.name + (f.required ? " *" : ""));
    const help = el("span", { className: "help", id: "help" + f.name }, f.description);
    const error = el("span", { className: "field-error", id: "error" + f.name });
    error.dataset.option = f.name;
    const input = fieldInput(f);
    // a screen reader reads the option's help and, once refused, the line saying why
    input.setAttribute("aria-describedby", help.id + " " + error.id);
    row.append(label, input, help, error);
    box.append(row);
  }
}

// Only values that differ from the defaults are sent, as a user types only those on the command line.
function formValues() {
  const form = forms.find(f => f.experiment === $("experiment").value);
  const values = {};
  for (const f of form.fields) {
    const input = $("run-form").elements.namedItem(f.name);
    const value = f.kind === "flag" ? String(input.checked) : input.value.trim();
    const fallback = f.kind === "flag" ? (f.default ?? "false") : (f.default ?? "");
    if (value !== fallback) values[f.name] = value;
  }
  return values;
}

function clearErrors() {
  $("start-error").textContent = "";
  for (const e of document.querySelectorAll("#run-fields .field-error")) e.textContent = "";
  for (const r of document.querySelectorAll("#run-fields .field.invalid")) r.classList.remove("invalid");
  for (const i of document.querySelectorAll("#run-fields [aria-invalid]")) i.removeAttribute("aria-invalid");
}

async function submitRun(event) {
  event.preventDefault();
  clearErrors();
  const button = $("start-run");
  button.disabled = true;
  try {
    const { status, data } = await postJson("/api/queue", { experiment: $("experiment").value, values: formValues() });
    if (status === 202) { await loadQueue(); return; }
    const target = data.option && document.querySelector(`#run-fields .field-error[data-option="${data.option}"]`);
    if (target) {
      target.textContent = data.error;
      target.parentElement.classList.add("invalid");
      const input = target.parentElement.querySelector("input, select");
      input.setAttribute("aria-invalid", "true");
      input.focus();
    } else {
      $("start-error").textContent = data.error || ("the server answered " + status);
    }
  } catch (e) {
    $("start-error").textContent = "could not reach the server (" + e.message + ")";
  } finally {
    button.disabled = false;
  }
}

const fmt = (x, digits) => x === null || x === undefined ? null : Number(x).toFixed(digits);

function progressText(item) {
  const p = item.progress;
  if (!p) return item.state === "queued" ? "waiting" : "";
  const parts = [p.unit + " " + p.done + (p.total ? "/" + p.total : "")];
  if (p.loss !== null) parts.push("loss " + fmt(p.loss, 4));
  if (p.accuracy !== null) parts.push("acc " + fmt(p.accuracy, 3));
  if (p.text) parts.push(p.text);
  return parts.join(" · ");
}

function queueRow(item) {
  let row = queueRows.get(item.id);
  if (row) return row;
  const tr = el("tr", { className: "queued" });
  tr.dataset.id = item.id;
  const cells = {
    id: el("td", { className: "qid" }, String(item.id)),
    what: el("td", { className: "what" }),
    state: el("td", { className: "state" }),
    progress: el("td", { className: "progress" }),
    result: el("td", { className: "result" }),
    run: el("td", { className: "run" }),
    actions: el("td", { className: "actions" }),
  };
  const what = cells.what;
  what.append(el("span", { className: "experiment" }, item.experiment), el("br"), el("span", { className: "label" }, item.label));
  const options = Object.entries(item.values).map(([k, v]) => k + " " + v).join(" ");
  what.title = "seqgraph " + item.experiment + (options ? " " + options : "");
  const bar = el("progress", { max: 1, value: 0 });
  const text = el("span", { className: "progress-text" });
  cells.progress.append(bar, text);
  const link = el("a", { href: "#run=" + encodeURIComponent(item.run), className: "run-link" }, item.run);
  link.addEventListener("click", async e => {
    e.preventDefault();
    showTab("runs");
    await load();
    show(item.run);
  });
  cells.run.append(link);
  const cancel = el("button", { type: "button", className: "cancel" }, "Cancel");
  cancel.addEventListener("click", async () => {
    cancel.disabled = true;
    const { status, data } = await postJson("/api/queue/" + item.id + "/cancel");
    if (status !== 202) cells.result.textContent = data.error || ("cancel: " + status);
    await loadQueue();
  });
  cells.actions.append(cancel);
  tr.append(...Object.values(cells));
  row = { tr, cells, bar, text, cancel };
  queueRows.set(item.id, row);
  $("queue").tBodies[0].prepend(tr);
  return row;
}

function renderQueue(items) {
  for (const item of items) {
    const row = queueRow(item);
    const state = item.state === "running" && item.stopping ? "stopping" : item.state;
    row.tr.dataset.state = item.state;
    row.tr.className = "queued state-" + item.state;
    row.cells.state.textContent = state;
    const p = item.progress;
    row.bar.hidden = !(p && p.total);
    if (p && p.total) row.bar.value = Math.min(1, p.done / p.total);
    row.text.textContent = progressText(item);
    row.cells.result.textContent = item.error || item.result || "";
    row.cells.result.classList.toggle("error", !!item.error);
    row.cancel.hidden = !activeStates.has(item.state);
    if (item.state === "running" && item.stopping) row.cancel.disabled = true;
    // a run that has not started, or never will, has no folder to show yet
    row.cells.run.querySelector("a").hidden = item.state === "queued" || item.state === "cancelled";
  }
  $("queue-empty").hidden = items.length > 0;
}

let queueTimer = null;
let queueActive = false;
async function loadQueue() {
  try {
    const q = await getJson("/api/queue");
    renderQueue(q.items);
    queueActive = q.items.some(i => activeStates.has(i.state));
  } catch (e) {
    $("start-error").textContent = "could not read the queue (" + e.message + ")";
  }
}

function pollQueue() {
  clearTimeout(queueTimer);
  // twice a second while a run is queued or running or the tab is shown, else every few seconds
  loadQueue().finally(() => { queueTimer = setTimeout(pollQueue, queueActive || !$("tab-start").hidden ? 500 : 3000); });
}

async function loadForms() {
  let data;
  try { data = await getJson("/api/forms"); }
  catch (e) { $("start-note").textContent = "could not read the forms (" + e.message + ")"; $("start-note").hidden = false; return; }
  if (!data.available) {
    $("start-note").textContent = data.note;
    $("start-note").hidden = false;
    $("start-box").hidden = true;
    return;
  }
  forms = data.forms;
  const select = $("experiment");
  for (const f of forms) select.append(el("option", { value: f.experiment }, f.experiment));
  renderForm();
}

document.addEventListener("DOMContentLoaded", () => {
  $("experiment").addEventListener("change", renderForm);
  $("run-form").addEventListener("submit", submitRun);
  loadForms();
  pollQueue();
  document.addEventListener("tab-shown", e => { if (e.detail === "start") pollQueue(); });
});
