import { identifySome, requireRole } from "@/lib/auth/access";
import { audit } from "@/lib/auth/audit";
import { VIEWER_LINK_ID } from "@/lib/auth/viewer-links";
import { revokeViewerLink } from "@/lib/auth/viewer-sessions";
import { json, problem } from "@/lib/http/responses";
import { askStore } from "@/lib/store/instance";

export const dynamic = "force-dynamic";

const storeDown = () => problem(503, "the store does not answer: the viewer link cannot be revoked now", "GET /api/ready says when it answers again.");

/** Revokes a viewer link (operator of its deployment): its sessions end on every replica at their next request. */
export async function DELETE(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const who = await identifySome(request, "operator", { action: true });
  if (!who.ok) return who.response;
  const { id } = await params;
  if (!VIEWER_LINK_ID.test(id))
    return problem(400, `"${id.slice(0, 80)}" is not a viewer link id`, "GET /api/present/links lists them (vl_ and 12 hex digits).");
  const link = await askStore((store) => store.viewerLinks.get(id));
  if (link === undefined) return storeDown();
  if (link === null) return problem(404, `no live viewer link "${id}"`, "GET /api/present/links lists them.");
  const allowed = requireRole(request, who.principal, "operator", link.deployment);
  if (!allowed.ok) return allowed.response;
  const revoked = await revokeViewerLink(id);
  if (revoked === undefined) return storeDown();
  const outcome = revoked ? `ok, ${revoked.sessionsEnded} session${revoked.sessionsEnded === 1 ? "" : "s"} ended` : "no live link";
  await audit(request, who.principal, { action: "viewer-link.revoked", deployment: link.deployment, target: id, outcome });
  return revoked
    ? json({ id, revoked: true, sessionsEnded: revoked.sessionsEnded })
    : problem(404, `no live viewer link "${id}"`, "GET /api/present/links lists them.");
}
