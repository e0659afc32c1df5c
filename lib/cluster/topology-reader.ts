import "server-only";
/**
 * The one topology read a tick makes: CLUSTER NODES on one node (the last that answered, else
 * the next answering one), and discovery from the config's seeds before the first look. Every
 * call has the console's Redis timeout; a node the liveness PINGs call silent is skipped.
 */
import type Redis from "ioredis";
import { createClient, describeClientError } from "../redis/client";
import type { ConnectionAuth } from "../redis/connection-auth";
import { parseClusterNodes, type ClusterNodeEntry } from "../contract/cluster-info";
import type { NodeSampler } from "../collector/node-sampler";
import { deniedCommand, noPermissionSentence } from "../redis/connection-error";

export type TopologyRead = { ok: true; from: string; entries: ClusterNodeEntry[] } | { ok: false; error: string };

async function clusterNodes(redis: Redis): Promise<ClusterNodeEntry[]> {
  return parseClusterNodes(String(await redis.cluster("NODES")));
}

export class TopologyReader {
  private preferred: string | null = null;

  constructor(
    private readonly username: string | undefined,
    private readonly timeoutMs: number,
  ) {}

  /** CLUSTER NODES from one node; at most one more node is tried when the first fails, so a tick pays one timeout at worst. */
  async read(nodes: NodeSampler[]): Promise<TopologyRead> {
    const candidates = [...nodes].filter((n) => !n.liveness?.notAnswering).sort((a, b) => (a.id === this.preferred ? -1 : b.id === this.preferred ? 1 : 0));
    const errors: string[] = [];
    for (const n of candidates.slice(0, 2)) {
      try {
        const entries = await clusterNodes(n.redis);
        this.preferred = n.id;
        return { ok: true, from: n.id, entries };
      } catch (err) {
        const denied = deniedCommand((err as Error).message);
        // A permission the console lacks is a config problem to fix, not a topology to doubt.
        if (denied) return { ok: false, error: noPermissionSentence(this.username, denied, "the shards cannot be read (add +cluster|nodes)") };
        // The same sentence the node's card gives ("TLS: certificate not trusted …"), not the client's raw message.
        errors.push(`${n.id}: ${describeClientError(n.redis, err, this.timeoutMs).sentence}`);
      }
    }
    return { ok: false, error: candidates.length ? `CLUSTER NODES failed on ${errors.join("; ")}` : "no cluster node answers" };
  }
}

/**
 * The cluster's nodes as the first seed that answers sees them; the seeds themselves when none
 * does (the console then watches them and says they do not answer).
 */
export async function discoverNodes(
  seeds: { host: string; port: number }[],
  auth: ConnectionAuth,
  timeoutMs: number,
): Promise<{ nodes: { host: string; port: number }[]; error: string | null }> {
  const errors: string[] = [];
  for (const seed of seeds) {
    const client = createClient({ ...seed, auth, timeoutMs });
    try {
      await client.connect();
      const entries = await clusterNodes(client);
      const nodes = entries.filter((e) => e.host && e.port > 0 && !e.flags.includes("noaddr")).map((e) => ({ host: e.host, port: e.port }));
      if (nodes.length) return { nodes, error: null };
    } catch (err) {
      errors.push(`${seed.host}:${seed.port}: ${describeClientError(client, err, timeoutMs).sentence}`);
    } finally {
      client.disconnect();
    }
  }
  return { nodes: seeds, error: `no seed answered CLUSTER NODES (${errors.join("; ")})` };
}
