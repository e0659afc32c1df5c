import { audit } from "@/lib/auth/audit";
import { openViewerSession } from "@/lib/auth/session";
import { refuseForeignHost } from "@/lib/http/host-allowlist";

export const dynamic = "force-dynamic";

const page = (status: number, title: string, text: string) =>
  new Response(
    `<!doctype html><meta charset="utf-8"><title>${title}</title><body style="font-family:sans-serif;background:#0b0f14;color:#e6edf3;padding:3rem"><h1>${title}</h1><p>${text}</p></body>`,
    {
      status,
      headers: {
        "Content-Type": "text/html; charset=utf-8",
        "Cache-Control": "no-store",
        "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
      },
    },
  );

/** Opens a viewer session from a link and lands on the Overview in presentation mode. */
export async function GET(request: Request, { params }: { params: Promise<{ code: string }> }) {
  const refused = refuseForeignHost(request);
  if (refused) return refused;
  const { code } = await params;
  const cookie = /^[\w-]{10,64}$/.test(code) ? await openViewerSession(request, code) : null;
  await audit(request, null, { action: "viewer-link.opened", outcome: cookie ? "ok" : "unknown or expired" });
  if (!cookie) return page(404, "This viewer link is unknown or has expired", "Ask the operator for a new one.");
  return new Response(null, { status: 303, headers: { Location: "/?present=1", "Set-Cookie": cookie, "Cache-Control": "no-store" } });
}
