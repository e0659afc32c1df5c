import "server-only";
/**
 * The checks `POST /api/schedules` and `PATCH /api/schedules/:id` share: the deployment must be
 * one chaos may act on, the scenario one that exists, the store open.
 */
import { externalChaosFor } from "@/lib/chaos/targets/external-run";
import { SCENARIO_IDS } from "@/lib/contract/scenarios";
import type { Deployment } from "@/lib/deployments/registry";
import { problem } from "@/lib/http/responses";
import { openedStore } from "@/lib/store/instance";
import type { Store } from "@/lib/store/store";

export function scheduleRefusal(deployment: Deployment, scenario: string): Response | null {
  if (!deployment.chaos && !externalChaosFor(deployment))
    return problem(
      403,
      `schedules run chaos, which acts only on the sandbox or a dev stack opted in with its three keys; "${deployment.name}" is neither`,
      "See docs/chaos-dev-stack.md to opt a dev stack in.",
    );
  if (!(SCENARIO_IDS as readonly string[]).includes(scenario)) return problem(400, `unknown scenario "${scenario}": use one of ${SCENARIO_IDS.join(", ")}`);
  return null;
}

/** The open store, or the 503 that says schedules need it. */
export function storeOrRefusal(): { ok: true; store: Store } | { ok: false; response: Response } {
  const store = openedStore();
  if (store) return { ok: true, store };
  return {
    ok: false,
    response: problem(503, "schedules live in the store, which is not open", "GET /api/ready says why; schedules answer again once it does."),
  };
}
