"use client";

import { Banner } from "../ui/banner";
import { configBlindness } from "@/lib/redis/connection-error";
import type { NodeSnapshot, SentinelSnapshot } from "@/lib/snapshot/types";
import { nodeLabel } from "./sentinel-format";

/** The conditions that change what an SRE may trust on this page: blind, split view, TILT. */
export function SentinelBanners({ sentinel, nodes, present }: { sentinel: SentinelSnapshot; nodes: NodeSnapshot[]; present: boolean }) {
  const tilted = sentinel.sentinels.filter((s) => s.up && s.tilt);
  const { majority } = sentinel;
  if (sentinel.none) {
    return (
      <Banner tone="warn" testId="sentinel-none" title="No Sentinel in this deployment: no automatic failover">
        The master shown is what the Redis nodes themselves report. If it dies, it stays down until someone promotes a replica by hand (REPLICAOF NO ONE) and
        points every client at it. The guide&apos;s recommended setup — a master, a replica and 3 sentinels with quorum 2 — is missing here; the Sentinel alerts
        are not applicable.
      </Banner>
    );
  }
  const blindBy = sentinel.blind ? configBlindness(sentinel.sentinels) : null;
  return (
    <>
      {blindBy && (
        <Banner tone="page" testId="sentinel-not-watched" title={`The console cannot watch the sentinels: ${blindBy}`}>
          A problem of the console&apos;s configuration, not necessarily an outage: the sentinels may be healthy. Until it is fixed the console cannot tell who
          Sentinel says is master or whether a failover could happen; the master shown is what the Redis nodes report.
        </Banner>
      )}
      {sentinel.blind && !blindBy && (
        <Banner tone="page" testId="sentinel-blind" title="Sentinel is blind: no sentinel answers">
          The master shown is what the Redis nodes themselves report. No automatic failover can happen until at least {majority} of {sentinel.sentinels.length}{" "}
          sentinels are back: if the master dies now, it stays dead.
        </Banner>
      )}
      {!sentinel.blind && sentinel.reachable < majority && (
        <Banner tone="page" testId="sentinel-no-majority" title={`Only ${sentinel.reachable} of ${sentinel.sentinels.length} sentinels answer`}>
          A failover needs a majority ({majority}) to elect a leader: if the master dies now, no failover will happen.
        </Banner>
      )}
      {sentinel.splitView && (
        <Banner tone="page" testId="sentinel-split" title="Split-brain risk: sentinels disagree about the master">
          {sentinel.sentinels
            .filter((s) => s.up)
            .map((s) => `${s.id} → ${nodeLabel(s.masterAddr, nodes, present)}`)
            .join(" · ")}
          . Clients asking different sentinels are sent to different masters.
        </Banner>
      )}
      {tilted.length > 0 && (
        <Banner tone="warn" testId="sentinel-tilt" title={`${tilted.map((s) => s.id).join(", ")} in TILT mode`}>
          A sentinel in TILT (its clock jumped or it was paused) keeps watching but will not vote or fail over for 30 s.
        </Banner>
      )}
    </>
  );
}
