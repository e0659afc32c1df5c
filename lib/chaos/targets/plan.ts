/**
 * "Say before": every command an external run will send, to which address, what undoes it and
 * how long it lasts, for the Run button to show before anything happens. Client-safe, pure.
 */
import type { NodeAddress } from "../journal";
import type { PlannedCommand } from "./capabilities";
import { REACT_WINDOW_S, type ExternalScenario } from "./external-params";
import { HOLD_CAP } from "./hold-cap";

const a = (n: NodeAddress) => `${n.host}:${n.port}`;

export interface PlanTarget {
  master: NodeAddress;
  nodes: NodeAddress[];
  sentinels: NodeAddress[];
  masterName: string;
  deployment: string;
  lockTtlMs: number;
  /** The sentinels' down-after-milliseconds for this master, when a sentinel answered. */
  downAfterMs?: number | null;
  /** The console-run fault proxy's listen address (`chaos.proxy.listen`). */
  proxy?: NodeAddress;
  /** The master's persistence (CONFIG GET appendonly, save), when it answered. */
  persistence?: { appendonly: string; save: string } | null;
}

/** A crash on a master that keeps nothing on disk empties it, and its replicas resync empty. */
export function crashWarning(p: PlanTarget["persistence"]): string | undefined {
  if (!p || p.appendonly === "yes" || p.save.trim() !== "") return undefined;
  return "the master has appendonly no and no save points: the crash loses every key on it, and its replicas resync empty (the run puts back only its own marker)";
}

function crashCommand(m: string, delayMs: number, t: PlanTarget): PlannedCommand {
  return {
    address: m,
    command: `DEBUG CRASH-AND-RECOVER ${delayMs}`,
    restores: "nothing to send: the server re-executes itself; the restore waits until it answers, and puts rrc:chaos-allowed back as found",
    durationMs: delayMs || null,
    warning:
      [
        crashWarning(t.persistence),
        t.downAfterMs && delayMs >= t.downAfterMs
          ? `the delay (${delayMs} ms) is not shorter than the sentinels' down-after-milliseconds (${t.downAfterMs} ms): Sentinel may fail over before the master is back`
          : undefined,
      ]
        .filter(Boolean)
        .join("; ") || undefined,
  };
}

/** A PAUSE ALL blocks PING too: past down-after-milliseconds the sentinels judge the master down. */
export function pauseWarning(pauseMs: number, downAfterMs: number | null | undefined): string | undefined {
  if (!downAfterMs || pauseMs < downAfterMs) return undefined;
  return (
    `the pause (${Math.round(pauseMs / 1000)} s) is longer than the sentinels' down-after-milliseconds (${downAfterMs} ms): ` +
    "they may judge the master down and promote the replica when the pause lifts (the replica is paused too, so whether it is chosen is a race). " +
    "The restore then cleans the run's keys on both masters and the run says the master moved"
  );
}

export function externalPlan(scenario: ExternalScenario, params: Record<string, unknown>, t: PlanTarget): PlannedCommand[] {
  const m = a(t.master);
  const plan: PlannedCommand[] = [
    { address: m, command: "GET rrc:chaos-allowed", restores: "nothing (checks the marker names this deployment)", durationMs: null },
    { address: m, command: `SET rrc:chaos-lock <run id> NX PX ${t.lockTtlMs}`, restores: "released at the end (compare-and-delete)", durationMs: null },
  ];
  if (scenario === "outage") {
    const ms = (Number(params.durationSeconds) + REACT_WINDOW_S) * 1000;
    const mode = params.mode === "write-pause" ? "WRITE" : "ALL";
    for (const n of t.nodes)
      plan.push({
        address: a(n),
        command: `CLIENT PAUSE ${ms} ${mode}`,
        restores:
          mode === "WRITE"
            ? "CLIENT UNPAUSE at the end; Redis lifts it itself after the window"
            : "Redis lifts it itself at the end of the window (a PAUSE ALL blocks even CLIENT UNPAUSE)",
        durationMs: ms,
        warning: mode === "ALL" ? pauseWarning(ms, t.downAfterMs) : undefined,
      });
  } else if (scenario === "memory-pressure") {
    const ms = (Number(params.durationSeconds) + 30) * 1000;
    plan.push({
      address: m,
      command: "CONFIG SET maxmemory <used_memory + 4 MB>",
      restores: "CONFIG SET maxmemory <original> (journaled first)",
      durationMs: null,
    });
    if (params.policy)
      plan.push({
        address: m,
        command: `CONFIG SET maxmemory-policy ${String(params.policy)}`,
        restores: "CONFIG SET maxmemory-policy <original> (journaled first)",
        durationMs: null,
      });
    plan.push({
      address: m,
      command: `SET rrc:filler:<run id>:<n> <64 KiB> PX ${ms} (until ${Number(params.targetPercent)}% of maxmemory)`,
      restores: "UNLINK every rrc:filler:* key; they expire by themselves anyway",
      durationMs: ms,
    });
  } else if (scenario === "failover" || (scenario === "data-integrity" && params.mode === "failover")) {
    plan.push({
      address: t.sentinels.map(a).join(" or "),
      command: `SENTINEL FAILOVER ${t.masterName}`,
      restores: "nothing to undo: the old master rejoins as a replica",
      durationMs: null,
    });
  } else if (scenario === "latency") {
    const hold = Number(params.durationSeconds) * 1000;
    plan.push({
      address: t.proxy ? a(t.proxy) : "the console's fault proxy (not configured)",
      command: `add ${Number(params.ms)} ms (± ${Number(params.jitterMs)}) to every round trip through the console's proxy`,
      restores:
        "lifted at the end of the hold; the proxy runs in the console's process, so if the console dies the latency goes with it, and so does the path of every layer that reaches Redis through it",
      durationMs: hold,
    });
  } else if (scenario === "restart-under-load") {
    plan.push(crashCommand(m, Number(params.delayMs), t));
  } else if (scenario === "data-integrity") {
    plan.push(crashCommand(m, 0, t));
  } else if (scenario === "connection-exhaustion") {
    const hold = Number(params.durationSeconds) * 1000;
    plan.push(
      {
        address: m,
        command: `CONFIG SET maxclients <clients in use + ${HOLD_CAP} + headroom> (only when more than ${HOLD_CAP} slots are free)`,
        restores: "CONFIG SET maxclients <original> at the release (journaled first, so a dead console's is put back too)",
        durationMs: hold,
      },
      {
        address: m,
        command: `open connections as the chaos user until maxclients minus ${Number(params.headroom)} are in use (at most ${HOLD_CAP})`,
        restores: "closed at the release; they live in the console's process, so they also close if it dies",
        durationMs: hold,
        warning: "while they are held Redis refuses every new connection: a client, sentinel or replica that reconnects meanwhile is refused too",
      },
    );
  }
  if (scenario === "data-integrity")
    plan.splice(plan.length - 1, 0, {
      address: m,
      command: `SET rrc:integrity:<run id>:<seq> <time> PX 3600000 every ${Number(params.writeEveryMs)} ms, then GET each acknowledged one`,
      restores: "UNLINK every rrc:integrity:<run id>:* key",
      durationMs: null,
    });
  plan.push({
    address: m,
    command: "CONFIG GET / GET / SCAN MATCH rrc:filler:*",
    restores: "post-flight: compares the target with the journal's originals",
    durationMs: null,
  });
  return plan;
}
