// The fleet status page: polls the dispatcher's API and redraws in place; no framework.
"use strict";

const TOKEN_KEY = "pgfleet.token";
const POLL_MS = 2000;
let selectedTarget = null;
let selectedRun = null;

function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

async function api(path) {
  const response = await fetch(path, { headers: { Authorization: "Bearer " + token() } });
  if (response.status === 401) {
    sessionStorage.removeItem(TOKEN_KEY);
    showLogin("That token is not valid.");
    throw new Error("unauthorized");
  }
  const body = await response.json();
  if (!response.ok) {
    throw new Error(body.detail || response.statusText);
  }
  return body;
}

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value !== undefined && value !== null) node.setAttribute(key, value);
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

function age(seconds) {
  if (seconds === undefined || seconds === null) return "never";
  if (seconds < 90) return seconds + " s ago";
  const minutes = Math.floor(seconds / 60);
  if (minutes < 90) return minutes + " min ago";
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return hours + " h " + (minutes % 60) + " min ago";
  return Math.floor(hours / 24) + " d " + (hours % 24) + " h ago";
}

function bytes(n) {
  if (n === undefined || n === null) return "?";
  const units = ["B", "KB", "MB", "GB", "TB"];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return (i === 0 ? n : n.toFixed(1)) + " " + units[i];
}

function time(iso) {
  return iso ? new Date(iso).toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z").replace(/Z$/, " UTC") : "";
}

function freshnessCell(cls, fact) {
  const sub = fact.lastFailure
    ? el("span", { class: "sub" }, "last attempt failed: " + fact.lastFailure)
    : fact.at ? el("span", { class: "sub" }, time(fact.at)) : null;
  return el("td", { class: cls, "data-status": fact.status }, age(fact.ageSeconds), sub);
}

function healthCell(health) {
  if (!health) return el("td", { class: "health muted" }, "—");
  const worst = health.worstFinding;
  const text = worst ? (worst.check || worst.name || "finding") + (worst.message ? ": " + worst.message : "") : null;
  return el("td", { class: "health health-" + health.status, "data-health": health.status },
    health.status, text ? el("span", { class: "sub" }, text) : null,
    el("span", { class: "sub" }, "checked " + age(health.ageSeconds)));
}

function integrityCell(integrity, now) {
  if (!integrity) return el("td", { class: "integrity muted" }, "never checked");
  const n = integrity.corruptRelations;
  const worst = integrity.worstFinding;
  const ageSeconds = Math.max(0, Math.round((Date.parse(now) - Date.parse(integrity.at)) / 1000));
  return el("td", { class: "integrity health-" + integrity.status, "data-integrity": integrity.status },
    n === undefined || n === null ? integrity.status : n + (n === 1 ? " corrupt relation" : " corrupt relations"),
    worst && integrity.status !== "ok" ? el("span", { class: "sub" }, worst.check + ": " + worst.message) : null,
    el("span", { class: "sub" }, "checked " + age(ageSeconds)));
}

function windowCell(w, now) {
  if (!w) return el("td", { class: "window muted" }, "—");
  const from = el("span", { class: "sub" }, "from " + time(w.startTime));
  if (!w.endSegment) return el("td", { class: "window", "data-status": "red" }, "none: " + w.gap + " missing", from);
  const ageSeconds = Math.max(0, Math.round((Date.parse(now) - Date.parse(w.endArchivedAt)) / 1000));
  return el("td", { class: "window", "data-status": w.gap ? "amber" : null },
    "WAL " + age(ageSeconds), from,
    w.gap ? el("span", { class: "sub" }, "ends before missing " + w.gap) : null);
}

function progressBar(pct) {
  const fill = el("span");
  fill.style.width = pct + "%"; // CSSOM, which the page's Content-Security-Policy allows
  return el("div", { class: "bar" }, fill);
}

function runningCell(runs) {
  if (!runs || runs.length === 0) return el("td", { class: "running muted" }, "—");
  const cell = el("td", { class: "running" });
  for (const run of runs) {
    const p = run.progress || {};
    const pct = p.bytesEstimated ? Math.min(100, Math.round(100 * p.bytesDone / p.bytesEstimated)) : null;
    cell.append(el("div", { "data-command": run.commandId },
      run.operation + (pct !== null ? " " + pct + "%" : ""),
      p.bytesDone !== undefined ? el("span", { class: "sub" }, bytes(p.bytesDone) + (p.bytesEstimated ? " of " + bytes(p.bytesEstimated) : "")) : null,
      pct !== null ? progressBar(pct) : null));
  }
  return cell;
}

