import { z } from "zod";
import { accessDeployment } from "@/lib/auth/access";
import { audit } from "@/lib/auth/audit";
import { getChaosRunner } from "@/lib/chaos/instance";
import { externalChaosFor } from "@/lib/chaos/targets/external-run";
import { json, problem } from "@/lib/http/responses";

export const dynamic = "force-dynamic";

const Query = z.object({ scenario: z.string().min(1, "scenario is required").max(64), params: z.string().max(2000).optional() });

/**
 * "Say before": GET /api/chaos/plan?scenario=&params=<json>&deployment= lists every command an
 * external run will send, to which address, what restores it and how long it lasts. No secret in it.
 * Operator only (401), answered from a 10 s cache per scenario and params, two asked at once at most (429).
 */
export async function GET(request: Request) {
  // Operator only, and never from another site's page (an <img> would do): an external plan opens connections with the chaos credential.
  const d = await accessDeployment(request, "operator", { absent: "chaos", action: true });
  if (!d.ok) return d.response;
  const url = new URL(request.url);
  const q = Query.safeParse({ scenario: url.searchParams.get("scenario") ?? undefined, params: url.searchParams.get("params") ?? undefined });
  if (!q.success) return problem(400, `invalid query: ${q.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  let params: unknown = {};
  try {
    params = q.data.params ? JSON.parse(q.data.params) : {};
  } catch {
    return problem(400, 'params must be a JSON object, e.g. params={"durationSeconds":10}');
  }
  await audit(request, d.principal, { action: "plan.viewed", deployment: d.deployment.name, target: q.data.scenario, outcome: "ok" });
  const external = externalChaosFor(d.deployment);
  if (!external) {
    const cluster = getChaosRunner().sandboxKind() === "cluster";
    return json({
      target: "sandbox",
      plan: [
        cluster
          ? {
              address: "cluster sandbox control API",
              command: `the ${q.data.scenario} scenario's control calls on one shard (kill -9, SIGSTOP, CLUSTER FAILOVER, filler in its master's slots)`,
              restores:
                "POST /reset at the end (faults undone, filler removed, roles as created), then the run's integrity keys deleted; every fault has a TTL",
              durationMs: null,
            }
          : {
              address: "devstack control API",
              command: `the ${q.data.scenario} scenario's control calls (kill -9, SIGSTOP, proxy cuts, filler)`,
              restores: "POST /reset at the end; every fault has a TTL of the run's window plus a margin",
              durationMs: null,
            },
      ],
    });
  }
  const plan = await external
    .plan(q.data.scenario, params)
    .catch((err: Error) => ({ ok: false as const, status: 503 as const, error: `the target did not answer: ${err.message}` }));
  if (plan.ok) return json({ target: "external", plan: plan.plan });
  return plan.status === 429 ? json({ error: plan.error }, 429, { "Retry-After": "1" }) : problem(plan.status, plan.error);
}
