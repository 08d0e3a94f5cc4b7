// The Theme control: System (the browser's prefers-color-scheme), Light or Dark, kept in
// localStorage. Returns whether the page is dark now, and tells `onChange` when it changes.

const KEY = "comredir.theme";
const media = window.matchMedia("(prefers-color-scheme: dark)");

export function isDark() {
  const t = document.documentElement.dataset.theme;
  return t === "dark" || (t !== "light" && media.matches);
}

/** Puts the Theme control into `slot` and applies the saved choice. */
export function setupTheme(slot, onChange = () => {}) {
  const label = document.createElement("label");
  label.textContent = "Theme ";
  const select = document.createElement("select");
  select.id = "theme";
  for (const [value, text] of [["system", "System"], ["light", "Light"], ["dark", "Dark"]]) {
    const o = document.createElement("option");
    o.value = value;
    o.textContent = text;
    select.append(o);
  }
  label.append(select);
  slot.replaceChildren(label);
  const apply = (value) => {
    if (value === "light" || value === "dark") document.documentElement.dataset.theme = value;
    else delete document.documentElement.dataset.theme;
    onChange(isDark());
  };
  const saved = localStorage.getItem(KEY) || "system";
  select.value = saved;
  apply(saved);
  select.addEventListener("change", () => {
    localStorage.setItem(KEY, select.value);
    apply(select.value);
  });
  media.addEventListener("change", () => apply(select.value));
}
