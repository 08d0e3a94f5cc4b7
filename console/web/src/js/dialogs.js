// Modal dialogs (<dialog>): a confirmation for dangerous commands, and a paste box that
// counts characters against the limit as you type.
import { count } from "./format.js";
import { pasteRefusal, preparePaste } from "./paste.js";

const $ = (id) => document.getElementById(id);

/** Resolves true when confirmed. The safe choice (Cancel) has the focus first. */
export function confirmAction(title, text, okLabel) {
  const d = $("confirm");
  $("confirm-title").textContent = title;
  $("confirm-text").textContent = text;
  $("confirm-ok").textContent = okLabel;
  d.returnValue = "cancel";
  return new Promise((resolve) => {
    d.addEventListener("close", () => resolve(d.returnValue === "ok"), { once: true });
    d.showModal();
    $("confirm-cancel").focus();
  });
}

/** Resolves with the text to paste, or null when cancelled. */
export function openPasteDialog(limit) {
  const d = $("paste-dialog");
  const area = $("paste-text");
  const update = () => {
    const { chars } = preparePaste(area.value, false);
    const refusal = pasteRefusal(chars, limit);
    $("paste-count").textContent = refusal || `${count(chars)} of ${count(limit)} characters`;
    $("paste-send").disabled = chars === 0 || refusal !== null;
  };
  area.value = "";
  update();
  area.addEventListener("input", update);
  d.returnValue = "cancel";
  return new Promise((resolve) => {
    d.addEventListener(
      "close",
      () => {
        area.removeEventListener("input", update);
        resolve(d.returnValue === "ok" ? area.value : null);
      },
      { once: true },
    );
    d.showModal();
    area.focus();
  });
}
