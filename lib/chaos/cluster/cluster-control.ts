import "server-only";
/**
 * The cluster sandbox's control API (devstack/cluster/cluster-control.ts) as the chaos runner
 * calls it: per-node faults, CLUSTER FAILOVER on a replica, filler in one master's slots, layer
 * misbehaviour, and the reset that restores the roles as created. URL and token come from the
 * cluster state file at each call (a restarted sandbox has a new token) and stay on the server;
 * every call is bounded, and the token never appears in an error.
 */
import { z } from "zod";
import { readClusterState } from "../../contract/cluster-state";
import { ActiveFaultSchema } from "../../contract/control-answers";
import { ControlError, exchange, refusal, withoutToken, type ControlMethod, type ControlTarget } from "../../contract/control-transport";
import type { LayerId } from "../../contract/failure-contract";

const CALL_TIMEOUT_MS = 15_000;
/** The sandbox answers a reset only once the cluster is ok with the roles as created (it gives up after ~60 s). */
const RESET_TIMEOUT_MS = 120_000;
/** A fill writes until the target or eviction; a manual failover waits for the replica to catch up. */
const SLOW_TIMEOUT_MS = 45_000;

export type ClusterFailoverMode = "default" | "force" | "takeover";

const NodeStatusSchema = z.object({
  name: z.string(),
  port: z.number(),
  role: z.string(),
  master: z.string().nullable(),
  createdRole: z.enum(["master", "replica"]).nullable(),
  createdReplicaOf: z.string().nullable(),
});
export const ClusterStatusSchema = z.object({
  cluster: z.object({ state: z.string(), healthy: z.boolean(), problems: z.array(z.string()) }),
  nodes: z.array(NodeStatusSchema),
  faults: z.array(ActiveFaultSchema),
});
export type ClusterControlStatus = z.infer<typeof ClusterStatusSchema>;

const FaultsSchema = z.object({ faults: z.array(ActiveFaultSchema) });
const ResetSchema = z.object({ healthy: z.literal(true), tookMs: z.number(), undone: z.array(z.string()) });
const FailoverSchema = z.object({ node: z.string(), promotedFrom: z.string().nullable(), seconds: z.number() });
/** What a fill says it did; the scenario measures the master itself (INFO), so only these are needed. */
const FillSchema = z.object({ keysWritten: z.number().optional(), percent: z.number().optional(), evicting: z.boolean().optional() });
export type ClusterFillAnswer = z.infer<typeof FillSchema>;

function targetIn(dir: string): ControlTarget {
  const state = readClusterState(dir);
  if (!state) throw new ControlError("the cluster sandbox is not running (no cluster-state.json): start it with `npm run stack -- up --cluster`", null);
  if (!state.control) throw new ControlError("the cluster sandbox has no control API yet (it is still starting, or it failed to start)", null);
  return { url: state.control.url, token: state.controlToken };
}

export class ClusterControl {
  // Private: a printed or serialized client shows neither the token nor where it came from.
  readonly #dir: string;

  constructor(dir: string) {
    this.#dir = dir;
  }

  /** Calls a route; resolves with its JSON, throws ControlError with the API's own message on 4xx/5xx. */
  async call<T = unknown>(method: ControlMethod, route: string, body?: unknown, timeoutMs = CALL_TIMEOUT_MS): Promise<T> {
    const target = targetIn(this.#dir);
    const answer = await exchange(target, method, route, body, { timeoutMs });
    if (answer.status < 200 || answer.status >= 300) throw refusal(method, route, answer, target.token);
    return answer.body as T;
  }

  private async parsed<S extends z.ZodType>(schema: S, method: ControlMethod, route: string, body?: unknown, timeoutMs?: number): Promise<z.infer<S>> {
    const result = schema.safeParse(await this.call(method, route, body, timeoutMs));
    if (result.success) return result.data;
    const issue = result.error.issues[0];
    const message = `cluster control API ${method} ${route} answered an unexpected shape: ${issue?.path.join(".") || "body"} ${issue?.message}`;
    throw new ControlError(withoutToken(message, targetIn(this.#dir).token), null);
  }

  status() {
    return this.parsed(ClusterStatusSchema, "GET", "/status");
  }
  async faults() {
    return (await this.parsed(FaultsSchema, "GET", "/faults")).faults;
  }
  /** Undoes every fault, removes the filler, gives each node its created role back; answers once the cluster is ok. */
  reset() {
    return this.parsed(ResetSchema, "POST", "/reset", {}, RESET_TIMEOUT_MS);
  }

  /** kill -9 (SIGKILL) or SIGSTOP a node the sandbox started, undone after `ttlSeconds` at the latest. */
  fault(node: string, action: "kill" | "freeze", ttlSeconds: number) {
    return this.call("POST", `/nodes/${encodeURIComponent(node)}/${action}`, { ttlSeconds });
  }
  restart(node: string) {
    return this.call("POST", `/nodes/${encodeURIComponent(node)}/restart`, {});
  }
  thaw(node: string) {
    return this.call("POST", `/nodes/${encodeURIComponent(node)}/thaw`, {});
  }
  /** CLUSTER FAILOVER on a replica: it takes its master's slots. */
  failover(replica: string, mode: ClusterFailoverMode = "default") {
    return this.parsed(FailoverSchema, "POST", `/nodes/${encodeURIComponent(replica)}/failover`, { mode }, SLOW_TIMEOUT_MS);
  }
  /** Filler keys in this master's own slots, each with the TTL, until it reaches the target or evicts. */
  fill(master: string, targetPercent: number, ttlSeconds: number) {
    return this.parsed(FillSchema, "POST", `/nodes/${encodeURIComponent(master)}/fill`, { targetPercent, ttlSeconds }, SLOW_TIMEOUT_MS);
  }
  removeFiller() {
    return this.call("DELETE", "/memory/filler");
  }
  misbehave(layer: LayerId, mode: string, ttlSeconds: number) {
    return this.call("POST", `/layers/${layer}/misbehave`, { mode, ttlSeconds });
  }
  /** Ends a misbehave (the reset ends them all). */
  behave(layer: LayerId) {
    return this.call("DELETE", `/layers/${layer}/misbehave`);
  }
}
