import { PHASE_PRODUCTION_BUILD } from "next/constants";
import { authConfig } from "./lib/auth/auth-settings";
import { operatorToken, operatorTokenProblem } from "./lib/auth/session";
import { tokenHash } from "./lib/auth/session-store";
import { getChaosRunner } from "./lib/chaos/instance";
import { externalChaosFor } from "./lib/chaos/targets/external-run";
import { databaseUrl, dataDir, getCollector, getDeployments } from "./lib/collector/instance";
import { watchConfigFile } from "./lib/config/config-watch";
import { loadDeployments } from "./lib/config/load";
import { deploymentDirs } from "./lib/deployments/registry";
import { offerFastPath } from "./lib/http/fast-snapshot";
import { initStore } from "./lib/store/instance";
import { startTokenAgreement } from "./lib/store/token-agreement";
import { getScheduler } from "./lib/verification/instance";

// `next build` loads this too (collecting page data): a collector started there would watch
// Redis for the build's few seconds and leave its start, alerts and a false incident in the data dir.
if (process.env.NEXT_PHASE !== PHASE_PRODUCTION_BUILD) {
  try {
    const weakToken = operatorTokenProblem();
    if (weakToken) throw new Error(weakToken);
    // Sign-in and roles (the config file's `auth`): a bad one stops the start, naming the field.
    // proxy.ts cannot read the config file: it learns from here that people sign in through an IdP.
    if (authConfig().oidc) process.env.RRC_OIDC = "1";
    // The records first, so each collector starts from what was saved (a store that cannot open is said, not fatal).
    const configs = loadDeployments();
    await initStore({
      dataDir: dataDir(),
      databaseUrl: databaseUrl(),
      deployments: deploymentDirs(configs, dataDir()),
      retentionDays: configs[0].store.retentionDays,
    });
    getCollector();
    // Every replica must accept the same OPERATOR_TOKEN: each says which (its hash) in the store.
    const token = operatorToken();
    startTokenAgreement(token ? tokenHash(token) : null);
    // A fault journal left by a console that died mid-run is undone now, before any request (issue 18).
    for (const d of getDeployments().all) externalChaosFor(d);
    // A sandbox run whose replica died (kill -9) is restored and aborted by another (issue 26).
    getChaosRunner().takeOverDeadReplicasRuns();
    offerFastPath();
    // Scheduled game days (issue 29): every replica looks, the lease holder fires.
    getScheduler().start();
    // A new version of the config file goes to the audit trail (what changed, never a value).
    watchConfigFile();
  } catch (err) {
    // A bad config must stop the start with a message naming the field, not serve a broken console.
    console.error(`[console] cannot start: ${(err as Error).message}`);
    process.exit(1);
  }
}
