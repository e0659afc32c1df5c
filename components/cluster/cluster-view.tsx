"use client";

import type { Snapshot } from "@/lib/snapshot/types";
import { LiveIndicator } from "../live/live-indicator";
import { usePresentMode } from "../live/use-present-mode";
import { useAge, useSnapshot } from "../live/use-snapshot";
import { Card, SectionTitle } from "../ui/card";
import { ClusterBanners } from "./cluster-banners";
import { ClusterFailovers } from "./cluster-failovers";
import { ClusterNodesTable } from "./cluster-nodes-table";
import { KeyPlacement } from "./key-placement";
import { ShardsTable } from "./shards-table";

function Figure({ label, value, tone, testId }: { label: string; value: React.ReactNode; tone?: string; testId?: string }) {
  return (
    <Card>
      <div className="text-xs font-semibold tracking-wide text-muted uppercase">{label}</div>
      <div data-testid={testId} className={`mt-1 text-2xl font-bold ${tone ?? ""}`}>
        {value}
      </div>
    </Card>
  );
}

/** Nodes in no shard: a failed old master (it rejoins as a replica when it restarts), or a node not yet given a role. */
function Outside({ cluster: c, present }: { cluster: NonNullable<Snapshot["cluster"]>; present: boolean }) {
  const inShard = new Set(c.shards.flatMap((s) => [s.master?.id, ...s.replicas.map((r) => r.id)]));
  const outside = c.nodes.filter((n) => !inShard.has(n.id));
  if (!outside.length) return null;
  return (
    <ul data-testid="cluster-outside" className="mt-2 flex flex-col gap-1 text-sm">
      {outside.map((n) => {
        const was = c.failovers.find((f) => f.from === n.id);
        return (
          <li key={n.id} className={n.up ? "text-degraded" : "text-unavailable"}>
            <strong>{present && n.id === n.addr ? "a node" : n.id}</strong> is in no shard: {n.up ? "up, serving no slot and following no master" : "down"}
            {was ? `; it was ${was.shard}'s master until ${was.to} was promoted, and rejoins as its replica when it is back` : ""}.
          </li>
        );
      })}
    </ul>
  );
}

/** The Cluster page: is the cluster serving, which shard holds what, who would take over, and how the last failovers went. */
export function ClusterView({ initial }: { initial: Snapshot }) {
  const { snapshot = initial, stream } = useSnapshot(initial);
  const age = useAge(snapshot.at);
  const present = usePresentMode();
  const now = Date.parse(snapshot.at) + (age ?? 0) * 1000;
  const c = snapshot.cluster;
  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h1 className="text-2xl font-bold tracking-tight">Cluster</h1>
          <p className="text-muted">Shards and their slots, who serves them and who would take over, each node&apos;s own view, and the failovers followed.</p>
        </div>
        <LiveIndicator stream={stream} at={snapshot.at} ageSeconds={age} tickMs={snapshot.tick.ms} />
      </div>
      {!c ? (
        <p data-testid="not-a-cluster" className="rounded-lg border border-line bg-panel p-4 text-muted">
          {snapshot.deployment.name} is not a Redis Cluster: its failover is Sentinel&apos;s (see the Sentinel page). Point the console at a cluster with{" "}
          <code>redis.cluster.seeds</code> (docs/redis-cluster.md), or run <code>npm run demo -- --cluster</code>.
        </p>
      ) : (
        <>
          <ClusterBanners cluster={c} now={now} />
          <div className="grid grid-cols-2 gap-4 lg:grid-cols-4">
            <Figure label="cluster_state" testId="cluster-state" value={c.state ?? "no answer"} tone={c.state === "ok" ? "text-ok" : "text-unavailable"} />
            <Figure
              label="Slots ok"
              testId="cluster-slots-ok"
              value={
                <>
                  {c.slotsOk}
                  <span className="text-base font-normal text-muted"> / 16384</span>
                </>
              }
              tone={c.slotsOk === 16384 ? "" : "text-unavailable"}
            />
            <Figure
              label="pfail · fail"
              testId="cluster-slots-bad"
              value={`${c.slotsPfail} · ${c.slotsFail}`}
              tone={c.slotsPfail + c.slotsFail ? "text-degraded" : ""}
            />
            <Figure label="Shards · nodes known" value={`${c.shards.length} · ${c.knownNodes ?? "—"}`} />
          </div>
          <section aria-label="Shards">
            <SectionTitle right={<span className="text-sm text-muted">topology from {c.topologyFrom ?? "the last read (no node answered this look)"}</span>}>
              Shards
            </SectionTitle>
            <ShardsTable shards={c.shards} present={present} threshold={snapshot.thresholds.memoryUsedRatio} />
            <Outside cluster={c} present={present} />
          </section>
          <section aria-label="Failovers">
            <SectionTitle right={<span className="text-sm text-muted">newest first · timed from the master&apos;s failure to cluster_state ok</span>}>
              Failovers
            </SectionTitle>
            <ClusterFailovers failovers={c.failovers} />
          </section>
          <section aria-label="Where the layers' keys live">
            <SectionTitle>Where the layers&apos; keys live</SectionTitle>
            <KeyPlacement placement={c.keyPlacement} present={present} />
          </section>
          <section aria-label="Each node's view">
            <SectionTitle right={<span className="text-sm text-muted">CLUSTER INFO, read with each node&apos;s INFO</span>}>
              Each node&apos;s own view
            </SectionTitle>
            <ClusterNodesTable nodes={c.nodes} present={present} />
          </section>
        </>
      )}
    </div>
  );
}
