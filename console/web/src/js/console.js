// The console page: one WebSocket to the gateway (docs/console-protocol.md), the terminal,
// the seat status, in-band notices shown in the page and announced to screen readers, the
// command bar, paste with the limit checked first, and a one-key reconnect.
import { currentSession, setPageNote, whyRefused } from "./api.js";
import { confirmAction, openPasteDialog } from "./dialogs.js";
import { clock, count, showBanner } from "./format.js";
import { keyMenu } from "./keys.js";
import { pasteRefusal, preparePaste } from "./paste.js";
import { openTerminal } from "./terminal.js";
import { isDark, setupTheme } from "./theme.js";

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const targetName = params.get("target") || "";
const watchOnly = params.get("mode") === "read";
const encoder = new TextEncoder();
const HIGH_WATER = 256 * 1024; // output bytes xterm has not drawn yet: ask the gateway to pause
const LOW_WATER = 32 * 1024;

let session = null;
let ws = null;
let opened = false;
let connected = false;
let lastNotice = null;
let state = null; // from hello, updated by seat messages
let inputPaused = false;
let outputPending = 0;
let outputPaused = false;
let idleTimer = 0;
let readOnlyToldAt = 0;
let term = null;
let refused = false; // the last handshake was refused: take a fresh session and token next

// ---- announcements -------------------------------------------------------------------

function announce(text, urgent = false) {
  const region = $(urgent ? "alert" : "live");
  region.textContent = "";
  setTimeout(() => {
    region.textContent = text;
  }, 50);
}

const banner = (text, level = "info") => showBanner($("notice"), text, level);

// ---- status ---------------------------------------------------------------------------

function render() {
  const s = state;
  const writer = s && s.seat === "writer";
  $("st-you").textContent = s
    ? `${s.user} (${s.role}), ${writer ? "writer: you can type" : "spectator: read-only"}`
    : "—";
  $("st-writer").textContent = !s ? "—" : s.writer ? `${s.writer.user} since ${clock(s.writer.since)}` : "nobody";
  $("st-spectators").textContent = s ? count(s.spectators) : "—";
  $("st-paste").textContent = !s ? "—" : s.limits.pasteChars === 0 ? "off" : `${count(s.limits.pasteChars)} characters`;
  $("st-link").textContent = connected ? "connected" : refused ? "refused" : opened ? "disconnected" : "connecting";
  const can = (s && connected && s.can) || {};
  $("takeover").hidden = !(can.takeover && !writer && s.writer);
  $("request").hidden = !(can.write && !writer && !s.writer);
  $("release").hidden = !writer;
  $("break").hidden = !can.break;
  $("nmi").hidden = !can.nmi;
  $("restart").hidden = !can.restart;
  $("machine").hidden = !(can.nmi || can.restart);
  $("fit").hidden = !(s && !s.target.windowsSac);
  for (const id of ["send-key", "paste", "fit", "break"]) $(id).disabled = !writer;
}

function fillKeys(windowsSac) {
  const select = $("fkey");
  select.replaceChildren();
  for (const k of keyMenu(windowsSac)) {
    const o = document.createElement("option");
    o.value = k.id;
    o.textContent = k.label;
    o.dataset.bytes = k.bytes;
    select.append(o);
  }
}

// ---- sending ----------------------------------------------------------------------------

function sendControl(obj) {
  if (connected) ws.send(JSON.stringify(obj));
}

function tellReadOnly() {
  const now = Date.now();
  if (now - readOnlyToldAt < 5000) return;
  readOnlyToldAt = now;
  const how = state && state.can.write ? " Take over or request the seat to type." : "";
  banner(`You are watching: keystrokes are not sent.${how}`, "info");
}

function sendInput(text) {
  if (!connected) return reconnect();
  if (!state || state.seat !== "writer") return tellReadOnly();
  if (inputPaused) return banner("The target is behind: input paused until it catches up.", "warning");
  stopIdleCountdown();
  ws.send(encoder.encode(text));
}

function paste(raw) {
  if (!connected) return;
  if (!state || state.seat !== "writer") return tellReadOnly();
  const p = preparePaste(raw, term.term.modes.bracketedPasteMode);
  const refusal = pasteRefusal(p.chars, state.limits.pasteChars);
  if (refusal) {
    banner(`${refusal[0].toUpperCase()}${refusal.slice(1)}. Nothing was sent.`, "warning");
    announce(refusal, true);
    return;
  }
  const bytes = encoder.encode(p.text);
  stopIdleCountdown();
  ws.send(JSON.stringify({ type: "paste", length: bytes.length }));
  ws.send(bytes);
}

// ---- output -------------------------------------------------------------------------------

function writeOutput(bytes) {
  outputPending += bytes.length;
  term.term.write(bytes, () => {
    outputPending -= bytes.length;
    if (outputPaused && outputPending < LOW_WATER) {
      outputPaused = false;
      sendControl({ type: "resume" });
    }
  });
  if (!outputPaused && outputPending > HIGH_WATER) {
    outputPaused = true;
    sendControl({ type: "pause" });
  }
}

// ---- notices ------------------------------------------------------------------------------

