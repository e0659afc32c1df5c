import { describe, expect, it } from "vitest";
import { parseSentinelEvent } from "./event-parse";
import { FailoverTracker } from "./failover-tracker";
import type { FailoverRecord } from "./types";

const T0 = Date.parse("2026-11-26T10:00:00.000Z");

/** Feeds "seconds sentinel channel message…" lines, as captured from redis-sentinel 7.0.15. */
function feed(tracker: FailoverTracker, log: string): void {
  for (const line of log.trim().split("\n")) {
    const [t, who, channel, ...rest] = line.trim().split(" ");
    const e = parseSentinelEvent(channel, rest.join(" "));
    if (e) tracker.ingest(who, e, T0 + Math.round(Number(t) * 1000));
  }
}

// kill -9 of the master 127.0.0.1:17240 (down-after-milliseconds 2000), trimmed of hello/+slave noise.
const KILL = `
2.954 s3 +sdown master mymaster 127.0.0.1 17240
3.052 s2 +sdown master mymaster 127.0.0.1 17240
3.052 s1 +sdown master mymaster 127.0.0.1 17240
3.110 s2 +odown master mymaster 127.0.0.1 17240 #quorum 2/2
3.110 s2 +new-epoch 1
3.110 s2 +try-failover master mymaster 127.0.0.1 17240
3.110 s2 +vote-for-leader 5a6398925c7a 1
3.112 s3 +new-epoch 1
3.112 s1 +new-epoch 1
3.136 s1 +odown master mymaster 127.0.0.1 17240 #quorum 3/2
3.200 s2 +elected-leader master mymaster 127.0.0.1 17240
3.201 s2 +failover-state-select-slave master mymaster 127.0.0.1 17240
3.301 s2 +selected-slave slave 127.0.0.1:17241 127.0.0.1 17241 @ mymaster 127.0.0.1 17240
3.301 s2 +failover-state-send-slaveof-noone slave 127.0.0.1:17241 127.0.0.1 17241 @ mymaster 127.0.0.1 17240
3.391 s2 +failover-state-wait-promotion slave 127.0.0.1:17241 127.0.0.1 17241 @ mymaster 127.0.0.1 17240
4.117 s3 +odown master mymaster 127.0.0.1 17240 #quorum 3/2
4.123 s2 -role-change slave 127.0.0.1:17241 127.0.0.1 17241 @ mymaster 127.0.0.1 17240 new reported role is master
4.123 s2 +promoted-slave slave 127.0.0.1:17241 127.0.0.1 17241 @ mymaster 127.0.0.1 17240
4.123 s2 +failover-state-reconf-slaves master mymaster 127.0.0.1 17240
4.182 s2 +failover-end master mymaster 127.0.0.1 17240
4.182 s2 +switch-master mymaster 127.0.0.1 17240 127.0.0.1 17241
4.182 s2 +slave slave 127.0.0.1:17240 127.0.0.1 17240 @ mymaster 127.0.0.1 17241
4.184 s1 +config-update-from sentinel 5a6398925c7a 127.0.0.1 17243 @ mymaster 127.0.0.1 17240
4.184 s1 +switch-master mymaster 127.0.0.1 17240 127.0.0.1 17241
4.184 s3 +switch-master mymaster 127.0.0.1 17240 127.0.0.1 17241
6.187 s1 +sdown slave 127.0.0.1:17240 127.0.0.1 17240 @ mymaster 127.0.0.1 17241`;

