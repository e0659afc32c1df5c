"use client";

import { FAILURE_CONTRACT } from "@/lib/contract/failure-contract";
import { isStale } from "@/lib/snapshot/rules";
import type { Snapshot } from "@/lib/snapshot/types";
import { FiringAlerts } from "../alerts/firing-alerts";
import { LayerCard } from "../layers/layer-card";
import { replicaWrites } from "../layers/replica-writes";
import { LiveIndicator } from "../live/live-indicator";
import { redact, usePresentMode } from "../live/use-present-mode";
import { useAge, useSnapshot } from "../live/use-snapshot";
import { TopologyStrip } from "../redis/topology-strip";
import { SectionTitle } from "../ui/card";
import { ClaimsSummary } from "./claims-summary";
import { NoLayers } from "./no-layers";
import { OpenIncident } from "./open-incident";
import { RedisAvailability } from "./redis-availability";

export function OverviewView({ initial }: { initial: Snapshot }) {
  const { snapshot = initial, stream } = useSnapshot(initial);
  const age = useAge(snapshot.at);
  const present = usePresentMode();
  const now = Date.parse(snapshot.at) + (age ?? 0) * 1000;
  const violations = snapshot.layers.filter((l) => l.violation);
  // A layer in breach does not do what the contract says, so the contract's tenant impact would be wrong for it.
  const impaired = snapshot.layers.filter((l) => (l.status === "degraded" || l.status === "unavailable") && !l.violation);
  const stale = isStale(age, snapshot.tick.ms);
  const onReplica = replicaWrites(snapshot);
  return (
    <div className={`flex flex-col gap-6 ${stale ? "[&>section]:opacity-60" : ""}`}>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h1 className="text-2xl font-bold tracking-tight">Overview</h1>
          <p className="text-muted">
            {snapshot.deployment.name} · <RedisAvailability snapshot={snapshot} present={present} />
          </p>
        </div>
        <LiveIndicator stream={stream} at={snapshot.at} ageSeconds={age} tickMs={snapshot.tick.ms} />
      </div>

      <OpenIncident now={now} />

      {stale && (
        <p
          role="alert"
          data-testid="stale-banner"
          className="rounded-lg border-2 border-unavailable/60 bg-unavailable/10 px-4 py-3 font-semibold text-unavailable"
        >
          No news from the console server since {new Date(snapshot.at).toISOString().slice(11, 19)} UTC: what follows is the last known state, not the current
          one.
        </p>
      )}

      {onReplica && (
        <p
          role="alert"
          data-testid="replica-writes"
          className="rounded-lg border-2 border-unavailable/60 bg-unavailable/10 px-4 py-3 font-semibold text-unavailable"
        >
          {onReplica.sentence}
        </p>
      )}

      {(impaired.length > 0 || violations.length > 0) && (
        <section
          aria-label="Tenant impact"
          data-testid="impact"
          className={`rounded-lg border-2 bg-panel p-4 ${violations.length ? "border-unavailable/70" : "border-degraded/60"}`}
        >
          <h2 className="mb-2 text-lg font-semibold">What tenants feel now</h2>
          <ul className="flex flex-col gap-1 text-base">
            {impaired.map((l) => (
              <li key={l.id}>
                <span className="font-mono font-semibold">{l.id}</span> {l.status}:{" "}
                {l.agrees || !l.observed.reachable ? (
                  FAILURE_CONTRACT[l.id].tenantImpact
                ) : (
                  <span className="text-muted">not what its contract expects ({l.expected}); checking whether it breaks it.</span>
                )}
              </li>
            ))}
            {violations.map((l) => (
              <li key={`v-${l.id}`} data-testid={`impact-violation-${l.id}`}>
                <span className="font-semibold text-unavailable">
                  <span className="font-mono">{l.id}</span> breaks its failure contract:
                </span>{" "}
                the guide promises {l.expected}, it is {l.status === "unknown" ? "in no state its probe describes" : l.status}.{" "}
                <span className="font-mono text-[13px] text-muted">{redact(l.summary, present)}</span>
              </li>
            ))}
          </ul>
        </section>
      )}

      <section aria-label="Layers">
        <SectionTitle right={<ClaimsSummary href={present ? "/chaos?present=1" : "/chaos"} readOnly={snapshot.deployment.readOnly} />}>
          Layers: contract vs reality
        </SectionTitle>
        {snapshot.layers.length === 0 && <NoLayers />}
        <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
          {snapshot.layers.map((l) => (
            <LayerCard key={l.id} layer={l} now={now} addressOnReplica={snapshot.redis.layerAddress?.state === "replica"} />
          ))}
        </div>
      </section>

      <section aria-label="Redis">
        <SectionTitle>Redis topology</SectionTitle>
        <TopologyStrip snapshot={snapshot} present={present} />
      </section>

      <section aria-label="Alerts">
        <SectionTitle>Firing alerts</SectionTitle>
        <FiringAlerts alerts={snapshot.alerts} now={now} />
      </section>
    </div>
  );
}
