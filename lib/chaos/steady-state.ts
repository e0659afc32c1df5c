/** The steady state a chaos run needs before it starts and must find again after it ends. Pure. */
import type { Snapshot } from "../snapshot/types";

/**
 * What steady state asks of a stack the console does not own (an opted-in dev stack): a replica
 * only where the stack has one, and no CKQUORUM (its sentinel user may not be allowed to run it).
 */
export const DEV_STACK_STEADY = { replicaRequired: false, quorum: false } as const;

/** Problems that keep the stack from steady state; empty means healthy. The sandbox always has a replica and lets the console run CKQUORUM. */
export function steadyStateProblems(s: Snapshot, want: { replicaRequired: boolean; quorum: boolean } = { replicaRequired: true, quorum: true }): string[] {
  const problems: string[] = [];
  const masters = s.redis.nodes.filter((n) => n.up && n.role === "master");
  if (masters.length !== 1) problems.push(masters.length ? `${masters.length} masters answer` : "no master answers");
  const replicas = s.redis.nodes.filter((n) => n.role === "replica");
  if ((want.replicaRequired || replicas.length) && !replicas.some((r) => r.up && r.masterLinkUp)) problems.push("no replica in sync with the master");
  for (const n of s.redis.nodes.filter((x) => !x.up)) problems.push(`${n.id} is down (${n.error ?? "no answer"})`);
  const sentinels = s.sentinel.sentinels;
  if (sentinels.some((x) => !x.up))
    problems.push(
      `${sentinels
        .filter((x) => !x.up)
        .map((x) => x.id)
        .join(", ")} not answering`,
    );
  const noQuorum = sentinels.filter((x) => x.up && x.quorumOk === false);
  if (want.quorum && noQuorum.length) problems.push(`CKQUORUM fails on ${noQuorum.map((x) => x.id).join(", ")}: ${noQuorum[0].quorumMessage}`);
  if (s.sentinel.splitView) problems.push("sentinels disagree about the master");
  if (s.sentinel.failoverInProgress) problems.push("a failover is in progress");
  for (const l of s.layers.filter((x) => x.status !== "ok")) problems.push(`${l.id} is ${l.status}: ${l.summary}`);
  if (s.redis.available !== true) problems.push(`Redis not reachable for the layers (${s.redis.availabilityDetail})`);
  return problems;
}