// SENTINEL FAILOVER mymaster sent to s1 while 127.0.0.1:17241 was master.
const MANUAL = `
0.911 s1 +new-epoch 2
0.911 s1 +try-failover master mymaster 127.0.0.1 17241
0.928 s1 +vote-for-leader 36f26799bb03 2
0.929 s1 +elected-leader master mymaster 127.0.0.1 17241
0.929 s1 +failover-state-select-slave master mymaster 127.0.0.1 17241
0.995 s1 +selected-slave slave 127.0.0.1:17240 127.0.0.1 17240 @ mymaster 127.0.0.1 17241
1.258 s3 +new-epoch 2
1.958 s1 +promoted-slave slave 127.0.0.1:17240 127.0.0.1 17240 @ mymaster 127.0.0.1 17241
1.958 s1 +failover-state-reconf-slaves master mymaster 127.0.0.1 17241
2.041 s1 +failover-end master mymaster 127.0.0.1 17241
2.041 s1 +switch-master mymaster 127.0.0.1 17241 127.0.0.1 17240
2.043 s2 +switch-master mymaster 127.0.0.1 17241 127.0.0.1 17240
2.044 s3 +switch-master mymaster 127.0.0.1 17241 127.0.0.1 17240`;

const phaseMs = (r: FailoverRecord) => Object.fromEntries(r.phases.map((p) => [p.name, p.ms]));

