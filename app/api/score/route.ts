import { accessDeployment } from "@/lib/auth/access";
import { json, problem } from "@/lib/http/responses";
import { sharedClaimsContext } from "@/lib/verification/claims-context";
import { deploymentScore, scoreHistory } from "@/lib/verification/claims-standing";

export const dynamic = "force-dynamic";

/** The resilience score of `?deployment=` (the sandbox without it): overall, per layer, its formula and 90 days of history. */
export async function GET(request: Request) {
  const d = await accessDeployment(request, "viewer", { absent: "chaos" });
  if (!d.ok) return d.response;
  const ctx = await sharedClaimsContext(d.deployment);
  if (!ctx) return problem(404, `"${d.deployment.name}" has no score: chaos does not act on it, so no claim is measured there`);
  const now = new Date();
  return json({
    deployment: d.deployment.name,
    expireAfterDays: ctx.policy.expireAfterDays,
    ...deploymentScore(ctx.runs, ctx.claims, now, ctx.policy),
    history: scoreHistory(ctx.runs, ctx.claims, now, ctx.policy, 90),
  });
}
