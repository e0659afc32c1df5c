/**
 * Nothing lost on upgrade: a data dir written by the console of before the store (the committed
 * fixture, made by fixtures/make-data-dir-before-store.sh on commit 00d2706) is imported once
 * into the embedded store on the first start, its files kept as *.imported, and every incident,
 * run, failover and timeline event is served as before, across a restart too.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChaosRun } from "../../lib/chaos/types";
import type { Incident } from "../../lib/incidents/types";
import type { FailoverRecord } from "../../lib/sentinel/types";
import type { TimelineEvent } from "../../lib/timeline/types";
import { startConsole, type RunningConsole } from "./helpers/console";
import { CONSOLE_PORTS, PORTS, startStack, stopStack, testSettings, waitFor } from "./helpers/stack";

const FIXTURE = path.join(__dirname, "fixtures", "data-dir-before-store");
const lines = <T>(file: string) =>
  fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);

describe("import of a data dir written before the store", () => {
  const settings = testSettings(PORTS.storeImport);
  const dataDir = path.join(os.tmpdir(), `rrc-store-import-${PORTS.storeImport}`);
  const oldTimeline = lines<TimelineEvent>(path.join(FIXTURE, "timeline.jsonl"));
  const oldIncidents = (JSON.parse(fs.readFileSync(path.join(FIXTURE, "incidents.json"), "utf8")) as { incidents: Incident[] }).incidents;
  const oldFailovers = [...new Map(lines<FailoverRecord>(path.join(FIXTURE, "failovers.jsonl")).map((r) => [r.id, r])).values()];
  const oldRuns = fs
    .readdirSync(path.join(FIXTURE, "chaos-runs"))
    .map((f) => JSON.parse(fs.readFileSync(path.join(FIXTURE, "chaos-runs", f), "utf8")) as ChaosRun);
  let app: RunningConsole | null = null;

  const start = async () => {
    app = await startConsole({ port: CONSOLE_PORTS.storeImport, devstackDir: settings.dir, dataDir });
    return app;
  };
  /** Stops the console but keeps its data dir (the helper's stop removes it). */
  const restart = async () => {
    process.kill(app!.pid, "SIGTERM");
    await waitFor(
      "the console to exit",
      async () =>
        (await app!.get("/api/health").then(
          () => false,
          () => true,
        )) as boolean,
      30_000,
      100,
    );
    return start();
  };

  beforeAll(async () => {
    expect(oldTimeline.length).toBeGreaterThan(0);
    expect(oldIncidents.length).toBeGreaterThan(0);
    expect(oldFailovers.length).toBeGreaterThan(0);
    expect(oldRuns.length).toBeGreaterThan(0);
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.cpSync(FIXTURE, dataDir, { recursive: true });
    await startStack(settings);
    await start();
  });
  afterAll(async () => {
    await app?.stop();
    await stopStack(settings);
  });

  async function expectEverythingServed(c: RunningConsole) {
    const incidents = (await c.get<{ incidents: Incident[] }>("/api/incidents")).body.incidents;
    for (const old of oldIncidents) expect(incidents.find((i) => i.id === old.id)).toEqual(old);
    const runs = (await c.get<{ runs: ChaosRun[] }>("/api/chaos/runs")).body.runs;
    for (const old of oldRuns) expect(runs.find((r) => r.id === old.id)).toMatchObject({ scenario: old.scenario, state: old.state, checks: old.checks });
    const timeline = (await c.get<{ events: TimelineEvent[] } | TimelineEvent[]>("/api/timeline")).body;
    const events = Array.isArray(timeline) ? timeline : timeline.events;
    for (const old of oldTimeline) expect(events.find((e) => e.id === old.id)).toEqual(old);
    const history = await waitFor("the failover history in the snapshot", async () => (await c.snapshot()).sentinel?.history, 30_000, 250);
    for (const old of oldFailovers) expect(history.find((f) => f.id === old.id)).toEqual(old);
    return events;
  }

  it("serves every incident, run, failover and timeline event of the old files, which are kept as *.imported", async () => {
    await expectEverythingServed(app!);
    for (const name of ["timeline.jsonl", "incidents.json", "failovers.jsonl", "chaos-runs"]) {
      expect(fs.existsSync(path.join(dataDir, name)), name).toBe(false);
      expect(fs.existsSync(path.join(dataDir, `${name}.imported`)), `${name}.imported`).toBe(true);
    }
    expect(fs.existsSync(path.join(dataDir, "store", "PG_VERSION"))).toBe(true);
  });

  it("after a restart, serves the same from the store and imports nothing twice", async () => {
    const before = (await app!.get<{ events: TimelineEvent[] } | TimelineEvent[]>("/api/timeline")).body;
    const beforeEvents = Array.isArray(before) ? before : before.events;
    const c = await restart();
    const events = await expectEverythingServed(c);
    // Each old event once, and this console's own events of the first start kept after them.
    for (const old of oldTimeline) expect(events.filter((e) => e.id === old.id)).toHaveLength(1);
    for (const e of beforeEvents) expect(events.find((x) => x.id === e.id)).toEqual(e);
  });
});
