/** Is the sandbox topology healthy? One master, its replica in sync, every sentinel's CKQUORUM OK, aware of the replica and not failing over. */
import { infoFields } from "../../lib/contract/info-fields";
import type { RedisAuth } from "../redis-auth";
import { withRedis } from "../redis-client";

export interface TopologyTarget {
  /** The devstack's login to the nodes, and to the sentinels. */
  auth: RedisAuth;
  sentinelAuth: RedisAuth;
  masterName: string;
  nodes: { name: string; port: number }[];
  sentinels: { name: string; port: number }[];
}

export interface TopologyHealth {
  healthy: boolean;
  problems: string[];
  masterPort: number | null;
  roles: Record<string, string>;
  sentinelMasters: Record<string, string | null>;
}

export async function checkTopology(t: TopologyTarget): Promise<TopologyHealth> {
  const problems: string[] = [];
  const roles: Record<string, string> = {};
  const links: Record<string, string> = {};
  await Promise.all(
    t.nodes.map(async (n) => {
      try {
        const info = infoFields(await withRedis({ port: n.port, auth: t.auth }, (r) => r.info("replication")));
        roles[n.name] = info.role ?? "unknown";
        if (info.role === "slave") links[n.name] = `${info.master_port}:${info.master_link_status}:${info.master_sync_in_progress}`;
      } catch (err) {
        roles[n.name] = "down";
        problems.push(`${n.name} (port ${n.port}) does not answer: ${(err as Error).message}`);
      }
    }),
  );
  const masters = t.nodes.filter((n) => roles[n.name] === "master");
  const masterPort = masters.length === 1 ? masters[0].port : null;
  if (masters.length !== 1) problems.push(`expected one master, found ${masters.length}`);
  for (const n of t.nodes) {
    if (roles[n.name] !== "slave") continue;
    const [port, link, syncing] = links[n.name].split(":");
    if (Number(port) !== masterPort || link !== "up" || syncing !== "0") {
      problems.push(`${n.name} is not in sync with the master (link ${link}, master port ${port})`);
    }
  }
  const sentinelMasters: Record<string, string | null> = {};
  await Promise.all(
    t.sentinels.map(async (s) => {
      try {
        await withRedis({ port: s.port, auth: t.sentinelAuth }, async (r) => {
          const addr = (await r.call("SENTINEL", "GET-MASTER-ADDR-BY-NAME", t.masterName)) as string[] | null;
          sentinelMasters[s.name] = addr ? `${addr[0]}:${addr[1]}` : null;
          // A failover still running (begun while the master was frozen or killed) would move the
          // master after reset has answered, leaving a pinned address on the demoted node.
          const master = (await r.call("SENTINEL", "MASTER", t.masterName)) as string[];
          const flags = master[master.indexOf("flags") + 1] ?? "";
          if (/s_down|o_down|failover_in_progress/.test(flags)) problems.push(`${s.name} flags the master ${flags}`);
          const quorum = String(await r.call("SENTINEL", "CKQUORUM", t.masterName));
          if (!quorum.startsWith("OK")) problems.push(`${s.name}: CKQUORUM ${quorum}`);
          // A sentinel that does not know the replica cannot fail over ("no good slave").
          const replicas = (await r.call("SENTINEL", "REPLICAS", t.masterName)) as string[][];
          const usable = replicas.filter((fields) => !/s_down|o_down|disconnected/.test(fields[fields.indexOf("flags") + 1] ?? "")).length;
          if (usable < t.nodes.length - 1) {
            problems.push(`${s.name} knows ${usable} of ${t.nodes.length - 1} replicas (Sentinel learns them from the master's INFO)`);
          }
        });
      } catch (err) {
        sentinelMasters[s.name] = null;
        problems.push(`${s.name} (port ${s.port}): ${(err as Error).message}`);
      }
    }),
  );
  for (const [name, addr] of Object.entries(sentinelMasters)) {
    if (addr && masterPort && addr !== `127.0.0.1:${masterPort}`) {
      problems.push(`${name} believes the master is ${addr}, but ${masterPort} is`);
    }
  }
  return { healthy: problems.length === 0, problems, masterPort, roles, sentinelMasters };
}

/** Polls until healthy or the deadline passes; then throws with the last problems. */
export async function waitForHealthy(t: TopologyTarget, timeoutMs: number): Promise<TopologyHealth> {
  const deadline = Date.now() + timeoutMs;
  let last: TopologyHealth | null = null;
  while (Date.now() < deadline) {
    last = await checkTopology(t);
    if (last.healthy) return last;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`topology not healthy after ${timeoutMs} ms: ${last?.problems.join("; ") ?? "no check ran"}`);
}
