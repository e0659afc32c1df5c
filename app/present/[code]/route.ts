import { audit } from "@/lib/auth/audit";
import { identify } from "@/lib/auth/identify";
import type { Principal } from "@/lib/auth/principal";
import { openViewerSession } from "@/lib/auth/viewer-sessions";
import { authConfig } from "@/lib/auth/auth-settings";
import { getDeployments } from "@/lib/collector/instance";
import { refuseForeignHost } from "@/lib/http/host-allowlist";
import { viewerLinkPage } from "@/lib/present/link-page";

export const dynamic = "force-dynamic";

/** Where a link's session lands: the Overview of its deployment, in presentation mode. */
function landing(deployment: string): string {
  return deployment === getDeployments().default.name ? "/?present=1" : `/?deployment=${encodeURIComponent(deployment)}&present=1`;
}

/**
 * Opens a viewer session from a link. A browser that already holds a signed-in session keeps it:
 * a viewer cookie would send all its requests through the read-only gateway.
 */
export async function GET(request: Request, { params }: { params: Promise<{ code: string }> }) {
  const refused = refuseForeignHost(request);
  if (refused) return refused;
  const { code } = await params;
  const who = await identify(request);
  if (who.ok && who.principal.via === "session") {
    await audit(request, who.principal, { action: "viewer-link.opened", outcome: "not opened: this browser keeps its own session" });
    return viewerLinkPage(
      200,
      "You are signed in: your session is kept",
      `This browser is signed in as ${who.principal.actor}, so the viewer link did not replace your session with a read-only one. To see what the tenant sees, open the link in a private window; or use Present on any page.`,
      { href: "/?present=1", label: "Open the console in presentation mode" },
    );
  }
  const opened = /^[\w-]{10,64}$/.test(code) ? await openViewerSession(request, code) : ({ kind: "unknown" } as const);
  if (opened.kind === "unknown") {
    await audit(request, null, { action: "viewer-link.opened", outcome: "unknown, expired or revoked" });
    return viewerLinkPage(404, "This viewer link is unknown, has expired or was revoked", "Ask the operator for a new one.");
  }
  const actor: Principal = { kind: "viewer-link", actor: `viewer link ${opened.linkId}`, id: opened.linkId, grants: [], via: "none" };
  if (opened.kind === "full") {
    const max = authConfig().viewerLinks.maxSessions;
    await audit(request, actor, {
      action: "viewer-link.opened",
      deployment: opened.deployment,
      target: opened.linkId,
      outcome: `refused: ${max} sessions already`,
    });
    return viewerLinkPage(
      403,
      "This viewer link is used up",
      `It has opened the ${max} sessions a link may open. Ask the operator for a new link (or to raise auth.viewerLinks.maxSessions).`,
    );
  }
  await audit(
    request,
    { ...actor, grants: [{ role: "viewer", deployments: [opened.deployment] }] },
    {
      action: "viewer-link.opened",
      deployment: opened.deployment,
      target: opened.linkId,
      outcome: "ok",
    },
  );
  return new Response(null, { status: 303, headers: { Location: landing(opened.deployment), "Set-Cookie": opened.cookie!, "Cache-Control": "no-store" } });
}
