// The xterm.js terminal of the console page: themes with AA contrast, fit to the window,
// the clipboard keys Azure's serial console uses (Ctrl+Shift+V pastes, Ctrl+Shift+C copies)
// and Ctrl+F6 to leave the terminal for the page's controls.
import { FitAddon } from "../vendor/addon-fit.mjs";
import { Terminal } from "../vendor/xterm.mjs";

const LIGHT = {
  background: "#ffffff", foreground: "#1b1f24", cursor: "#1b1f24", cursorAccent: "#ffffff",
  selectionBackground: "#b6d4f5", selectionForeground: "#1b1f24",
  black: "#1b1f24", red: "#b42318", green: "#17692f", yellow: "#735400", blue: "#0b5cad",
  magenta: "#8a2f9e", cyan: "#0c6570", white: "#4b5563",
  brightBlack: "#3f4650", brightRed: "#a01c12", brightGreen: "#125a27", brightYellow: "#5f4500",
  brightBlue: "#084c90", brightMagenta: "#74248a", brightCyan: "#08555e", brightWhite: "#1b1f24",
};
const DARK = {
  background: "#0c0e11", foreground: "#e6e8eb", cursor: "#e6e8eb", cursorAccent: "#0c0e11",
  selectionBackground: "#2f4f73", selectionForeground: "#ffffff",
  black: "#3f4650", red: "#ff8a80", green: "#7ee2a0", yellow: "#f5d46b", blue: "#8cc4ff",
  magenta: "#e0a3f5", cyan: "#7fdde8", white: "#d0d4d9",
  brightBlack: "#8b939d", brightRed: "#ffb0a8", brightGreen: "#a6f0c0", brightYellow: "#fae49b",
  brightBlue: "#b5d8ff", brightMagenta: "#eec4fa", brightCyan: "#a8ebf2", brightWhite: "#ffffff",
};

/**
 * Opens the terminal in `container`. `hooks`: leave() for Ctrl+F6, paste(text) for a paste,
 * copied(n) after Ctrl+Shift+C, key(ev) -> true to swallow a key (used while disconnected).
 */
export function openTerminal(container, { screenReaderMode, dark }, hooks) {
  const term = new Terminal({
    scrollback: 10000,
    fontFamily: 'ui-monospace, "DejaVu Sans Mono", "Liberation Mono", monospace',
    fontSize: 14,
    screenReaderMode,
    theme: dark ? DARK : LIGHT,
  });
  const fit = new FitAddon();
  term.loadAddon(fit);
  term.open(container);
  term.textarea?.setAttribute("aria-label", "Terminal input");
  const refit = () => {
    if (container.clientWidth > 0 && container.clientHeight > 0) fit.fit();
  };
  new ResizeObserver(refit).observe(container);
  refit();

  term.attachCustomKeyEventHandler((ev) => {
    if (ev.type !== "keydown") return true;
    if (ev.ctrlKey && ev.key === "F6") {
      ev.preventDefault();
      hooks.leave();
      return false;
    }
    if (hooks.key(ev)) {
      ev.preventDefault();
      return false;
    }
    if (ev.ctrlKey && ev.shiftKey && ev.code === "KeyV") return false; // the browser's paste event follows
    if (ev.ctrlKey && ev.shiftKey && ev.code === "KeyC") {
      ev.preventDefault();
      const text = term.getSelection();
      if (text) navigator.clipboard.writeText(text).then(() => hooks.copied(text.length), () => hooks.copied(-1));
      else hooks.copied(0);
      return false;
    }
    return true;
  });
  // Every paste (Ctrl+Shift+V, the context menu, a synthetic event) comes here first, in
  // the capture phase: xterm never sees it, so the page can count it against the limit.
  container.addEventListener(
    "paste",
    (ev) => {
      ev.preventDefault();
      ev.stopImmediatePropagation();
      hooks.paste(ev.clipboardData ? ev.clipboardData.getData("text/plain") : "");
    },
    true,
  );

  return {
    term,
    fit: refit,
    setDark: (d) => {
      term.options.theme = d ? DARK : LIGHT;
    },
    /** Every line of the buffer (scrollback included), trailing blanks cut. */
    text() {
      const b = term.buffer.active;
      const lines = [];
      for (let i = 0; i < b.length; i++) lines.push(b.getLine(i)?.translateToString(true) ?? "");
      while (lines.length && lines[lines.length - 1] === "") lines.pop();
      return lines.join("\n");
    },
  };
}
