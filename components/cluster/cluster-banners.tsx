"use client";

import { Banner } from "../ui/banner";
import type { ClusterSnapshot } from "@/lib/snapshot/cluster-types";

/** What an SRE must know before reading the tables: the cluster refusing queries, a shard down, nodes out of step. */
export function ClusterBanners({ cluster, now }: { cluster: ClusterSnapshot; now: number }) {
  const c = cluster;
  const failing = c.nodes.filter((n) => n.state === "fail").map((n) => n.id);
  const down = c.failoverInProgress;
  const open = c.failovers.find((f) => f.okAt === null);
  return (
    <>
      {c.state === null && (
        <Banner tone="page" testId="cluster-blind" title="No cluster node answers">
          The console reaches none of the cluster&apos;s nodes{c.topologyError ? `: ${c.topologyError}` : ""}. What is shown below is the last topology it read.
        </Banner>
      )}
      {failing.length > 0 && (
        <Banner tone="page" testId="cluster-state-fail" title={`cluster_state:fail on ${failing.join(", ")}`}>
          A node in state fail refuses every query, on every slot — not only the failed shard&apos;s (cluster-require-full-coverage). Every layer&apos;s Redis
          calls through it fail until the cluster is ok again.
        </Banner>
      )}
      {down && (
        <Banner
          tone="page"
          testId="cluster-shard-down"
          title={`${down.shard}: its master is failing, ${Math.max(0, Math.round((now - Date.parse(down.since)) / 1000))} s so far`}
        >
          Keys on {down.shard}&apos;s slots cannot be written (or read from the master). The cluster promotes a replica once the other masters agree it failed
          (cluster-node-timeout); tenants whose keys live on other shards are served meanwhile.
        </Banner>
      )}
      {open && !down && <Banner tone="warn" testId="cluster-promoted" title={`${open.shard}: ${open.to} promoted, waiting for cluster_state:ok everywhere`} />}
      {c.disagreements.length > 0 && (
        <Banner tone="warn" testId="cluster-disagree" title="Nodes disagree about the cluster">
          <ul className="list-disc pl-5">
            {c.disagreements.map((d) => (
              <li key={d}>{d}</li>
            ))}
          </ul>
        </Banner>
      )}
    </>
  );
}
