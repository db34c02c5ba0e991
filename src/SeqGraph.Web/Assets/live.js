"use strict";
// Curves of the run shown, live while it runs (from /api/runs/{id}/events), and the overlay of the
// runs picked in the list (tab "Runs"). Drawn with plot.js.
const Live = (() => {
  // The main curves of each kind: the x column, the y axis label and [name, column, scale] lines.
  const curves = {
    "rnn train": { x: "step", y: "loss (nats) / accuracy", lines: [["loss", "loss", 1], ["accuracy", "accuracy", 1]] },
    "text": { x: "step", y: "bits per character", lines: [["train bpc", "train_loss", 1 / Math.LN2], ["val bpc", "val_bpc", 1]] },
    "graph": { x: "epoch", y: "loss (nats) / accuracy", lines: [["train loss", "train_loss", 1], ["val accuracy", "val_accuracy", 1]] },
  };
  const skipped = new Set(["seconds", "lr", "grad_norm"]);
  let stream = null, shown = null, table = null;

  const column = (t, name) => t.columns.indexOf(name);
  const number = v => typeof v === "number" ? v : NaN;

  // Mean and sample standard deviation (n − 1), as Experiments/Statistics.cs; one value has std 0.
  function meanStd(v) {
    const m = v.reduce((a, b) => a + b, 0) / v.length;
    if (v.length < 2) return [m, 0];
    return [m, Math.sqrt(v.reduce((a, b) => a + (b - m) * (b - m), 0) / (v.length - 1))];
  }

  // What to draw for a run of `kind` from its CSV table.
  function spec(kind, t, title) {
    if (kind === "sweep" && column(t, "state") > 1) {
      // results.csv: trial, the grid's axes, state, the trials' figures. As SweepCollection draws it:
      // x = the first numeric axis (not the seed) with more than one value, one series per value of
      // the other axes but the seed, each point mean ± std over the seeds.
      const axes = t.columns.slice(1, column(t, "state"));
      const distinct = a => new Set(t.rows.map(r => r[column(t, a)])).size;
      const x = axes.find(a => a !== "seed" && distinct(a) > 1 && t.rows.every(r => typeof r[column(t, a)] === "number"));
      const metric = ["test_accuracy", "test_accuracy_mean", "best_val_bpc", "val_bpc", "val_loss"].find(m => column(t, m) >= 0);
      if (x && metric) {
        const others = axes.filter(a => a !== x && a !== "seed");   // as SweepCollection: a one-value axis names the series too
        const ix = column(t, x), iy = column(t, metric);
        const bySeries = new Map();
        for (const r of t.rows) {
          const name = others.length === 1 ? String(r[column(t, others[0])]) : others.map(a => a + "=" + r[column(t, a)]).join(" ") || metric;
          if (!bySeries.has(name)) bySeries.set(name, new Map());
          const byX = bySeries.get(name);
          if (!byX.has(r[ix])) byX.set(r[ix], []);
          if (typeof r[iy] === "number" && isFinite(r[iy])) byX.get(r[ix]).push(r[iy]);
        }
        const series = [...bySeries].map(([name, byX]) => {
          const stats = [...byX].filter(([, v]) => v.length > 0).sort((a, b) => a[0] - b[0]).map(([l, v]) => [l, ...meanStd(v)]);
          return { name, marks: true, points: stats.map(s => [s[0], s[1]]), band: stats.map(s => [s[0], s[1] - s[2], s[1] + s[2]]) };
        });
        const label = metric.replace(/_/g, " ");
        return { title: title + " — " + label + " by " + x + " (mean ± std over seeds)", x: x === "length" ? "sequence length T" : x, y: label, series };
      }
    }
    if (kind === "rnn gradients" && column(t, "norm") >= 0) {
      const im = column(t, "model"), ip = column(t, "phase"), it = column(t, "t"), iv = column(t, "norm");
      const lines = new Map();
      for (const r of t.rows) {
        const name = r[im] + " (" + (r[ip] === "init" ? "at init" : r[ip]) + ")";
        if (!lines.has(name)) lines.set(name, { name, dash: r[ip] === "init", points: [] });
        lines.get(name).points.push([number(r[it]), number(r[iv])]);
      }
      return { title: title + " — ‖∂L/∂h(t)‖", x: "time step t", y: "mean gradient norm", logY: "auto", series: [...lines.values()] };
    }
    const c = curves[kind];
    const x = c && column(t, c.x) >= 0 ? c.x : t.columns[0];
    let lines = c ? c.lines.filter(l => column(t, l[1]) >= 0) : [];
    if (lines.length === 0) lines = t.columns.filter(n => n !== x && !skipped.has(n)).map(n => [n, n, 1]);
    const ix = column(t, x);
    const series = lines.map(([name, col, scale]) => {
      const i = column(t, col);
      return { name, points: t.rows.filter(r => typeof r[i] === "number").map(r => [number(r[ix]), r[i] * scale]) };
    });
    return { title: title + " — " + lines.map(l => l[0]).join(", "), x, y: c ? c.y : "value", series };
  }

  function redraw() {
    if (!shown || !table) return;
    const host = $("run-curves");
    Plot.draw(host, spec(shown.kind, table, shown.id));
  }

  function stop() {
    if (stream) stream.close();
    stream = null;
  }

  function follow(run) {
    stop();
    shown = run;
    table = null;
    $("run-curves").replaceChildren();
    $("run-curves-note").textContent = run.status === "running" ? "waiting for rows…" : "";
    const source = new EventSource(runPath(run.id) + "/events");
    stream = source;
    source.addEventListener("metrics", e => {
      if (stream !== source) return;
      const d = JSON.parse(e.data);
      if (d.start || !table) table = { file: d.file, columns: d.columns, rows: [] };
      table.rows.push(...d.rows);
      $("run-curves-note").textContent = d.file + " · " + table.rows.length + " rows" + (run.status === "running" ? " · live" : "");
      redraw();
    });
    source.addEventListener("status", e => {
      if (stream !== source) return;
      source.done = true;
      const d = JSON.parse(e.data);
      $("run-curves-note").textContent = (table ? table.file + " · " + table.rows.length + " rows · " : "") + d.status;
      // A run seen training has ended: show its summary, figure and final plots (runs.js), once.
      if (run.status === "running" && selected === run.id) load().then(() => { if (selected === run.id) show(run.id); });
    });
    source.onerror = () => {
      if (stream !== source) return;
      // The server ends the stream after the status; closing here keeps EventSource from
      // reconnecting. Without a status (the server stopped), EventSource reconnects by itself and
      // the first event of the new stream replaces what is drawn.
      if (source.done) stop();
      else if (source.readyState === EventSource.CONNECTING) $("run-curves-note").textContent = "reconnecting…";
    };
  }

  // ---- Overlay of picked runs ----
  const picked = new Set();
  const preferred = ["accuracy", "val_accuracy", "val_bpc", "test_accuracy", "loss", "train_loss"];
  let compared = [];

  function addPicks() {
    const head = document.querySelector("#runs thead tr");
    if (head && !head.querySelector("th.pick")) head.prepend(el("th", { className: "pick", title: "pick runs to compare" }, "✓"));
    for (const tr of document.querySelectorAll("#runs tr.run")) {
      if (tr.querySelector("input.pick")) continue;
      const box = el("input", { type: "checkbox", className: "pick", checked: picked.has(tr.dataset.id), title: "compare this run" });
      box.dataset.id = tr.dataset.id;
      box.addEventListener("click", e => e.stopPropagation());
      box.addEventListener("change", () => {
        if (box.checked) picked.add(box.dataset.id); else picked.delete(box.dataset.id);
        $("compare").disabled = picked.size < 1;
      });
      const td = el("td", { className: "pick" });
      td.addEventListener("click", e => e.stopPropagation());
      td.append(box);
      tr.prepend(td);
    }
    $("compare").disabled = picked.size < 1;
  }

  // A run's whole CSV: the server answers at most 20,000 rows at a time ("more": ask from "next").
  async function allRows(id) {
    const table = await getJson(runPath(id) + "/metrics");
    while (table.more) {
      const page = await getJson(runPath(id) + "/metrics?file=" + encodeURIComponent(table.file) + "&from=" + table.next);
      table.rows.push(...page.rows);
      table.next = page.next;
      table.more = page.more;
    }
    return table;
  }

  async function compare() {
    const ids = [...document.querySelectorAll("#runs input.pick")].filter(b => b.checked).map(b => b.dataset.id);
    const note = $("compare-note");
    note.textContent = "";
    compared = [];
    for (const id of ids) {
      try { compared.push({ id, table: await allRows(id) }); }
      catch (e) { note.textContent += " " + id + ": no metrics yet."; }
    }
    if (compared.length === 0) { $("compare-chart").replaceChildren(); return; }
    const counts = new Map();
    for (const c of compared) for (const n of c.table.columns.slice(1)) counts.set(n, (counts.get(n) || 0) + 1);
    const names = [...counts.keys()].filter(n => !skipped.has(n)).sort((a, b) => counts.get(b) - counts.get(a));
    const select = $("compare-column");
    const keep = select.value;
    select.replaceChildren(...names.map(n => el("option", { value: n }, n + (counts.get(n) < compared.length ? " (" + counts.get(n) + " runs)" : ""))));
    select.value = names.includes(keep) ? keep : preferred.find(p => counts.get(p) === compared.length) || names[0] || "";
    $("compare-panel").hidden = false;
    drawCompare();
  }

  function drawCompare() {
    const name = $("compare-column").value;
    const series = [], missing = [];
    let x = null;
    for (const c of compared) {
      const t = c.table, i = column(t, name);
      if (i < 0) { missing.push(c.id); continue; }
      x = x || t.columns[0];
      series.push({ name: c.id, points: t.rows.filter(r => typeof r[i] === "number").map(r => [number(r[0]), r[i]]) });
    }
    $("compare-note").textContent = missing.length ? "no " + name + " in " + missing.join(", ") : "";
    Plot.draw($("compare-chart"), { title: name + " of " + series.length + " runs", x: x || "step", y: name, series });
  }

  document.addEventListener("DOMContentLoaded", () => {
    new MutationObserver(addPicks).observe($("runs").tBodies[0], { childList: true });
    addPicks();
    $("compare").addEventListener("click", compare);
    $("compare-column").addEventListener("change", drawCompare);
  });
  document.addEventListener("run-shown", e => follow(e.detail));
  window.addEventListener("resize", () => { redraw(); if (compared.length) drawCompare(); });

  return { follow, stop };
})();
