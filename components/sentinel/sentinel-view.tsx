"use client";

import type { Snapshot } from "@/lib/snapshot/types";
import { LiveIndicator } from "../live/live-indicator";
import { usePresentMode } from "../live/use-present-mode";
import { useAge, useSnapshot } from "../live/use-snapshot";
import { SectionTitle } from "../ui/card";
import { FailoverHistory } from "./failover-history";
import { FailoverStepper } from "./failover-stepper";
import { ReplicasTable } from "./replicas-table";
import { SentinelBanners } from "./sentinel-banners";
import { AgreementCard, MasterCard } from "./sentinel-cards";
import { SentinelsTable } from "./sentinels-table";

/** The Sentinel page: who is master and by whose account, whether a failover could happen, and how the last ones went. */
export function SentinelView({ initial }: { initial: Snapshot }) {
  const { snapshot = initial, stream } = useSnapshot(initial);
  const age = useAge(snapshot.at);
  const present = usePresentMode();
  const now = Date.parse(snapshot.at) + (age ?? 0) * 1000;
  const s = snapshot.sentinel;
  const nodes = snapshot.redis.nodes;
  const history = s.history ?? [];
  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h1 className="text-2xl font-bold tracking-tight">Sentinel</h1>
          <p className="text-muted">Who is master and by whose account, whether a failover could happen now, and how the last ones went.</p>
        </div>
        <LiveIndicator stream={stream} at={snapshot.at} ageSeconds={age} tickMs={snapshot.tick.ms} />
      </div>

      {snapshot.cluster && (
        <p data-testid="sentinel-cluster" className="rounded-lg border border-line bg-panel p-4">
          This deployment is a Redis Cluster: it fails over by itself, without Sentinel. Its shards, failovers and each node&apos;s view are on the Cluster
          page.
        </p>
      )}
      {!snapshot.cluster && <SentinelBanners sentinel={s} nodes={nodes} present={present} />}

      <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
        <MasterCard sentinel={s} nodes={nodes} present={present} />
        {!s.none && <AgreementCard sentinel={s} />}
      </div>

      {/* Without Sentinel there is no quorum, no failover and no sentinel to list: only the nodes' own word. */}
      {!s.none && <FailoverStepper progress={s.failover} last={history[0]} nodes={nodes} present={present} now={now} />}

      {!s.none && (
        <section aria-label="Sentinels">
          <SectionTitle>Each sentinel&apos;s own view</SectionTitle>
          <SentinelsTable sentinel={s} nodes={nodes} present={present} />
        </section>
      )}

      <section aria-label="Replicas">
        <SectionTitle
          right={<span className="text-sm text-muted">{s.blind || s.none ? "from the nodes' INFO" : "from SENTINEL REPLICAS and the nodes' INFO"}</span>}
        >
          Replicas
        </SectionTitle>
        <ReplicasTable replicas={s.replicas ?? []} nodes={nodes} present={present} />
      </section>

      {!s.none && (
        <section aria-label="Failover history">
          <SectionTitle right={<span className="text-sm text-muted">newest first · phases measured from the sentinels&apos; events</span>}>
            Failover history
          </SectionTitle>
          <FailoverHistory history={history} nodes={nodes} present={present} />
        </section>
      )}
    </div>
  );
}
