/**
 * Continuous verification on the sandbox (issue 29): a guardrail stops a run as soon as it has
 * held for its duration and the stack is restored, the run says which guardrail and what it saw;
 * a claim a scheduled run refutes reaches a real Alertmanager and a webhook; a verdict past
 * claims.expireAfterDays reads "expired", lowers the score and is told once.
 */
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StackState } from "../../devstack/state";
import type { ChaosRun } from "../../lib/chaos/types";
import type { AgedScorecardEntry } from "../../lib/verification/claims-standing";
import type { SchedulesAnswer } from "../../lib/verification/schedules-view";
import { finishedRun, startRun } from "./helpers/chaos-runs";
import { control, startConsole, type RunningConsole } from "./helpers/console";
import { startAlertmanager, type Daemon } from "./helpers/prometheus";
import { CONSOLE_PORTS, PORTS, startStack, stopStack, testSettings, waitFor } from "./helpers/stack";

const TOKEN = "guardrails-operator-token-0123456789abcdef";
const EXPIRE_SECONDS = 40;

describe("guardrails, notifications and claims that expire, on the sandbox", () => {
  const settings = testSettings(PORTS.guardrails);
  let state: StackState;
  let alertmanager: Daemon;
  let app: RunningConsole;
  let configDir: string;
  const hooks: { kind: string; claim?: string; guardrail?: string; runId?: string }[] = [];
  const receiver = http.createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      hooks.push(JSON.parse(body));
      res.end();
    });
  });
  const send = async (method: string, route: string, body?: unknown) => {
    const res = await fetch(app.url + route, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
  };
  const scorecard = async () => (await app.get<{ scorecard: AgedScorecardEntry[] }>("/api/chaos/scenarios")).body.scorecard;

  beforeAll(async () => {
    state = await startStack(settings);
    alertmanager = await startAlertmanager(PORTS.guardrailsAlertmanager);
    await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
    configDir = fs.mkdtempSync(path.join(os.tmpdir(), "rrc-guardrails-"));
    const config = {
      source: "devstack",
      devstack: { dir: settings.dir },
      guardrails: [{ kind: "layer-not-ok", forSeconds: 2 }],
      claims: { expireAfterDays: EXPIRE_SECONDS / 86_400 },
      notifications: {
        alertmanager: { url: alertmanager.url },
        webhooks: [{ name: "ops", url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook` }],
        attempts: 2,
      },
    };
    fs.writeFileSync(path.join(configDir, "console.json"), JSON.stringify(config));
    app = await startConsole({
      port: CONSOLE_PORTS.guardrails,
      devstackDir: settings.dir,
      env: { OPERATOR_TOKEN: TOKEN, CONSOLE_CONFIG: path.join(configDir, "console.json") },
    });
  });
  afterAll(async () => {
    if (state) await control(state, "POST", "/reset").catch(() => {});
    await app?.stop();
    await alertmanager?.stop();
    receiver.close();
    if (configDir) fs.rmSync(configDir, { recursive: true, force: true });
    await stopStack(settings);
  });

  it("stops a latency run once L1 has left ok for the guardrail's duration, restores, and says which guardrail", async () => {
    // The layer-not-ok guardrail judges every look from the start: a layer not yet probed ok on a
    // console just started would stop the run before its hold.
    await waitFor("every layer ok before the run", async () => (await app.snapshot()).layers.every((l) => l.status === "ok"), 60_000, 250);
    const started = await startRun(app, TOKEN, "latency", { ms: 50, durationSeconds: 60 });
    expect(started.status).toBe(202);
    // Without guardrails in the request, the config's defaults apply (and the plan shows them).
    expect(started.body.guardrails).toEqual([{ kind: "layer-not-ok", forSeconds: 2 }]);
    expect((await app.get<{ guardrails: unknown[] }>("/api/chaos/scenarios")).body.guardrails).toHaveLength(1);
    await waitFor(
      "the latency hold",
      async () => {
        const run = (await app.get<ChaosRun>(`/api/chaos/runs/${started.id}`)).body;
        if (run.endedAt) throw new Error(`the run ended (${run.state}) before its hold: ${JSON.stringify(run.abortedBy ?? run.steps.at(-1))}`);
        return run.steps.find((s) => s.name === "hold under latency")?.state === "running";
      },
      60_000,
      200,
    );
    await control(state, "POST", "/layers/L1/hang", { ttlSeconds: 60 });
    const run = await finishedRun(app, started.id);
    await control(state, "DELETE", "/layers/L1/hang").catch(() => {});

    expect(run.state).toBe("aborted");
    expect(run.abortedBy).toMatchObject({ guardrail: "layer-not-ok", saw: expect.stringMatching(/^L1 (unavailable|unknown)/) });
    // Stopped within the guardrail's duration + 1 s of it starting to hold.
    const heldMs = Date.parse(run.abortedBy!.at) - Date.parse(run.abortedBy!.since);
    console.log(`[guardrail] held ${heldMs} ms before the abort (forSeconds 2)`);
    expect(heldMs).toBeGreaterThanOrEqual(2000);
    expect(heldMs).toBeLessThanOrEqual(3000);
    // The abort is not a verdict: the latency claim stays as it was (untested here).
    expect((await scorecard()).find((e) => e.claim === "latency-l1-p99")?.verdict).toBe("untested");
    // Restored: the proxy has no fault left, every layer is ok again.
    expect((await control(state, "GET", "/faults")).proxy.latency).toBeFalsy();
    await waitFor("every layer ok", async () => (await app.snapshot()).layers.every((l) => l.status === "ok"), 60_000, 250);
    await waitFor("the guardrail's webhook", () => hooks.find((h) => h.kind === "guardrail-abort" && h.runId === started.id), 30_000, 200);
    const metrics = (await app.get<string>("/api/metrics")).body;
    expect(metrics).toMatch(/^rrc_guardrail_aborts_total\{guardrail="layer-not-ok",deployment="[^"]+"\} 1$/m);
  });

  it("sends a claim a scheduled run refuted to Alertmanager and the webhook, linked to the run", async () => {
    const created = await send("POST", "/api/schedules", {
      name: "memory pressure now",
      scenario: "memory-pressure",
      params: { durationSeconds: 3 },
      cron: "*/10 * * * * *",
      graceSeconds: 30,
      // Eviction is the point of this run: no guardrail on layers here.
      guardrails: [],
    });
    expect(created.status).toBe(201);
    const id = String(created.body.id);
    const slot = await waitFor(
      "the slot to start",
      async () => (await app.get<SchedulesAnswer>("/api/schedules")).body.schedules.find((s) => s.id === id)?.recentSlots.find((x) => x.outcome === "started"),
      60_000,
      250,
    );
    expect((await send("DELETE", `/api/schedules/${id}`)).status).toBe(204);
    const run = await finishedRun(app, slot.runId!);
    expect(run.origin).toBe("schedule");
    expect(run.checks.find((c) => c.claim === "sessions-preserved")?.verdict).toBe("refuted");

    type Alert = { labels: Record<string, string>; generatorURL: string };
    const alert = await waitFor(
      "the alert in Alertmanager",
      async () => {
        const alerts = (await (await fetch(`${alertmanager.url}/api/v2/alerts`, { signal: AbortSignal.timeout(5000) })).json()) as Alert[];
        return alerts.find((a) => a.labels.alertname === "RRCClaimRefuted" && a.labels.claim === "sessions-preserved");
      },
      30_000,
      250,
    );
    expect(alert.labels).toMatchObject({ scenario: "memory-pressure", severity: "page", deployment: run.id ? alert.labels.deployment : "" });
    expect(alert.generatorURL).toContain(`run=${encodeURIComponent(run.id)}`);
    expect(hooks.find((h) => h.kind === "claim-refuted" && h.claim === "sessions-preserved" && h.runId === run.id)).toBeDefined();
  });

  it("reads a verdict past its expiry as expired, lowers the score, and tells it once", async () => {
    const fresh = (await scorecard()).find((e) => e.claim === "lru-oldest-first")!;
    expect(fresh.age.standing).toBe("held");
    const before = (await app.get<{ overall: { score: number } }>("/api/score")).body.overall.score;
    expect(before).toBeGreaterThan(0);
    const expired = await waitFor(
      "lru-oldest-first to expire",
      async () => {
        const e = (await scorecard()).find((x) => x.claim === "lru-oldest-first")!;
        return e.age.standing === "expired" ? e : null;
      },
      (EXPIRE_SECONDS + 20) * 1000,
      500,
    );
    expect(expired.age.phrase).toMatch(/^expired \(held \d+ s ago\)$/);
    expect((await app.get<{ overall: { score: number } }>("/api/score")).body.overall.score).toBe(0);
    const toldOf = () => hooks.filter((h) => h.kind === "claim-expired" && h.claim === "lru-oldest-first");
    await waitFor("the expiry told", () => toldOf().length > 0, 30_000, 250);
    // Told once, not on every look: by the time sessions-preserved has been told too (a later look), still one.
    await waitFor("the other expiry told", () => hooks.some((h) => h.kind === "claim-expired" && h.claim === "sessions-preserved"), 30_000, 250);
    expect(toldOf()).toHaveLength(1);
  });
});