function stopIdleCountdown() {
  if (!idleTimer) return;
  clearInterval(idleTimer);
  idleTimer = 0;
  banner("");
}

function idleCountdown(seconds) {
  clearInterval(idleTimer);
  let left = seconds;
  const show = () => banner(`Idle: you will be disconnected in ${left} s unless you type.`, "warning");
  show();
  announce(`Idle warning: disconnect in ${seconds} seconds unless you type.`, true);
  idleTimer = setInterval(() => {
    left -= 1;
    if (left <= 0) return clearInterval(idleTimer);
    show();
  }, 1000);
}

function onNotice(n) {
  lastNotice = n;
  switch (n.code) {
    case "taken_over": {
      const text = `${n.by} took over the seat at ${clock(n.at)}: you are now a spectator.`;
      banner(text, "warning");
      announce(text, true);
      return;
    }
    case "took_over": {
      const text = `You took over the seat${n.from ? ` from ${n.from}` : ""}: you can type.`;
      banner(text, "info");
      announce(text);
      return;
    }
    case "idle_warning":
      return idleCountdown(n.seconds || 60);
    default:
      banner(n.text, n.level || "info");
      if (n.level === "error" || n.level === "warning") announce(n.text, true);
      else announce(n.text);
  }
}

function onControl(msg) {
  switch (msg.type) {
    case "hello":
      state = { ...msg };
      if (!watchOnly && state.seat !== "writer" && state.writer && state.can.write)
        banner(`${state.writer.user} holds the seat: you are watching. Take over or wait for it.`, "info");
      fillKeys(msg.target.windowsSac);
      announce(`Attached to ${msg.target.name} as ${state.seat === "writer" ? "the writer" : "a spectator"}.`);
      break;
    case "seat":
      if (state) Object.assign(state, { seat: msg.seat, writer: msg.writer, spectators: msg.spectators });
      break;
    case "notice":
      onNotice(msg);
      break;
    case "pause":
      inputPaused = true;
      break;
    case "resume":
      inputPaused = false;
      break;
    default:
      break;
  }
  render();
}

// ---- the connection ------------------------------------------------------------------------

function showDisconnected(text, relogin = false) {
  stopIdleCountdown();
  $("disconnected-text").textContent = `Disconnected: ${text}`;
  $("relogin").hidden = !relogin;
  $("disconnected").hidden = false;
  $("reconnect").hidden = relogin;
  announce(`Disconnected: ${text}`, true);
  render();
}

async function onClose(ev) {
  connected = false;
  inputPaused = false;
  if (!opened) {
    refused = true;
    const why = await whyRefused(targetName, session.csrf);
    if (why.status === 401) return showDisconnected("your session has expired or was ended: log in again.", true);
    if (why.status && why.status !== 426) return showDisconnected(`the gateway refused the connection: ${why.message}`);
    if (why.status === 426)
      return showDisconnected(
        `the gateway refused the WebSocket although your session and token are valid: most likely this page's origin \`${location.origin}\` is not the address the gateway sees (a proxy rewriting Host?).`,
      );
    return showDisconnected("the connection could not be opened: the gateway cannot be reached.");
  }
  const text = lastNotice && lastNotice.level === "error" ? lastNotice.text : ev.reason || `the connection closed (code ${ev.code})`;
  showDisconnected(text);
}

function connect() {
  opened = false;
  lastNotice = null;
  outputPending = 0;
  outputPaused = false;
  const url = new URL(`/api/targets/${encodeURIComponent(targetName)}/ws`, location.href);
  url.protocol = "wss:";
  url.searchParams.set("mode", watchOnly ? "read" : "write");
  ws = new WebSocket(url, ["comredir.console.v1", `csrf.${session.csrf}`]);
  ws.binaryType = "arraybuffer";
  ws.addEventListener("open", () => {
    opened = true;
    refused = false;
    connected = true;
    $("disconnected").hidden = true;
    render();
  });
  ws.addEventListener("message", (ev) => {
    if (typeof ev.data === "string") {
      try {
        onControl(JSON.parse(ev.data));
      } catch {
        banner("The gateway sent a message this page cannot read.", "error");
      }
    } else {
      writeOutput(new Uint8Array(ev.data));
    }
  });
  ws.addEventListener("close", onClose);
  render();
}

async function reconnect() {
  if (connected || (ws && ws.readyState === WebSocket.CONNECTING)) return;
  if (refused) {
    const s = await currentSession().catch(() => null);
    if (!s) return showDisconnected("your session has expired or was ended: log in again.", true);
    session = s;
  }
  $("disconnected").hidden = true;
  banner("");
  term.term.reset(); // the replay restores the context
  connect();
  term.term.focus();
}

// ---- the command bar ------------------------------------------------------------------------

function downloadLog() {
  const blob = new Blob([`${term.text()}\n`], { type: "text/plain" });
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = `${targetName}-${new Date().toISOString().replace(/[:.]/g, "-")}.log`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
}

