// The first page: the login form, then the list of targets (refreshed every 5 s).
import { ApiError, currentSession, listTargets, login, logout, takePageNote } from "./api.js";
import { clock, count, duration, el, showBanner } from "./format.js";
import { setupTheme } from "./theme.js";

const $ = (id) => document.getElementById(id);
let session = null;
let timer = 0;

const showNote = (text, level = "info") => showBanner($("page-notice"), text, level);

function showLogin() {
  clearInterval(timer);
  session = null;
  $("who").hidden = true;
  $("targets").hidden = true;
  $("login").hidden = false;
  $("user").focus();
}

async function showTargets(s) {
  session = s;
  $("who-user").textContent = s.user;
  $("who").hidden = false;
  $("login").hidden = true;
  $("targets").hidden = false;
  await refresh();
  if (document.activeElement === document.body || document.activeElement?.closest("[hidden]")) $("main").focus();
  clearInterval(timer);
  timer = setInterval(refresh, 5000);
}

function stateCell(t) {
  const td = el("td");
  if (t.role === null) {
    td.append(el("span", "Not for you", "state-off"), el("span", t.refusal || "", "why"));
  } else if (!t.enabled) {
    td.append(el("span", "Off", "state-off"), el("span", t.offReason || "", "why"));
  } else if (!t.open) {
    td.append(el("span", "On, not open", "state-off"), el("span", t.closedReason || "", "why"));
  } else {
    td.append(el("span", "On", "state-on"));
  }
  return td;
}

function row(t) {
  const tr = el("tr");
  const name = el("th", t.name);
  name.scope = "row";
  tr.append(name);
  tr.append(el("td", t.type + (t.windowsSac ? " (Windows SAC)" : "")));
  tr.append(el("td", t.role || "none"));
  tr.append(stateCell(t));
  const writer = t.writer ? `${t.writer.user} since ${clock(t.writer.since)}` : "free";
  tr.append(el("td", writer));
  const spectators = (t.attached || []).filter((a) => a.seat !== "writer").length;
  tr.append(el("td", count(spectators)));
  const w = (t.attached || []).find((a) => a.seat === "writer");
  tr.append(el("td", w ? duration(w.idleSeconds) : "—"));
  const actions = el("td");
  if (t.role !== null && t.enabled) {
    const box = el("div", "", "actions");
    const base = `console.html?target=${encodeURIComponent(t.name)}`;
    if (t.role !== "reader") {
      const open = el("a", "Open console");
      open.href = base;
      open.setAttribute("aria-label", `Open console: ${t.name}`);
      box.append(open);
    }
    const watch = el("a", "Watch");
    watch.href = `${base}&mode=read`;
    watch.setAttribute("aria-label", `Watch: ${t.name} (read-only)`);
    box.append(watch);
    actions.append(box);
  } else {
    actions.textContent = "—";
  }
  tr.append(actions);
  return tr;
}

async function refresh() {
  try {
    const data = await listTargets();
    $("targets-error").textContent = "";
    $("target-rows").replaceChildren(...data.targets.map(row));
    if (data.targets.length === 0)
      $("target-rows").replaceChildren(el("tr", "")).firstChild.append(
        Object.assign(el("td", "No target grants you a role (config `console.grants`)."), { colSpan: 8 }));
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      showNote("Your session has expired: log in again.", "warning");
      return showLogin();
    }
    $("targets-error").textContent = `The target list could not be read: ${e.message}`;
  }
}

function loginMessage(e) {
  if (e.status === 429) {
    const minutes = Math.max(1, Math.ceil((e.retryAfter || 60) / 60));
    return `Too many failed logins: try again in ${minutes} minute${minutes === 1 ? "" : "s"}. (${e.message})`;
  }
  if (e.status === 401) return "Wrong user name or password.";
  return `Login failed: ${e.message}`;
}

async function submitLogin(ev) {
  ev.preventDefault();
  const user = $("user").value.trim();
  const password = $("password").value;
  $("login-error").textContent = "";
  if (!user || !password) {
    $("login-error").textContent = "Enter a user name and a password.";
    return;
  }
  $("login-submit").disabled = true;
  try {
    await login(user, password);
    $("password").value = "";
    showNote("");
    await showTargets(await currentSession());
  } catch (e) {
    $("login-error").textContent = loginMessage(e);
    $("password").select();
  } finally {
    $("login-submit").disabled = false;
  }
}

async function doLogout() {
  try {
    if (session) await logout(session.csrf);
    showNote("You have logged out.");
  } catch (e) {
    showNote(`Logout: ${e.message}`, "error");
  }
  showLogin();
}

async function start() {
  setupTheme($("theme-slot"));
  $("login-form").addEventListener("submit", submitLogin);
  $("logout").addEventListener("click", doLogout);
  $("refresh").addEventListener("click", refresh);
  const note = takePageNote();
  if (note) showNote(note, "warning");
  try {
    const s = await currentSession();
    if (s) await showTargets(s);
    else showLogin();
  } catch (e) {
    showNote(`The gateway cannot be reached: ${e.message}`, "error");
    showLogin();
  }
}

start();
