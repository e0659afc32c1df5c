import { z } from "zod";
import { authorizeSome, identifySome, requireRole } from "@/lib/auth/access";
import { audit } from "@/lib/auth/audit";
import { authConfig } from "@/lib/auth/auth-settings";
import { readJsonBody } from "@/lib/auth/guard";
import { recordDenial } from "@/lib/auth/denials";
import { allows, describeGrants } from "@/lib/auth/roles";
import { VIEWER_LINK_DEFAULT_HOURS, VIEWER_LINK_MAX_HOURS } from "@/lib/auth/viewer-links";
import { mintViewerLink } from "@/lib/auth/viewer-sessions";
import { getDeployments } from "@/lib/collector/instance";
import { namedDeployment } from "@/lib/deployments/named";
import { badRequest, json, problem } from "@/lib/http/responses";
import { askStore } from "@/lib/store/instance";

export const dynamic = "force-dynamic";

const Body = z.strictObject({
  hours: z
    .number({ message: "hours must be a number" })
    .positive("hours must be positive")
    .max(VIEWER_LINK_MAX_HOURS, `hours must be at most ${VIEWER_LINK_MAX_HOURS}`)
    .default(VIEWER_LINK_DEFAULT_HOURS),
  deployment: z.string().optional(),
});

/** The live viewer links of the deployments the caller is operator of: deployment, who made it, when, expiry, sessions, last use; never the code. */
export async function GET(request: Request) {
  const who = await authorizeSome(request);
  if (!who.ok) return who.response;
  const p = who.principal;
  const mine = getDeployments()
    .names()
    .filter((d) => allows(p.grants, "operator", d));
  if (mine.length === 0) {
    recordDenial(request, p, 403, "operator on a deployment needed", null);
    return problem(403, "operator on a deployment needed", `${p.actor} has ${describeGrants(p.grants)}.`);
  }
  const only = new URL(request.url).searchParams.get("deployment");
  const links = await askStore((store) => store.viewerLinks.list());
  if (!links) return problem(503, "the store does not answer: viewer links cannot be listed now", "GET /api/ready says when it answers again.");
  const maxSessions = authConfig().viewerLinks.maxSessions;
  return json({ maxSessions, links: links.filter((l) => mine.includes(l.deployment) && (!only || l.deployment === only)).map((l) => ({ ...l, maxSessions })) });
}

/** A tenant-facing viewer link for one deployment (operator of it): read-only, redacted by the server, expiring, revocable. */
export async function POST(request: Request) {
  const who = await identifySome(request, "operator", { action: true });
  if (!who.ok) return who.response;
  const read = await readJsonBody(request);
  if (!read.ok) return read.response;
  const fromBody = typeof read.body === "object" && read.body !== null ? (read.body as { deployment?: unknown }).deployment : undefined;
  const named = namedDeployment(request, fromBody, "viewer link");
  if (!named.ok) return named.response;
  const allowed = requireRole(request, who.principal, "operator", named.name);
  if (!allowed.ok) return allowed.response;
  const parsed = Body.safeParse(read.body);
  if (!parsed.success) return badRequest(parsed.error, "viewer link");
  const link = await mintViewerLink(parsed.data.hours, named.name, who.principal.actor);
  await audit(request, who.principal, { action: "viewer-link.created", deployment: named.name, target: `${link.id} expires ${link.expiresAt}`, outcome: "ok" });
  const maxSessions = authConfig().viewerLinks.maxSessions;
  return json({ ...link, path: `/present/${link.code}`, createdBy: who.principal.actor, maxSessions }, 201);
}
