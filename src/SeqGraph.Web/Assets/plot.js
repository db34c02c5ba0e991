"use strict";
// Line charts drawn as SVG, our own: axes with ticks and labels, a legend, optional ± bands and a
// log y axis, and a tooltip that shows the values under the mouse. Plot.draw(host, spec) replaces
// what host holds; call it again with new data to update. spec = { title, x, y, logY: true | false |
// "auto", series: [{ name, points: [[x, y], ...], band: [[x, low, high], ...], color, dash }] }.
// Each line is a path.series with data-name and data-points (its number of points); a band is a
// path.band with the same data-name.
const Plot = (() => {
  const NS = "http://www.w3.org/2000/svg";
  const palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"];
  const H = 300, M = { l: 62, r: 16, t: 28, b: 44 };

  const svg = (tag, attrs, text) => {
    const e = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    return e;
  };

  const format = v => {
    if (!Number.isFinite(v)) return String(v);
    const a = Math.abs(v);
    if (a !== 0 && (a >= 1e5 || a < 1e-3)) return v.toExponential(2);
    if (Number.isInteger(v)) return String(v);
    return String(Number(v.toPrecision(4)));
  };

  // Round ticks between lo and hi, about `count` of them; whole numbers only when `integer`.
  function ticks(lo, hi, count, integer) {
    if (hi <= lo) return [lo];
    const raw = (hi - lo) / count, p = Math.pow(10, Math.floor(Math.log10(raw))), f = raw / p;
    let step = (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * p;
    if (integer) step = Math.max(1, Math.round(step));
    const out = [];
    for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) out.push(Math.abs(t) < step * 1e-9 ? 0 : t);
    return out;
  }

  // Tick labels with as many decimals as the step between ticks needs, so close ticks never read
  // alike (0.99985 and 0.9999, not 0.9998 twice); log ticks and very large or small values as format.
  function tickLabels(list, log) {
    if (log || list.length < 2) return list.map(format);
    const step = Math.abs(list[1] - list[0]), top = Math.max(...list.map(Math.abs));
    if (top >= 1e5 || (top > 0 && top < 1e-3)) return list.map(format);
    const decimals = Math.max(0, Math.ceil(-Math.log10(step) - 1e-9));
    return list.map(t => t.toFixed(Math.min(decimals, 8)));
  }

  function logTicks(lo, hi) {
    const out = [];
    for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
      const t = Math.pow(10, e);
      if (t >= lo * 0.999 && t <= hi * 1.001) out.push(t);
    }
    return out.length >= 2 ? out : ticks(lo, hi, 4);
  }

  function extent(values, pad) {
    let lo = Math.min(...values), hi = Math.max(...values);
    if (!Number.isFinite(lo)) return [0, 1];
    if (lo === hi) { const d = lo === 0 ? 1 : Math.abs(lo) * 0.1; return [lo - d, hi + d]; }
    const d = (hi - lo) * pad;
    return [lo - d, hi + d];
  }

  function draw(host, spec) {
    host.replaceChildren();
    host.classList.add("plot");
    const series = spec.series.map((s, i) => ({ ...s, color: s.color || palette[i % palette.length],
      points: s.points.filter(p => Number.isFinite(p[0]) && Number.isFinite(p[1])) }));
    const ys = [], xs = [];
    for (const s of series) {
      for (const p of s.points) { xs.push(p[0]); ys.push(p[1]); }
      for (const b of s.band || []) { ys.push(b[1], b[2]); }
    }
    const positive = ys.filter(y => y > 0);
    const logY = spec.logY === "auto" ? positive.length === ys.length && positive.length > 1 &&
      Math.max(...positive) / Math.min(...positive) >= 100 : !!spec.logY;
    const W = Math.max(360, Math.min(host.clientWidth || 720, 900));
    const [x0, x1] = extent(xs, 0);
    let [y0, y1] = logY ? [Math.min(...positive), Math.max(...positive)] : extent(ys, 0.05);
    if (logY) { y0 /= 1.3; y1 *= 1.3; }
    const sx = x => M.l + (x1 === x0 ? 0.5 : (x - x0) / (x1 - x0)) * (W - M.l - M.r);
    const ty = y => logY ? Math.log10(y) : y;
    const sy = y => H - M.b - (ty(y) - ty(y0)) / (ty(y1) - ty(y0)) * (H - M.t - M.b);
    const root = svg("svg", { width: W, height: H, viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": spec.title || "chart" });
    root.append(svg("text", { x: M.l, y: 17, class: "plot-title" }, spec.title || ""));

    const axes = svg("g", { class: "axes" });
    const yTicks = logY ? logTicks(y0, y1) : ticks(y0, y1, 5), yLabels = tickLabels(yTicks, logY);
    yTicks.forEach((t, i) => {
      const y = sy(t);
      axes.append(svg("line", { x1: M.l, x2: W - M.r, y1: y, y2: y, class: "grid" }),
                  svg("text", { x: M.l - 6, y: y + 4, "text-anchor": "end", class: "tick" }, yLabels[i]));
    });
    const wholeX = xs.every(Number.isInteger);
    const xTicks = ticks(x0, x1, Math.max(3, Math.floor(W / 110)), wholeX), xLabels = tickLabels(xTicks, false);
    xTicks.forEach((t, i) => {
      const x = sx(t);
      axes.append(svg("line", { x1: x, x2: x, y1: H - M.b, y2: H - M.b + 4, class: "axis" }),
                  svg("text", { x, y: H - M.b + 17, "text-anchor": "middle", class: "tick" }, xLabels[i]));
    });
    axes.append(svg("line", { x1: M.l, x2: W - M.r, y1: H - M.b, y2: H - M.b, class: "axis" }),
                svg("line", { x1: M.l, x2: M.l, y1: M.t, y2: H - M.b, class: "axis" }),
                svg("text", { x: (M.l + W - M.r) / 2, y: H - 6, "text-anchor": "middle", class: "label" }, spec.x || ""),
                svg("text", { x: 14, y: (M.t + H - M.b) / 2, "text-anchor": "middle", class: "label",
                              transform: `rotate(-90 14 ${(M.t + H - M.b) / 2})` }, (spec.y || "") + (logY ? " (log)" : "")));
    root.append(axes);

    const clampY = y => logY ? Math.max(y, y0) : y;
    for (const s of series) {
      if (!s.band || s.band.length === 0) continue;
      const top = s.band.map(b => `${sx(b[0])},${sy(clampY(b[2]))}`);
      const bottom = s.band.slice().reverse().map(b => `${sx(b[0])},${sy(clampY(b[1]))}`);
      root.append(svg("path", { d: "M" + top.concat(bottom).join("L") + "Z", class: "band", fill: s.color, "data-name": s.name }));
    }
    for (const s of series) {
      const d = s.points.map((p, i) => (i ? "L" : "M") + sx(p[0]).toFixed(1) + "," + sy(p[1]).toFixed(1)).join("");
      const path = svg("path", { d: d || "M0,0", class: "series", stroke: s.color, "data-name": s.name, "data-points": s.points.length });
      if (s.dash) path.setAttribute("stroke-dasharray", "6 4");
      root.append(path);
      if (s.points.length <= 40 || s.marks)
        for (const p of s.points) root.append(svg("circle", { cx: sx(p[0]), cy: sy(p[1]), r: 2.5, fill: s.color, class: "mark" }));
    }

    // Hover: the nearest x of any series, a rule there, each series' value at its nearest point.
    const hover = svg("g", { class: "hover", visibility: "hidden" });
    const rule = svg("line", { y1: M.t, y2: H - M.b, class: "rule" });
    hover.append(rule);
    const dots = series.map(s => { const c = svg("circle", { r: 4, fill: s.color }); hover.append(c); return c; });
    root.append(hover);
    const tip = el("div", { className: "plot-tip", hidden: true });
    const catcher = svg("rect", { x: M.l, y: M.t, width: W - M.l - M.r, height: H - M.t - M.b, fill: "transparent", class: "catcher" });
    root.append(catcher);
    catcher.addEventListener("mousemove", ev => {
      const box = root.getBoundingClientRect();
      const mx = (ev.clientX - box.left) * W / box.width;
      const x = x0 + (mx - M.l) / (W - M.l - M.r) * (x1 - x0);
      let best = null;
      for (const s of series) for (const p of s.points) if (best === null || Math.abs(p[0] - x) < Math.abs(best - x)) best = p[0];
      if (best === null) return;
      const lines = [(spec.x || "x") + " " + format(best)];
      series.forEach((s, i) => {
        let near = null;
        for (const p of s.points) if (near === null || Math.abs(p[0] - best) < Math.abs(near[0] - best)) near = p;
        if (near === null || Math.abs(near[0] - best) > (x1 - x0) / 50 + 1e-12) { dots[i].setAttribute("visibility", "hidden"); return; }
        dots[i].setAttribute("visibility", "visible");
        dots[i].setAttribute("cx", sx(near[0]));
        dots[i].setAttribute("cy", sy(near[1]));
        const band = (s.band || []).find(b => b[0] === near[0]);
        lines.push(s.name + ": " + format(near[1]) + (band ? " ± " + format((band[2] - band[1]) / 2) : ""));
      });
      rule.setAttribute("x1", sx(best));
      rule.setAttribute("x2", sx(best));
      hover.setAttribute("visibility", "visible");
      tip.replaceChildren(...lines.map((l, i) => el(i ? "div" : "strong", {}, l)));
      tip.hidden = false;
      const left = sx(best) * box.width / W;
      tip.style.left = (left > box.width * 0.6 ? left - tip.offsetWidth - 12 : left + 12) + "px";
      tip.style.top = (M.t + 4) + "px";
    });
    catcher.addEventListener("mouseleave", () => { hover.setAttribute("visibility", "hidden"); tip.hidden = true; });

    const legend = el("div", { className: "plot-legend" });
    for (const s of series) {
      const item = el("span", { className: "legend-item" });
      item.dataset.name = s.name;
      const swatch = el("span", { className: "swatch" });
      swatch.style.background = s.color;
      item.append(swatch, s.name);
      legend.append(item);
    }
    host.append(root, legend, tip);
    return { logY };
  }

  return { draw, palette, format };
})();