function renderTargets(data) {
  const body = document.querySelector("#targets tbody");
  const rows = data.targets.map((t) => {
    const vacuum = t.vacuum ? age(t.vacuum.ageSeconds) : "never";
    const row = el("tr", { "data-target": t.target, class: t.target === selectedTarget ? "selected" : null },
      el("td", { class: "target" }, t.target, el("span", { class: "sub" }, "RPO " + Math.round(t.rpoSeconds / 3600) + " h")),
      freshnessCell("backup", t.backup),
      freshnessCell("verified", t.verifiedBackup),
      el("td", { class: "vacuum" }, vacuum),
      healthCell(t.health ? Object.assign({ ageSeconds: Math.round((Date.parse(data.now) - Date.parse(t.health.at)) / 1000) }, t.health) : null),
      integrityCell(t.integrity, data.now),
      runningCell(t.running),
      windowCell(t.recoverableWindow, data.now));
    row.addEventListener("click", () => { selectedTarget = t.target; selectedRun = null; refresh(); });
    return row;
  });
  body.replaceChildren(...rows);
  document.getElementById("updated").textContent = "as of " + time(data.now) + " · updates every " + POLL_MS / 1000 + " s";
}

async function renderRuns() {
  const section = document.getElementById("runs");
  if (!selectedTarget) { section.hidden = true; return; }
  const data = await api("/api/v1/runs?limit=15&target=" + encodeURIComponent(selectedTarget));
  document.getElementById("runs-target").textContent = selectedTarget;
  const rows = data.runs.map((r) => {
    const row = el("tr", { "data-run": r.commandId, class: r.commandId === selectedRun ? "selected" : null },
      el("td", {}, time(r.requestedAt)), el("td", {}, r.operation),
      el("td", { class: "status-" + r.status }, r.status), el("td", { class: "mono" }, r.commandId));
    row.addEventListener("click", () => { selectedRun = r.commandId; refresh(); });
    return row;
  });
  document.querySelector("#run-list tbody").replaceChildren(...rows);
  section.hidden = false;
}

function eventDetail(e) {
  const d = e.data || {};
  if (d.progress) return bytes(d.progress.bytesDone) + (d.progress.bytesEstimated ? " of " + bytes(d.progress.bytesEstimated) : "");
  if (d.error) return d.error.code + ": " + d.error.message;
  if (d.artifacts) return d.artifacts.map((a) => a.uri + " (" + bytes(a.bytes) + ")").join(", ");
  if (d.original) return "already " + d.original.outcome;
  if (d.worker) return "attempt " + (d.attempt || 1) + " on " + d.worker;
  return "";
}

async function renderRun() {
  const section = document.getElementById("run");
  if (!selectedRun) { section.hidden = true; return; }
  const run = await api("/api/v1/runs/" + encodeURIComponent(selectedRun));
  document.getElementById("run-id").textContent = run.commandId;
  const facts = [["target", run.target], ["operation", run.operation], ["status", run.status],
    ["source", run.source], ["requested", time(run.requestedAt)], ["started", time(run.startedAt)],
    ["finished", time(run.finishedAt)], ["worker", run.worker], ["expires", time(run.expiresAt)]];
  document.getElementById("run-facts").replaceChildren(...facts.filter((f) => f[1]).flatMap((f) => [el("dt", {}, f[0]), el("dd", {}, f[1])]));
  document.querySelector("#run-events tbody").replaceChildren(...(run.events || []).map((e) =>
    el("tr", { "data-outcome": e.outcome }, el("td", {}, time(e.time)), el("td", {}, e.outcome), el("td", { class: "mono" }, eventDetail(e)))));
  section.hidden = false;
}

async function refresh() {
  try {
    renderTargets(await api("/api/v1/targets"));
    await renderRuns();
    await renderRun();
  } catch (e) {
    if (e.message !== "unauthorized") {
      document.getElementById("updated").textContent = "cannot reach the dispatcher: " + e.message + " (retrying)";
    }
  }
}

function showLogin(message) {
  document.getElementById("fleet").hidden = true;
  document.getElementById("login").hidden = false;
  document.getElementById("login-error").textContent = message || "";
}

function start() {
  document.getElementById("login").hidden = true;
  document.getElementById("fleet").hidden = false;
  refresh();
}

document.addEventListener("DOMContentLoaded", () => {
  if (location.hash.startsWith("#token=")) {
    sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(location.hash.slice(7)));
    history.replaceState(null, "", location.pathname);
  }
  document.getElementById("login").addEventListener("submit", (event) => {
    event.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, document.getElementById("token").value);
    start();
  });
  if (token()) start(); else showLogin();
  setInterval(() => { if (token()) refresh(); }, POLL_MS);
});
