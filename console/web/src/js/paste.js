// A paste as the gateway counts it (docs/console-protocol.md): line ends become CR, the
// count is in Unicode code points without the bracketed-paste markers, and a paste over the
// limit is refused whole. The page refuses it first, instead of sending a doomed paste.

const START = "\x1b[200~";
const END = "\x1b[201~";

/** {text, chars}: the bytes to send as one paste (bracketed when the terminal asks). */
export function preparePaste(raw, bracketed) {
  const body = raw.replace(/\r?\n/g, "\r");
  const chars = Array.from(body).length;
  return { text: bracketed ? START + body + END : body, chars };
}

/** null when allowed, else the one-line reason. */
export function pasteRefusal(chars, limit) {
  if (limit === 0) return "pasting is switched off on this target (policy PasteLimitChars is 0)";
  if (chars > limit)
    return `paste refused: ${chars.toLocaleString("en")} characters, the limit is ${limit.toLocaleString("en")}`;
  return null;
}
