"use client";

import type { Snapshot } from "@/lib/snapshot/types";
import { clusterUpForLayers } from "@/lib/cluster/availability";
import { redact } from "../live/use-present-mode";

/**
 * The headline about Redis: as the layers see it when the config names their address (checked
 * with ROLE: a replica answers but refuses writes), else simply whether a master answers.
 */
export function RedisAvailability({ snapshot, present }: { snapshot: Snapshot; present: boolean }) {
  const { available, availabilityDetail, layerAddress } = snapshot.redis;
  if (snapshot.cluster) {
    // Every slot served, none, or some shard down (tenants on the other shards are served).
    const up = clusterUpForLayers(snapshot.cluster);
    const state = available === null ? "unknown" : up === false ? "fail" : up ? "ok" : "partial";
    const tone = state === "ok" ? "text-ok" : state === "partial" ? "font-semibold text-degraded" : state === "fail" ? "font-semibold text-unavailable" : "";
    return (
      <>
        Redis Cluster for the layers:{" "}
        <span data-testid="redis-available" data-state={`cluster-${state}`} className={tone}>
          {state === "unknown" ? "not known yet" : state === "ok" ? "every slot served" : state === "partial" ? "A SHARD IS DOWN" : "NOT SERVING"}
        </span>
        <span className="text-muted"> ({redact(availabilityDetail, present)})</span>
      </>
    );
  }
  if (!layerAddress) {
    const master = snapshot.redis.nodes.find((n) => n.up && n.role === "master");
    return (
      <>
        Redis for the layers: <span data-testid="no-layer-address">no layer address in the config</span> · Redis:{" "}
        <span
          data-testid="redis-available"
          data-state="no-layer-address"
          className={available === null ? "" : master ? "text-ok" : "font-semibold text-unavailable"}
        >
          {available === null ? "not known yet" : master ? `master ${master.id} answers` : "NO MASTER ANSWERS"}
        </span>
      </>
    );
  }
  const tone = layerAddress.state === "master" ? "text-ok" : layerAddress.state === "unverified" ? "text-degraded" : "font-semibold text-unavailable";
  const word = {
    master: "reachable",
    replica: "POINTS TO A REPLICA: writes fail with READONLY",
    unverified: "reachable (PING only)",
    unreachable: "UNREACHABLE",
  }[layerAddress.state];
  return (
    <>
      Redis for the layers:{" "}
      <span data-testid="redis-available" data-state={layerAddress.state} className={available === null ? "" : tone}>
        {available === null ? "not known yet" : word}
      </span>
      {layerAddress.state !== "master" && <span className="text-muted"> ({redact(availabilityDetail, present)})</span>}
    </>
  );
}