async function machine(kind) {
  const nmi = kind === "nmi";
  const ok = await confirmAction(
    nmi ? `Send an NMI to ${targetName}?` : `Restart ${targetName}?`,
    nmi
      ? "A non-maskable interrupt stops the running system in its tracks (Linux may panic or dump; Windows shows a bug check if set to). Everyone attached sees it."
      : "The machine is reset at once, like pressing its reset button: unsaved work on it is lost. Everyone attached sees it.",
    nmi ? "Send NMI" : "Restart",
  );
  if (ok) sendControl({ type: kind });
  else announce(nmi ? "NMI not sent." : "Restart cancelled.");
}

function leaveTerminal() {
  const first = [...document.querySelectorAll(".status button, .commands button, .commands select, .commands input")].find(
    (e) => !e.closest("[hidden]") && !e.disabled,
  );
  (first || $("back")).focus();
}

function wire() {
  $("takeover").addEventListener("click", () => sendControl({ type: "takeover" }));
  $("request").addEventListener("click", () => sendControl({ type: "request" }));
  $("release").addEventListener("click", () => sendControl({ type: "release" }));
  $("break").addEventListener("click", () => sendControl({ type: "break", ms: 250 }));
  $("nmi").addEventListener("click", () => machine("nmi"));
  $("restart").addEventListener("click", () => machine("restart"));
  $("send-key").addEventListener("click", () => {
    const o = $("fkey").selectedOptions[0];
    if (o) sendInput(o.dataset.bytes);
  });
  $("paste").addEventListener("click", async () => {
    const text = await openPasteDialog(state ? state.limits.pasteChars : 0);
    if (text !== null) paste(text);
  });
  $("copy").addEventListener("click", () => {
    const text = term.term.getSelection();
    if (!text) return banner("Select text in the terminal first.", "info");
    navigator.clipboard.writeText(text).then(
      () => banner(`Copied ${count(text.length)} characters.`, "info"),
      () => banner("The browser did not allow copying to the clipboard.", "warning"),
    );
  });
  $("download").addEventListener("click", downloadLog);
  $("fit").addEventListener("click", () => {
    term.fit();
    sendInput(`stty rows ${term.term.rows} cols ${term.term.cols}\r`);
    announce(`Sent stty rows ${term.term.rows} cols ${term.term.cols}.`);
  });
  $("screen-reader").addEventListener("change", (ev) => {
    term.term.options.screenReaderMode = ev.target.checked;
    localStorage.setItem("comredir.screenReader", ev.target.checked ? "1" : "0");
  });
  $("reconnect").addEventListener("click", reconnect);
  document.addEventListener("keydown", (ev) => {
    if (ev.ctrlKey && ev.key === "F6" && !ev.target.closest?.(".xterm")) {
      ev.preventDefault();
      term.term.focus();
      return;
    }
    // While disconnected, one key (not Tab, not a modifier alone) reconnects.
    if (!$("disconnected").hidden && !$("reconnect").hidden && isReconnectKey(ev) && !usedByControl(ev)) {
      ev.preventDefault();
      reconnect();
    }
  });
}

/** Keys a focused control needs for itself (typing in a field, pressing a button). */
function usedByControl(ev) {
  const t = ev.target;
  if (t.closest?.("input, select, textarea, dialog")) return true;
  return !!t.closest?.("button, a") && (ev.key === "Enter" || ev.key === " ");
}

function isReconnectKey(ev) {
  const ignored = ["Tab", "Shift", "Control", "Alt", "Meta", "CapsLock", "ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight"];
  return !ignored.includes(ev.key) && !ev.altKey && !ev.metaKey && !(ev.ctrlKey && ev.key === "F6");
}

// ---- start ------------------------------------------------------------------------------------

async function start() {
  $("target-name").textContent = targetName || "(none)";
  document.title = `${targetName} — serial console — comredir`;
  const screenReader = localStorage.getItem("comredir.screenReader") === "1";
  $("screen-reader").checked = screenReader;
  term = openTerminal($("terminal"), { screenReaderMode: screenReader, dark: false }, {
    leave: leaveTerminal,
    paste,
    copied: (n) =>
      banner(n > 0 ? `Copied ${count(n)} characters.` : n === 0 ? "Select text in the terminal first." : "The browser did not allow copying.", "info"),
    key: (ev) => {
      if ($("disconnected").hidden || $("reconnect").hidden || !isReconnectKey(ev)) return false;
      reconnect();
      return true;
    },
  });
  setupTheme($("theme-slot"), (dark) => term.setDark(dark));
  term.setDark(isDark());
  term.term.onData(sendInput);
  term.term.onBinary((data) => {
    if (!state || state.seat !== "writer" || !connected) return;
    ws.send(Uint8Array.from(data, (c) => c.charCodeAt(0) & 0xff));
  });
  // For the tests and the devtools console: the terminal, its text, the session in use.
  window.comredir = {
    terminal: term.term,
    text: () => term.text(),
    get session() {
      return session;
    },
  };
  wire();
  render();
  if (!targetName) return showDisconnected("no target named in the address (console.html?target=NAME).", false);
  session = await currentSession().catch(() => null);
  if (!session) {
    setPageNote("Log in to open the console.");
    location.replace("./");
    return;
  }
  $("who-user").textContent = session.user;
  connect();
  term.term.focus();
}

start();
