/** `stack status`: what runs, each node's role as Redis reports it, and sentinel agreement. No secrets. */
import type { PublicStatus } from "../lib/contract/control-answers";
import { infoFields } from "../lib/contract/info-fields";
import { withRedis } from "./redis-client";
import { stateAuth } from "../lib/contract/devstack-state";
import { isAlive, type StackState } from "./state";

/** The secret-free description of a stack, as `status --json` prints it. */
export async function publicStatus(state: StackState): Promise<PublicStatus> {
  const nodes = await Promise.all(
    state.nodes.map(async (n) => {
      let role = "down";
      if (n.frozen) role = "frozen";
      else if (isAlive(n.pid)) {
        try {
          role = infoFields(await withRedis({ port: n.port, auth: stateAuth(state).devstack, timeoutMs: 500 }, (r) => r.info("replication"))).role ?? "unknown";
        } catch {
          role = "unreachable";
        }
      }
      return { name: n.name, role, host: state.host, port: n.port, pid: isAlive(n.pid) ? n.pid : null, frozen: !!n.frozen };
    }),
  );
  const sentinels = await Promise.all(
    state.sentinels.map(async (s) => {
      let master: string | null = null;
      if (isAlive(s.pid) && !s.frozen) {
        try {
          const addr = (await withRedis({ port: s.port, auth: stateAuth(state).sentinel, timeoutMs: 500 }, (r) =>
            r.call("SENTINEL", "GET-MASTER-ADDR-BY-NAME", state.masterName),
          )) as string[] | null;
          master = addr ? `${addr[0]}:${addr[1]}` : null;
        } catch {
          master = null;
        }
      }
      return { name: s.name, host: state.host, port: s.port, pid: isAlive(s.pid) ? s.pid : null, master };
    }),
  );
  const views = new Set(sentinels.map((s) => s.master).filter(Boolean));
  return {
    stackId: state.stackId,
    running: isAlive(state.supervisorPid),
    ready: state.ready,
    masterName: state.masterName,
    supervisorPid: state.supervisorPid,
    nodes,
    sentinels,
    sentinelsAgree: views.size === 1 && sentinels.every((s) => s.master !== null),
    proxy: state.proxy ? { host: state.host, port: state.proxy.port } : null,
    control: state.control ? { url: state.control.url } : null,
    layers: state.layers.map(({ id, url }) => ({ id, url })),
    // Names and paths only: the passwords stay in the state file.
    security: { tls: state.tls ?? null, aclUsers: state.console ? [state.username ?? "devstack", "layers", state.console.username] : null },
  };
}

export function formatStatus(s: PublicStatus): string {
  const lines = [
    `stack ${s.stackId} ${s.running ? (s.ready ? "running" : "starting") : "NOT RUNNING (stale state)"} · master name ${s.masterName}`,
    ...s.nodes.map((n) => `  ${n.name.padEnd(11)} ${n.role.padEnd(11)} ${n.host}:${n.port}  pid ${n.pid ?? "-"}`),
    ...s.sentinels.map((n) => `  ${n.name.padEnd(11)} ${"sentinel".padEnd(11)} ${n.host}:${n.port}  pid ${n.pid ?? "-"}  sees master ${n.master ?? "?"}`),
    `  sentinels ${s.sentinelsAgree ? "agree on the master" : "DISAGREE or cannot see the master"}`,
  ];
  if (s.proxy) lines.push(`  proxy       ${s.proxy.host}:${s.proxy.port}`);
  for (const l of s.layers) lines.push(`  ${l.id.padEnd(11)} ${l.url}`);
  if (s.control) lines.push(`  control API ${s.control.url}`);
  if (s.security?.tls) lines.push(`  TLS only   CA ${s.security.tls.ca}`);
  if (s.security?.aclUsers)
    lines.push(`  ACL users  ${s.security.aclUsers.join(", ")} (default user off; passwords only in state.json and the 0600 config files)`);
  return lines.join("\n");
}
