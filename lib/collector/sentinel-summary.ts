/**
 * Folds each sentinel's own view into the snapshot's `sentinel` block. When no sentinel
 * answers, the master is taken from the nodes' own INFO replication and marked blind.
 */
import { sentinelMajority } from "../snapshot/rules";
import type { NodeSnapshot, SentinelSnapshot, SentinelView } from "../snapshot/types";

function mostCommon(values: string[]): string | null {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: string | null = null;
  let n = 0;
  for (const [v, c] of counts) if (c > n) [best, n] = [v, c];
  return best;
}

/** `configured`: how many sentinels the config names; none is a valid deployment (no Sentinel), not a blind one. */
export function summarizeSentinels(masterName: string, views: SentinelView[], nodes: NodeSnapshot[], configured = views.length): SentinelSnapshot {
  const up = views.filter((v) => v.up);
  const masterAddrs = up.map((v) => v.masterAddr).filter((a): a is string => !!a);
  const agreed = mostCommon(masterAddrs);
  const none = configured === 0;
  const blind = up.length === 0 && !none;
  const nodeMaster = nodes.find((n) => n.up && n.role === "master")?.addr ?? null;
  const leader = up.find((v) => v.masterAddr === agreed) ?? null;
  return {
    masterName,
    master: {
      addr: blind || none ? nodeMaster : agreed,
      flags: leader?.flags ?? [],
      configEpoch: up.reduce<number | null>((max, v) => (v.configEpoch !== null && (max === null || v.configEpoch > max) ? v.configEpoch : max), null),
    },
    quorum: leader?.quorum ?? up.find((v) => v.quorum !== null)?.quorum ?? null,
    sentinels: views,
    reachable: up.length,
    failoverInProgress: up.some((v) => v.flags.some((f) => f.startsWith("failover"))),
    splitView: new Set(masterAddrs).size > 1,
    blind,
    majority: sentinelMajority(views.length),
    ...(none ? { none } : {}),
  };
}
