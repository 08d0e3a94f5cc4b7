// The keys the command bar sends. Windows SAC targets (`windowsSac` in hello) take the EMS
// VT100+ sequences: F1-F9 = Esc 1-9, F10 = Esc 0, F11 = Esc !, F12 = Esc @ (F8 reaches
// Windows' advanced boot menu), and Esc Tab switches SAC channels. Other targets take the
// usual xterm sequences.

const ESC = "\x1b";
const XTERM_F = [
  "OP", "OQ", "OR", "OS", "[15~", "[17~", "[18~", "[19~", "[20~", "[21~", "[23~", "[24~",
];
const EMS_F = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "0", "!", "@"];

/** [{id, label, bytes}] for the key menu. */
export function keyMenu(windowsSac) {
  const keys = [];
  for (let i = 0; i < 12; i++) {
    const bytes = ESC + (windowsSac ? EMS_F[i] : XTERM_F[i]);
    let label = `F${i + 1}`;
    if (windowsSac && i === 7) label += " (advanced boot menu)";
    keys.push({ id: `f${i + 1}`, label, bytes });
  }
  if (windowsSac) keys.unshift({ id: "sac-channel", label: "Esc Tab (switch SAC channel)", bytes: ESC + "\t" });
  keys.push({ id: "esc", label: "Esc", bytes: ESC });
  keys.push({ id: "ctrl-c", label: "Ctrl+C", bytes: "\x03" });
  keys.push({ id: "ctrl-d", label: "Ctrl+D", bytes: "\x04" });
  return keys;
}
