import { PHASE_PRODUCTION_BUILD } from "next/constants";
import { operatorTokenProblem } from "./lib/auth/session";
import { externalChaosFor } from "./lib/chaos/targets/external-run";
import { getCollector, getDeployments } from "./lib/collector/instance";
import { offerFastPath } from "./lib/http/fast-snapshot";

// `next build` loads this too (collecting page data): a collector started there would watch
// Redis for the build's few seconds and leave its start, alerts and a false incident in the data dir.
if (process.env.NEXT_PHASE !== PHASE_PRODUCTION_BUILD) {
  try {
    const weakToken = operatorTokenProblem();
    if (weakToken) throw new Error(weakToken);
    getCollector();
    // A fault journal left by a console that died mid-run is undone now, before any request (issue 18).
    for (const d of getDeployments().all) externalChaosFor(d);
    offerFastPath();
  } catch (err) {
    // A bad config must stop the start with a message naming the field, not serve a broken console.
    console.error(`[console] cannot start: ${(err as Error).message}`);
    process.exit(1);
  }
}
