import "server-only";
/** The small, self-contained page /present/<code> answers when it does not open a viewer session (no scripts, its own CSP). */

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function viewerLinkPage(status: number, title: string, text: string, link?: { href: string; label: string }): Response {
  const action = link ? `<p><a style="color:#58a6ff" href="${escape(link.href)}">${escape(link.label)}</a></p>` : "";
  return new Response(
    `<!doctype html><meta charset="utf-8"><title>${escape(title)}</title><body style="font-family:sans-serif;background:#0b0f14;color:#e6edf3;padding:3rem"><h1>${escape(title)}</h1><p>${escape(text)}</p>${action}</body>`,
    {
      status,
      headers: {
        "Content-Type": "text/html; charset=utf-8",
        "Cache-Control": "no-store",
        "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
      },
    },
  );
}
