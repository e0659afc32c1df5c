import { z } from "zod";
import { authorize, authorizeAction } from "@/lib/auth/access";
import { audit } from "@/lib/auth/audit";
import { readJsonBody } from "@/lib/auth/guard";
import { mintTokenSecret, newTokenId, tokenGrants } from "@/lib/auth/named-tokens";
import { ROLES } from "@/lib/auth/roles";
import { getDeployments } from "@/lib/collector/instance";
import { refuseForeignHost } from "@/lib/http/host-allowlist";
import { badRequest, json, problem } from "@/lib/http/responses";
import { askStore } from "@/lib/store/instance";

export const dynamic = "force-dynamic";

const Body = z.strictObject({
  name: z
    .string({ message: 'name is required, e.g. "prometheus-scrape"' })
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, "name: letters, digits, . _ - (at most 64), e.g. prometheus-scrape"),
  role: z.enum(ROLES, { message: `role must be one of ${ROLES.join(", ")}` }),
  deployments: z.array(z.string().min(1).max(100)).min(1, "list at least one deployment, or leave deployments out for all").max(50).optional(),
  expiresInDays: z.number().int("expiresInDays must be a whole number").min(1).max(3650).optional(),
});

const storeDown = () => problem(503, "the store does not answer: tokens cannot be listed or minted now", "GET /api/ready says when it answers again.");

/** The live named tokens (admin): name, role, grants, who made it, expiry, last use; never the token. */
export async function GET(request: Request) {
  const refused = refuseForeignHost(request);
  if (refused) return refused;
  const allowed = await authorize(request, "admin", null);
  if (!allowed.ok) return allowed.response;
  const tokens = await askStore((store) => store.tokens.list());
  if (!tokens) return storeDown();
  return json({ tokens: tokens.map((t) => ({ ...t, grants: tokenGrants(t) })) });
}

/** Mints a named token (admin): 201 with the token, shown this once. */
export async function POST(request: Request) {
  const allowed = await authorizeAction(request, "admin");
  if (!allowed.ok) return allowed.response;
  const read = await readJsonBody(request);
  if (!read.ok) return read.response;
  const parsed = Body.safeParse(read.body);
  if (!parsed.success) return badRequest(parsed.error, "token");
  const known = getDeployments().names();
  const unknown = (parsed.data.deployments ?? []).filter((d) => !known.includes(d));
  if (unknown.length)
    return problem(400, `invalid token: no deployment ${unknown.map((d) => `"${d.slice(0, 100)}"`).join(", ")}`, `Known deployments: ${known.join(", ")}.`);
  const secret = mintTokenSecret();
  const { name, role, deployments, expiresInDays } = parsed.data;
  const expiresAt = expiresInDays ? new Date(Date.now() + expiresInDays * 86_400_000).toISOString() : null;
  const created = await askStore((store) =>
    store.tokens.create(
      { id: newTokenId(), name, role, deployments: role === "admin" ? null : (deployments ?? null), createdBy: allowed.principal.actor, expiresAt },
      secret,
    ),
  );
  if (!created) return storeDown();
  await audit(request, allowed.principal, { action: "token.created", target: `${created.id} ${created.name} (${role})`, outcome: "ok" });
  return json({ ...created, grants: tokenGrants(created), token: secret }, 201);
}
