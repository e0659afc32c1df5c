import "server-only";
/**
 * The process's scheduler and notifier, started once at start (instrumentation) after the store.
 * Every replica runs the loop; the holder of the store's lease (the one that writes the observed
 * records, shown on the Config page and in /api/ready) fires.
 */
import { loadDeployments, readSecret } from "@/lib/config/load";
import { openedStore, storeState } from "@/lib/store/instance";
import { getDeployments } from "@/lib/collector/instance";
import { sharedClaimsContext } from "./claims-context";
import { agedScorecard } from "./claims-standing";
import { notify } from "./notifier";
import type { VerificationEvent } from "./notification";
import { Scheduler } from "./scheduler";
import { startScheduledRun } from "./start-scheduled";

const KEY = Symbol.for("redis-resilience-console.scheduler");
type WithScheduler = typeof globalThis & { [KEY]?: Scheduler };

export function getScheduler(): Scheduler {
  const g = globalThis as WithScheduler;
  g[KEY] ??= new Scheduler({
    repo: () => openedStore()?.schedules ?? null,
    // The one lease of the store (lib/store/lease.ts): its holder writes the observed records and fires schedules.
    holdsLease: async () => storeState().lease.holds(),
    start: startScheduledRun,
    notify: sendVerificationEvent,
    whileHolding: tellExpiredClaims,
  });
  return g[KEY];
}

/** Each verdict that expired is told once (across replicas: the store remembers it was told). */
async function tellExpiredClaims(): Promise<void> {
  const store = openedStore();
  if (!store) return;
  const now = new Date();
  for (const d of getDeployments().all) {
    const ctx = await sharedClaimsContext(d);
    if (!ctx) continue;
    for (const e of agedScorecard(ctx.runs, ctx.claims, now, ctx.policy)) {
      if (e.age.standing !== "expired" || !e.measuredAt || !e.age.lastVerdict) continue;
      if (await store.schedules.expiryTold(d.name, e.claim, e.measuredAt)) continue;
      await sendVerificationEvent(d.name, {
        kind: "claim-expired",
        deployment: d.name,
        claim: e.claim,
        lastVerdict: e.age.lastVerdict,
        measuredAt: e.measuredAt,
        at: now.toISOString(),
      });
    }
  }
}

/** Where notifications link back to: CONSOLE_PUBLIC_URL, or this console on loopback. */
export function consoleUrl(): string {
  return process.env.CONSOLE_PUBLIC_URL || `http://127.0.0.1:${process.env.PORT ?? 3000}`;
}

/**
 * Sends an event to the deployment's configured destinations and records the outcome in the
 * store (a failure is listed on the Schedules page). Nothing configured: recorded as nothing sent.
 */
export async function sendVerificationEvent(deployment: string, event: VerificationEvent): Promise<void> {
  const config = loadDeployments().find((c) => c.deployment === deployment);
  if (!config) return;
  const outcomes = await notify(event, config.notifications, {
    consoleUrl: consoleUrl(),
    secret: (src, field) => readSecret(src, field, config),
  });
  const problems = outcomes.filter((o) => !o.ok);
  if (problems.length) console.warn(`[notify] ${event.kind} on ${deployment}: ${problems.map((o) => `${o.destination} ${o.error}`).join("; ")}`);
  await openedStore()
    ?.schedules.recordNotification(deployment, event, outcomes)
    .catch(() => {});
}
