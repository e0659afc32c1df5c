/**
 * Incidents end to end on the devstack: an outage drill and a real failover (kill -9 of the
 * master, Sentinel promotes the replica) each produce one incident, closed after the settle
 * period, whose Markdown export is a readable postmortem draft.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StackState } from "../../devstack/state";
import type { Incident } from "../../lib/incidents/types";
import { runScenario } from "./helpers/chaos-runs";
import { control, startConsole, type RunningConsole } from "./helpers/console";
import { CONSOLE_PORTS, PORTS, startStack, stopStack, testSettings, waitFor } from "./helpers/stack";

const TOKEN = "integration-operator-token-0123456789abcdef";
const SETTLE_MS = 4000;

describe("incidents on the devstack", () => {
  const settings = testSettings(PORTS.incidents);
  let state: StackState;
  let app: RunningConsole;
  const list = async (query = "") => (await app.get<{ open: string | null; incidents: Incident[] }>(`/api/incidents${query}`)).body;
  const markdown = async (id: string) => {
    const res = await fetch(`${app.url}/api/incidents/${id}?format=markdown`, { signal: AbortSignal.timeout(10_000) });
    expect(res.headers.get("content-type")).toContain("text/markdown");
    return res.text();
  };

  beforeAll(async () => {
    state = await startStack(settings);
    app = await startConsole({
      port: CONSOLE_PORTS.incidents,
      devstackDir: settings.dir,
      env: { OPERATOR_TOKEN: TOKEN, INCIDENTS_SETTLE_MS: String(SETTLE_MS) },
    });
  });
  afterAll(async () => {
    if (state) await control(state, "POST", "/reset").catch(() => {});
    await app?.stop();
    await stopStack(settings);
  });

  it("an outage drill is one incident, marked as a drill, with per-layer impact and the run's verdicts", async () => {
    const run = await runScenario(app, TOKEN, "outage", { durationSeconds: 4 });
    const inc = await waitFor(
      "the drill to close",
      async () => (await list()).incidents.find((i) => i.chaosRun === run.id && i.state === "closed"),
      60_000,
      500,
    );
    expect((await list()).incidents.filter((i) => i.chaosRun === run.id)).toHaveLength(1);
    expect(inc.drill).toBe(true);
    expect(inc.durationMs).toBeGreaterThan(4000);
    const l3 = inc.layers.find((l) => l.layer === "L3")!;
    expect(l3.worst).toBe("unavailable");
    expect(l3.ms.unavailable).toBeGreaterThan(2000);
    expect(inc.moments.some((m) => /down/.test(m.title))).toBe(true);
    const md = await markdown(inc.id);
    console.log(`[incidents] outage drill export:\n${md}`);
    expect(md).toContain("# Drill");
    expect(md).toMatch(/\| L3 \| unavailable \| /);
    expect(md).toContain("## Chaos verdicts (outage:");
    expect(md).toContain("## Follow-ups");
    expect((await list("?kind=drill")).incidents.map((i) => i.id)).toContain(inc.id);
    expect((await list("?kind=incident")).incidents.map((i) => i.id)).not.toContain(inc.id);
    expect((await app.get("/api/incidents?severity=loud")).status).toBe(400);
    expect((await app.get("/api/incidents/nope")).status).toBe(404);
  });

  it("a kill -9 of the master with Sentinel's failover is one incident with +switch-master and its measured phases", async () => {
    const before = await app.snapshot();
    const master = before.redis.nodes.find((n) => n.role === "master")!;
    const known = new Set((await list()).incidents.map((i) => i.id));
    await control(state, "POST", `/nodes/${master.id}/kill`, { ttlSeconds: 300 });
    await waitFor(
      "Sentinel to name a new master",
      async () => {
        const s = await app.snapshot();
        return s.sentinel.master.addr !== master.addr && s.sentinel.history?.[0]?.newMaster === s.sentinel.master.addr;
      },
      60_000,
      250,
    );
    await control(state, "POST", `/nodes/${master.id}/restart`);
    // The sandbox's layers are pinned to the old master, as the platform's are: the incident
    // lasts until the address is pointed at the new one, which /reset does ("changing the DNS").
    await control(state, "POST", "/reset");
    const inc = await waitFor(
      "the failover incident to close",
      async () => {
        const fresh = (await list()).incidents.filter((i) => !known.has(i.id));
        return fresh.length > 0 && fresh.every((i) => i.state === "closed") ? fresh : null;
      },
      120_000,
      500,
    );
    expect(inc).toHaveLength(1);
    const [i] = inc;
    expect(i.drill).toBe(false);
    const sw = i.moments.find((m) => m.title.includes("+switch-master"));
    expect(sw, JSON.stringify(i.moments)).toBeDefined();
    expect(sw!.phases?.length).toBeGreaterThan(0);
    const md = await markdown(i.id);
    console.log(`[incidents] failover export:\n${md}`);
    expect(md).toContain("# Incident");
    expect(md).toMatch(/\+switch-master.*\(failover \d+\.\d s\)/);
    expect(md).not.toContain(state.controlToken);
  });
});
