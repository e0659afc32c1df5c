/**
 * The Sentinel view against real redis-server and redis-sentinel processes: the console runs as
 * a real server (`scripts/serve.mjs`) and is read only through /api/snapshot, /api/stream and
 * /api/timeline. Faults go through the devstack control API.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { StackState } from "../../devstack/state";
import { FAILOVER_STEPS, type FailoverRecord } from "../../lib/sentinel/types";
import type { Snapshot } from "../../lib/snapshot/types";
import type { TimelineEvent } from "../../lib/timeline/types";
import { openStore } from "../../lib/store/store";
import { control, startConsole, type RunningConsole } from "./helpers/console";
import { startPostgres, type TestPostgres } from "./helpers/postgres";
import { SnapshotRecorder } from "./helpers/snapshot-recorder";
import { CONSOLE_PORTS, PORTS, startStack, stopStack, testSettings, waitFor } from "./helpers/stack";

const SENTINELS = ["sentinel-1", "sentinel-2", "sentinel-3"];
const allListening = (s: Snapshot) => s.sentinel.reachable === 3 && s.sentinel.sentinels.every((x) => x.eventsLive);
const settled = (s: Snapshot) =>
  allListening(s) && !s.sentinel.failover?.active && !!s.sentinel.replicas?.length && s.sentinel.replicas.every((r) => r.linkUp && r.roleReported === "slave");

describe("Sentinel view against a live devstack", () => {
  const settings = testSettings(PORTS.sentinelView);
  let state: StackState;
  let app: RunningConsole;
  let rec: SnapshotRecorder;
  let pg: TestPostgres;
  const until = <T>(what: string, check: (s: Snapshot) => T | null | undefined | false, timeoutMs = 30_000) =>
    waitFor(what, () => check(rec.latest()), timeoutMs);
  const timeline = async () => (await app.get<{ events: TimelineEvent[] }>("/api/timeline")).body.events;
  /** The failover history as the store keeps it: this console runs on its own PostgreSQL, which the test reads too. */
  const persisted = async (): Promise<FailoverRecord[]> => {
    const store = await openStore({ dataDir: null, databaseUrl: pg.url });
    try {
      return await store.failovers.list<FailoverRecord>("sandbox");
    } finally {
      await store.close();
    }
  };

  beforeAll(async () => {
    state = await startStack(settings);
    pg = startPostgres(PORTS.sentinelView + 15, "sentinel-view");
    app = await startConsole({ port: CONSOLE_PORTS.sentinelView, devstackDir: settings.dir, env: { DATABASE_URL: pg.url } });
    rec = await SnapshotRecorder.open(app.url);
  });
  // A failed test may leave a node killed for minutes (its TTL): reset, so the next test is judged on its own.
  afterEach(async (ctx) => {
    if (ctx.task.result?.state !== "fail") return;
    await control(state, "POST", "/reset");
    await until("the sandbox reset after a failed test", (s) => settled(s) && s, 60_000);
  });
  afterAll(async () => {
    rec?.close();
    await app?.stop();
    pg?.destroy();
    await stopStack(settings);
  });

  it("shows the healthy topology: 3/3 sentinels with live event subscriptions, quorum vs majority, the replica's link, lag and priority", async () => {
    const s = await until("all sentinels answering and subscribed, the replica linked", (s) => settled(s) && s);
    expect(s.sentinel).toMatchObject({ quorum: 2, majority: 2, blind: false, splitView: false, failover: { active: false } });
    expect(s.sentinel.sentinels.map((x) => [x.id, x.tilt, x.quorumOk])).toEqual(SENTINELS.map((id) => [id, false, true]));
    const [replica] = s.sentinel.replicas!;
    expect(replica).toMatchObject({ source: "sentinel", up: true, linkUp: true, priority: 100, masterAddr: s.sentinel.master.addr, formerMaster: false });
    // In sync on an idle sandbox: the offsets differ by at most what the layers' probes wrote since the last ACK.
    expect(Number.isInteger(replica.lagBytes)).toBe(true);
    expect(replica.lagBytes).toBeLessThan(64 * 1024);
    // A replica ACKs every second: its lag is a few seconds at most, never unknown.
    expect(replica.lagSeconds).toBeLessThanOrEqual(5);
  });

  it("a killed sentinel shows as reduced agreement (reachable 2/3) and is heard from again after a restart", async () => {
    await control(state, "POST", "/nodes/sentinel-3/kill", { ttlSeconds: 60 });
    try {
      const s = await until("reachable 2/3", (s) => s.sentinel.reachable === 2 && s);
      expect(s.sentinel.sentinels.find((x) => x.id === "sentinel-3")).toMatchObject({ up: false, eventsLive: false, tilt: null });
      expect(s.sentinel.blind).toBe(false);
      // Two of three are still a majority: Sentinel's own CKQUORUM agrees.
      expect(s.sentinel.sentinels.filter((x) => x.up).every((x) => x.quorumOk)).toBe(true);
    } finally {
      await control(state, "POST", "/nodes/sentinel-3/restart");
    }
    await until("sentinel-3 answering and subscribed again", allListening);
  });

  it("all sentinels down: falls back to the nodes' own view and says Sentinel is blind", async () => {
    const before = await until("settled", (s) => settled(s) && s);
    for (const id of SENTINELS) await control(state, "POST", `/nodes/${id}/kill`, { ttlSeconds: 120 });
    try {
      const s = await until("blind", (s) => s.sentinel.blind && s);
      expect(s.sentinel.reachable).toBe(0);
      expect(s.sentinel.master.addr).toBe(before.sentinel.master.addr);
      expect(s.sentinel.master.addr).toBe(s.redis.nodes.find((n) => n.up && n.role === "master")!.addr);
      expect(s.sentinel.replicas).toEqual([expect.objectContaining({ source: "nodes", linkUp: true })]);
      expect((await timeline()).some((e) => e.kind === "sentinel" && e.title.startsWith("Sentinel is blind"))).toBe(true);
    } finally {
      await control(state, "POST", "/reset");
    }
    await until("sentinels back and subscribed", allListening, 60_000);
  });

  it("kill -9 of the master: progress passes through its steps, the new master is pushed at once, the history measures the phases", async () => {
    const before = await until("settled", (s) => settled(s) && s);
    const oldAddr = before.sentinel.master.addr!;
    const oldId = before.redis.nodes.find((n) => n.addr === oldAddr)!.id;
    const from = rec.mark();
    await control(state, "POST", `/nodes/${oldId}/kill`, { ttlSeconds: 300 });
    const after = await until(
      "Sentinel names a new master",
      (s) => s.sentinel.master.addr !== oldAddr && !s.sentinel.blind && s.sentinel.history?.[0]?.newMaster === s.sentinel.master.addr && s,
    );

    const seen = rec.since(from);
    // Live, the failover is shown in progress with its trail so far: in Sentinel's order, from the sdown, never shrinking.
    // (Which steps a viewer catches between two pushes is the machine's timing; the trail in each push is not.)
    const progress = seen.map((r) => r.snapshot.sentinel.failover).filter((f) => f?.active);
    expect(progress.length, "snapshots showing the failover in progress").toBeGreaterThan(0);
    for (const f of progress) {
      const trail = f!.steps.map((x) => x.step);
      const order = trail.map((x) => FAILOVER_STEPS.indexOf(x));
      expect(order, `trail: ${trail.join(" → ")}`).toEqual([...order].sort((a, b) => a - b));
      expect(["sdown", "odown"]).toContain(trail[0]);
      expect(f!.step).toBe(trail.at(-1));
    }
    const lengths = progress.map((f) => f!.steps.length);
    expect(lengths).toEqual([...lengths].sort((a, b) => a - b));
    expect(progress.some((f) => f!.leader && f!.kind === "automatic" && f!.oldMaster === oldAddr)).toBe(true);

    const record = after.sentinel.history![0];
    expect(record).toMatchObject({
      kind: "automatic",
      outcome: "completed",
      oldMaster: oldAddr,
      oldMasterNode: oldId,
      newMasterNode: expect.stringMatching(/^redis-/),
    });
    expect(record.leader).toMatch(/^sentinel-\d$/);
    expect(record.phases.map((p) => p.name)).toEqual(
      expect.arrayContaining(["down-after", "detection", "election", "promotion", "reconfiguration", "announce"]),
    );
    expect(record.masterLostAt).not.toBeNull();

    const switchMark = record.steps.find((x) => x.step === "switch-master")!;
    const firstNew = seen.find((r) => r.snapshot.sentinel.master.addr === record.newMaster)!;
    const pushedAfterMs = firstNew.receivedAt - Date.parse(switchMark.at);
    console.log(
      `[sentinel-view] +switch-master → snapshot with the new master received after ${pushedAfterMs} ms (tick ${before.tick.ms} ms); phases ${record.phases.map((p) => `${p.name} ${p.ms} ms`).join(", ")}; total ${record.durationMs} ms`,
    );
    // An immediate look, not the next regular tick: the snapshot that first names the new master comes from a look the
    // +switch-master asked for, or from a regular look already under way when the switch was announced.
    const { cause, lookStartedAt } = firstNew.snapshot.tick;
    expect(
      cause === "event" || Date.parse(lookStartedAt!) <= Date.parse(switchMark.at),
      `${cause} look started ${lookStartedAt}, switch at ${switchMark.at}`,
    ).toBe(true);

    await until(
      "all three sentinels' +switch-master folded in",
      (s) => s.sentinel.history?.[0]?.steps.find((x) => x.step === "switch-master")?.by.length === 3,
    );
    const switches = (await timeline()).filter(
      (e) => e.kind === "sentinel" && e.title.startsWith("Sentinel +switch-master") && e.title.includes(`was ${oldId}`),
    );
    expect(switches).toHaveLength(1);
    expect(switches[0].detail).toMatch(/reported by sentinel-\d, sentinel-\d, sentinel-\d/);
    expect((await persisted()).some((r) => r.id === record.id)).toBe(true);

    // The old master comes back believing it is master, then Sentinel converts it.
    const restartMark = rec.mark();
    await control(state, "POST", `/nodes/${oldId}/restart`);
    await until(
      "the old master rejoined as a replica",
      (s) => {
        const r = s.sentinel.replicas?.find((x) => x.id === oldId);
        return r?.formerMaster && r.linkUp && r.roleReported === "slave" && s.sentinel.history?.[0]?.oldMasterRejoinedAt;
      },
      60_000,
    );
    const stale = rec
      .since(restartMark)
      .some((r) => r.snapshot.sentinel.replicas?.some((x) => x.id === oldId && x.formerMaster && x.roleReported === "master"));
    expect(stale, "the restarted old master was shown still claiming master before its conversion").toBe(true);
  });

  it("a manual SENTINEL FAILOVER is recorded in the history with its duration", async () => {
    const before = await until("settled", (s) => settled(s) && s);
    const oldAddr = before.sentinel.master.addr;
    // Sentinel refuses while its view of the replica is stale (NOGOODSLAVE): ask until it accepts.
    const started = await waitFor("SENTINEL FAILOVER accepted", () => control(state, "POST", "/sentinel/failover").catch(() => null), 30_000, 1000);
    const s = await until("the manual failover recorded", (s) => {
      const r = s.sentinel.history?.[0];
      return r?.kind === "manual" && r.outcome === "completed" && r.oldMaster === oldAddr && s;
    });
    const record = s.sentinel.history![0];
    expect(record.leader).toBe(started.via);
    expect(record.steps.map((x) => x.step)).not.toContain("sdown");
    expect(record.phases.map((p) => p.name)).toEqual(["election", "promotion", "reconfiguration", "announce"]);
    expect(record.durationMs).toBeGreaterThan(0);
    expect(record.durationMs).toBe(record.phases.reduce((a, p) => a + p.ms, 0));
    console.log(`[sentinel-view] manual failover: ${record.durationMs} ms (${record.phases.map((p) => `${p.name} ${p.ms} ms`).join(", ")})`);
    await until("the master switched in the snapshot", (x) => x.sentinel.master.addr === record.newMaster);
    await waitFor("the manual record persisted", async () => (await persisted()).some((r) => r.id === record.id && r.kind === "manual"));
  });

  // Last: a sentinel in TILT does not act for 30 s, which would change the failovers above.
  it("a sentinel paused longer than 2 s enters TILT, and the console shows it per sentinel and in the timeline", async () => {
    await until("settled", (s) => settled(s) && s);
    await control(state, "POST", "/nodes/sentinel-2/freeze", { ttlSeconds: 30 });
    try {
      // The others mark it sdown only after down-after-milliseconds (2 s): long enough a pause for TILT.
      await waitFor("the other sentinels see sentinel-2 sdown", async () =>
        (await timeline()).some((e) => e.title === "Sentinel: sentinel-2 subjectively down"),
      );
    } finally {
      await control(state, "POST", "/nodes/sentinel-2/thaw");
    }
    const s = await until("sentinel-2 in TILT", (s) => s.sentinel.sentinels.find((x) => x.id === "sentinel-2")?.tilt === true && s);
    expect(s.sentinel.sentinels.filter((x) => x.tilt).map((x) => x.id)).toEqual(["sentinel-2"]);
    await waitFor("+tilt in the timeline", async () =>
      (await timeline()).some((e) => e.kind === "sentinel" && e.subject === "sentinel-2" && e.title.includes("entered TILT")),
    );
  });
});