describe("FailoverTracker", () => {
  it("calls a failover first heard at its +odown automatic (a manual one never passes through odown)", () => {
    const t = new FailoverTracker({ masterName: "mymaster" });
    const withoutSdown = KILL.trim()
      .split("\n")
      .filter((l) => !l.includes("+sdown master"))
      .join("\n");
    feed(t, withoutSdown);
    expect(t.history()[0]).toMatchObject({ kind: "automatic", outcome: "completed", oldMaster: "127.0.0.1:17240" });
  });

  it("follows a kill -9 failover through its steps while it runs", () => {
    const t = new FailoverTracker({ masterName: "mymaster" });
    feed(t, KILL.split("\n").slice(0, 13).join("\n"));
    const p = t.progress();
    expect(p).toMatchObject({
      active: true,
      kind: "automatic",
      step: "elected-leader",
      leader: "s2",
      oldMaster: "127.0.0.1:17240",
      epoch: 1,
      startedAt: new Date(T0 + 2954).toISOString(),
    });
    expect(p.steps.map((s) => s.step)).toEqual(["sdown", "odown", "try-failover", "elected-leader"]);
    expect(p.steps[0].by).toEqual(["s1", "s2", "s3"]);
  });

  it("records the completed failover with measured phases and who reported what", () => {
    const saved: FailoverRecord[] = [];
    const t = new FailoverTracker({
      masterName: "mymaster",
      nodeId: (a) => (a === "127.0.0.1:17240" ? "redis-a" : a === "127.0.0.1:17241" ? "redis-b" : null),
      onRecord: (r) => saved.push(r),
    });
    feed(t, KILL);
    expect(t.progress().active).toBe(false);
    const [r] = t.history();
    expect(r).toMatchObject({
      kind: "automatic",
      outcome: "completed",
      oldMasterNode: "redis-a",
      newMasterNode: "redis-b",
      newMaster: "127.0.0.1:17241",
      leader: "s2",
      epoch: 1,
    });
    expect(phaseMs(r)).toEqual({ detection: 156, start: 0, election: 90, promotion: 923, reconfiguration: 59, announce: 2 });
    expect(r.durationMs).toBe(4184 - 2954);
    expect(r.steps.find((s) => s.step === "switch-master")).toMatchObject({ by: ["s1", "s2", "s3"], lastAt: new Date(T0 + 4184).toISOString() });
    expect(r.steps.find((s) => s.step === "odown")).toMatchObject({ by: ["s1", "s2", "s3"], detail: "quorum 2/2" });
    // Persisted at once, and again with the late reporters once settled.
    expect(saved).toHaveLength(1);
    t.expire(T0 + 8000);
    expect(saved).toHaveLength(2);
    expect(saved[1].steps.find((s) => s.step === "switch-master")?.by).toEqual(["s1", "s2", "s3"]);
  });

  it("takes a sentinel's +switch-master told after the failover settled as late news of it, not a new failover", () => {
    const t = new FailoverTracker({ masterName: "mymaster" });
    // s3's report comes 5 s after the others (a loaded machine), past the 3 s the record settles in.
    const late = KILL.trim()
      .split("\n")
      .filter((l) => !l.includes("s3 +switch-master"));
    feed(t, late.join("\n"));
    t.expire(T0 + 8000);
    feed(t, "9.184 s3 +switch-master mymaster 127.0.0.1 17240 127.0.0.1 17241");
    expect(t.history()).toHaveLength(1);
    expect(t.history()[0]).toMatchObject({ kind: "automatic", outcome: "completed", oldMaster: "127.0.0.1:17240", newMaster: "127.0.0.1:17241" });
    expect(t.progress().active).toBe(false);
    // The move back is a new failover.
    feed(t, MANUAL);
    expect(t.history()).toHaveLength(2);
  });

  it("takes the leader's +failover-end read after another sentinel's +switch-master as news of that failover, not a new one", () => {
    const t = new FailoverTracker({ masterName: "mymaster" });
    // The leader (s2) tells +failover-end and +switch-master 2 ms before s1 tells its +switch-master;
    // a loaded console read s1's socket first.
    const lines = KILL.trim().split("\n");
    const leaderTail = lines.filter((l) => /s2 \+(failover-end|switch-master|slave) /.test(l));
    const s1Switch = lines.filter((l) => l.includes("s1 +switch-master"));
    const reordered = lines.filter((l) => !leaderTail.includes(l) && !s1Switch.includes(l) && !l.includes("6.187"));
    const at = reordered.findIndex((l) => l.includes("s1 +config-update-from"));
    reordered.splice(at + 1, 0, ...s1Switch, ...leaderTail.map((l) => l.replace("4.182", "4.186")));
    feed(t, reordered.join("\n"));
    t.expire(T0 + 8000);
    expect(t.history()).toHaveLength(1);
    expect(t.history()[0]).toMatchObject({ kind: "automatic", outcome: "completed", leader: "s2", newMaster: "127.0.0.1:17241" });
    // The leader's late +failover-end is measured on it: every phase is there.
    expect(t.history()[0].phases.map((p) => p.name)).toEqual(["detection", "start", "election", "promotion", "reconfiguration", "announce"]);
    expect(t.history()[0].steps.find((s) => s.step === "switch-master")?.by).toEqual(["s1", "s2", "s3"]);
    expect(t.progress().active).toBe(false);
    // Past the settle period, a report of that failover changes nothing and opens nothing.
    feed(t, "12.000 s2 +failover-end master mymaster 127.0.0.1 17240");
    expect(t.history()).toHaveLength(1);
    expect(t.progress().active).toBe(false);
    // A failover of that master once it is master again (the way back first) is still a new one.
    feed(t, MANUAL);
    expect(t.history()).toHaveLength(2);
  });

  it("names the leader from its own steps when its +elected-leader was not heard", () => {
    const t = new FailoverTracker({ masterName: "mymaster" });
    feed(
      t,
      KILL.split("\n")
        .filter((l) => !l.includes("+elected-leader"))
        .join("\n"),
    );
    const [record] = t.history();
    expect(record).toMatchObject({ outcome: "completed", leader: "s2" });
  });

  it("records a manual SENTINEL FAILOVER (no sdown/odown) with its duration", () => {
    const t = new FailoverTracker({ masterName: "mymaster" });
    feed(t, MANUAL);
    const [r] = t.history();
    expect(r).toMatchObject({ kind: "manual", outcome: "completed", oldMaster: "127.0.0.1:17241", newMaster: "127.0.0.1:17240", leader: "s1", epoch: 2 });
    expect(r.durationMs).toBe(2044 - 911);
    expect(r.phases.map((p) => p.name)).toEqual(["election", "promotion", "reconfiguration", "announce"]);
  });

  it("measures the down-after phase from when the console saw the master stop answering", () => {
    const t = new FailoverTracker({ masterName: "mymaster" });
    feed(t, KILL.split("\n").slice(0, 2).join("\n"));
    t.noteMasterLost("127.0.0.1:17240", T0 + 950);
    feed(t, KILL);
    const [r] = t.history();
    expect(r.masterLostAt).toBe(new Date(T0 + 950).toISOString());
    expect(phaseMs(r)["down-after"]).toBe(2954 - 950);
    expect(r.durationMs).toBe(4184 - 950);
  });

  it("drops a lone sdown blip, keeps an odown that recovered without failover", () => {
    const t = new FailoverTracker({ masterName: "mymaster" });
    feed(
      t,
      `
      1.0 s1 +sdown master mymaster 127.0.0.1 17240
      1.5 s1 -sdown master mymaster 127.0.0.1 17240`,
    );
    expect(t.progress().active).toBe(false);
    expect(t.history()).toEqual([]);
    feed(
      t,
      `
      2.0 s1 +sdown master mymaster 127.0.0.1 17240
      2.1 s2 +sdown master mymaster 127.0.0.1 17240
      2.2 s1 +odown master mymaster 127.0.0.1 17240 #quorum 2/2
      2.9 s1 -sdown master mymaster 127.0.0.1 17240
      3.0 s2 -sdown master mymaster 127.0.0.1 17240`,
    );
    expect(t.history()[0]).toMatchObject({ outcome: "recovered", newMaster: null, durationMs: 1000 });
  });

  it("keeps an odown run open on a slow look that read the sentinels before its last event, and closes it on a fresh one", () => {
    const t = new FailoverTracker({ masterName: "mymaster" });
    feed(t, KILL.trim().split("\n").slice(0, 4).join("\n"));
    // A look that began at 1.0 s (before the +odown at 3.110 s) saw no flags; it ended 4 s later on a loaded machine.
    t.expire(T0 + 7000, false, T0 + 1000);
    expect(t.progress()).toMatchObject({ active: true, kind: "automatic" });
    feed(t, KILL.trim().split("\n").slice(4).join("\n"));
    expect(t.history()[0]).toMatchObject({ kind: "automatic", outcome: "completed" });

    const u = new FailoverTracker({ masterName: "mymaster" });
    feed(u, KILL.trim().split("\n").slice(0, 4).join("\n"));
    u.expire(T0 + 7000, false, T0 + 6500);
    expect(u.progress().active).toBe(false);
    expect(u.history()[0]).toMatchObject({ outcome: "recovered" });
  });

  it("ignores other masters and keeps the history bounded", () => {
    const t = new FailoverTracker({ masterName: "mymaster", maxHistory: 2 });
    feed(t, "1.0 s1 +sdown master other 10.0.0.1 6379");
    expect(t.progress().active).toBe(false);
    // Three failovers, each the way back of the one before (the same move twice in a row is one failover told late).
    const back = (log: string) => log.replace(/1724([01])/g, (_, d) => `1724${d === "0" ? "1" : "0"}`);
    for (let i = 0; i < 3; i++) {
      const shifted = MANUAL.replace(/^(\d)/gm, (d) => String(Number(d) + i * 3));
      feed(t, i % 2 ? back(shifted) : shifted);
    }
    expect(t.history()).toHaveLength(2);
  });

  it("notes when the old master rejoins as a replica of the new one", () => {
    const t = new FailoverTracker({ masterName: "mymaster" });
    feed(t, KILL);
    feed(t, "40.0 s3 +convert-to-slave slave 127.0.0.1:17240 127.0.0.1 17240 @ mymaster 127.0.0.1 17241");
    expect(t.history()[0].oldMasterRejoinedAt).toBe(new Date(T0 + 40_000).toISOString());
  });

  it("closes a run whose events stopped as incomplete", () => {
    const t = new FailoverTracker({ masterName: "mymaster", idleMs: 10_000 });
    feed(t, KILL.split("\n").slice(0, 13).join("\n"));
    t.expire(T0 + 20_000);
    expect(t.progress().active).toBe(false);
    expect(t.history()[0]).toMatchObject({ outcome: "incomplete", leader: "s2" });
  });
});
