/**
 * Escaping for the Markdown the console exports (chaos reports, incident timelines). Their
 * fields carry text from Redis, the control API and layers' answers: HTML in them must not
 * render, and Markdown syntax in them must not become links, code or a broken table. Pure.
 */
const HTML: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** One line of inline text: HTML escaped, Markdown punctuation backslash-escaped, newlines folded. */
export function mdText(s: string): string {
  return s
    .replace(/[&<>"']/g, (c) => HTML[c])
    .replace(/([\\`*_[\]|])/g, "\\$1")
    .replace(/\r?\n/g, " ");
}

/** A table cell: the same as inline text (the `|` escape keeps the row's columns). */
export const mdCell = mdText;
