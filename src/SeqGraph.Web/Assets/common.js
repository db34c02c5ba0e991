"use strict";
// Shared by every script of the page: element lookup and creation, JSON fetches, run URLs.
const $ = id => document.getElementById(id);
const runPath = id => "/api/runs/" + id.split("/").map(encodeURIComponent).join("/");
const el = (tag, props, text) => {
  const e = document.createElement(tag);
  Object.assign(e, props || {});
  if (text !== undefined) e.textContent = text;
  return e;
};

async function getJson(url) {
  const r = await fetch(url, { cache: "no-store" });
  if (!r.ok) throw new Error(url + ": " + r.status);
  return r.json();
}

// Tabs: each <nav id="tabs"> button shows the <section class="tab"> its data-tab names.
function showTab(name) {
  for (const b of document.querySelectorAll("#tabs button"))
    b.setAttribute("aria-selected", String(b.dataset.tab === name));
  for (const s of document.querySelectorAll("section.tab"))
    s.hidden = s.id !== "tab-" + name;
  document.dispatchEvent(new CustomEvent("tab-shown", { detail: name }));
}
document.addEventListener("DOMContentLoaded", () => {
  for (const b of document.querySelectorAll("#tabs button"))
    b.addEventListener("click", () => showTab(b.dataset.tab));
});
