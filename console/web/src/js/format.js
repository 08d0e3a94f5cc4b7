// Small formatting helpers shared by the pages.

const numbers = new Intl.NumberFormat("en");

export const count = (n) => numbers.format(n);

/** `14:03:07` for a time in epoch milliseconds (local time). */
export function clock(ms) {
  return new Date(ms).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
}

/** `45 s`, `12 min`, `3 h 5 min`. */
export function duration(seconds) {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** An element with text and optional class: el("td", "text", "why"). */
export function el(tag, text = "", className = "") {
  const e = document.createElement(tag);
  if (text) e.textContent = text;
  if (className) e.className = className;
  return e;
}

/** Shows `text` in a banner element (hidden when empty); `level` info, warning or error. */
export function showBanner(element, text, level = "info") {
  element.textContent = text;
  element.dataset.level = level;
  element.hidden = !text;
}
