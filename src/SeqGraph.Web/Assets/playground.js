"use strict";
// The text playground (tab "playground"): a checkpoint, a prompt and the sampling settings go to
// /api/sample, whose server-sent events (prompt, text pieces, done or error) fill #pg-output.
const pg = { checkpoints: [], source: null, received: 0, url: "" };
const pgFields = { "--checkpoint": "pg-checkpoint", "--prompt": "pg-prompt", "--temperature": "pg-temperature",
                   "--top-k": "pg-top-k", "--length": "pg-length", "--seed": "pg-seed" };

function pgShowSliders() {
  $("pg-temperature-value").textContent = Number($("pg-temperature").value).toFixed(2);
  const k = Number($("pg-top-k").value);
  $("pg-top-k-value").textContent = k === 0 ? "off" : String(k);
}

function pgChosen() {
  const c = pg.checkpoints[Number($("pg-checkpoint").value)];
  return c || null;
}

function pgCheckpointChanged() {
  const c = pgChosen();
  if (c && c.vocabulary) $("pg-top-k").max = String(c.vocabulary);
  $("pg-characters").textContent = c && c.characters
    ? "The model knows " + c.vocabulary + " characters: " + JSON.stringify(c.characters).slice(1, -1) : "";
  pgShowSliders();
}

async function pgLoadCheckpoints() {
  const before = pgChosen();
  try { pg.checkpoints = await getJson("/api/text-checkpoints"); }
  catch (e) { pgError("could not read the checkpoints (" + e.message + ")"); return; }
  const select = $("pg-checkpoint");
  select.replaceChildren();
  pg.checkpoints.forEach((c, i) => {
    const o = el("option", { value: String(i) }, c.label);
    o.dataset.id = c.id;
    o.dataset.best = String(c.best);
    select.append(o);
  });
  if (pg.checkpoints.length === 0) select.append(el("option", { value: "", disabled: true }, "no text checkpoint under --runs yet (seqgraph text train)"));
  const again = before ? pg.checkpoints.findIndex(c => c.id === before.id && c.best === before.best) : -1;
  if (again >= 0) select.value = String(again);
  $("pg-sample").disabled = pg.checkpoints.length === 0 || pg.source !== null;
  pgCheckpointChanged();
}

function pgError(text, option) {
  $("pg-error").textContent = text || "";
  for (const id of Object.values(pgFields)) $(id).classList.remove("invalid");
  if (option && pgFields[option]) $(pgFields[option]).classList.add("invalid");
}

function pgRunning(on) {
  $("pg-sample").disabled = on || pg.checkpoints.length === 0;
  $("pg-stop").disabled = !on;
}

function pgEnd(status) {
  if (pg.source) pg.source.close();
  pg.source = null;
  pgRunning(false);
  if (status !== undefined) $("pg-status").textContent = status;
}

function pgSample(event) {
  event.preventDefault();
  const c = pgChosen();
  if (!c || pg.source) return;
  const q = new URLSearchParams({ checkpoint: c.id });
  if (c.best) q.set("best", "1");
  const prompt = $("pg-prompt").value;
  if (prompt !== "") q.set("prompt", prompt);
  q.set("temperature", $("pg-temperature").value);
  q.set("top_k", $("pg-top-k").value);
  q.set("length", $("pg-length").value);
  q.set("seed", $("pg-seed").value);
  pg.url = "/api/sample?" + q.toString();
  pg.received = 0;
  pgError("");
  $("pg-prompt-text").textContent = "";
  $("pg-continuation").textContent = "";
  $("pg-status").textContent = "sampling…";
  pgRunning(true);
  const source = new EventSource(pg.url);
  pg.source = source;
  source.addEventListener("prompt", e => { $("pg-prompt-text").textContent = JSON.parse(e.data).text; pg.received++; });
  source.addEventListener("message", e => {
    $("pg-continuation").append(document.createTextNode(JSON.parse(e.data).text));
    pg.received++;
  });
  source.addEventListener("done", e => {
    const d = JSON.parse(e.data);
    pgEnd(d.characters.toLocaleString() + " characters in " + d.seconds.toFixed(2) + " s (" +
          Math.round(d.chars_per_second).toLocaleString() + " chars/s), model of step " + d.step);
  });
  source.addEventListener("error", e => {
    if (pg.source !== source) return;
    if (e.data !== undefined) { pgEnd(""); pgError(JSON.parse(e.data).error); return; }
    // the connection failed: before any event it was refused, and the refusal says why
    const started = pg.received > 0;
    pgEnd(started ? "the stream broke off" : "");
    if (!started) pgRefusal(pg.url);
  });
}

async function pgRefusal(url) {
  const abort = new AbortController();
  try {
    const r = await fetch(url, { cache: "no-store", signal: abort.signal });
    if (r.ok) { abort.abort(); pgError("the stream could not be opened"); return; }
    const body = await r.json();
    pgError(body.error, body.option);
  } catch (e) {
    if (e.name !== "AbortError") pgError("the server did not answer (" + e.message + ")");
  }
}

function pgStop() {
  if (!pg.source) return;
  const chars = $("pg-continuation").textContent.length;
  pgEnd("stopped after " + chars.toLocaleString() + " characters");
}

document.addEventListener("DOMContentLoaded", () => {
  $("pg-form").addEventListener("submit", pgSample);
  $("pg-stop").addEventListener("click", pgStop);
  $("pg-checkpoint").addEventListener("change", pgCheckpointChanged);
  $("pg-temperature").addEventListener("input", pgShowSliders);
  $("pg-top-k").addEventListener("input", pgShowSliders);
  pgLoadCheckpoints();
});
document.addEventListener("tab-shown", e => { if (e.detail === "playground") pgLoadCheckpoints(); });
