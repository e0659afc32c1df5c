import { authorizeAction } from "@/lib/auth/access";
import { audit } from "@/lib/auth/audit";
import { json, problem } from "@/lib/http/responses";
import { askStore } from "@/lib/store/instance";

export const dynamic = "force-dynamic";

/** Revokes a named token (admin): it fails on every replica from the next request on. */
export async function DELETE(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const allowed = await authorizeAction(request, "admin");
  if (!allowed.ok) return allowed.response;
  const { id } = await params;
  if (!/^tok_[0-9a-f]{12}$/.test(id)) return problem(400, `"${id.slice(0, 80)}" is not a token id`, "GET /api/tokens lists them (tok_ and 12 hex digits).");
  const revoked = await askStore((store) => store.tokens.revoke(id));
  if (revoked === undefined) return problem(503, "the store does not answer: the token cannot be revoked now", "GET /api/ready says when it answers again.");
  await audit(request, allowed.principal, { action: "token.revoked", target: id, outcome: revoked ? "ok" : "no live token" });
  return revoked ? json({ id, revoked: true }) : problem(404, `no live token "${id}"`, "GET /api/tokens lists them.");
}
