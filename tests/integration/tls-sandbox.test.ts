/**
 * The sandbox started with `--tls --acl` (TLS only, the default user off, ACL users for the
 * devstack, the layers and the console, sentinels with requirepass) watched by a real console
 * that reads its user and CA from the state file: nodes, sentinels and layers ok, a failover
 * followed, a chaos outage run end to end, no secret anywhere. Screenshots of the Overview and
 * Sentinel pages land in screenshots/. The plain sandbox's tests are the other files.
 */
import fs from "node:fs";
import path from "node:path";
import tls from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withRedis } from "../../devstack/redis-client";
import type { StackState } from "../../devstack/state";
import { publicStatus } from "../../devstack/status";
import { stateAuth } from "../../lib/contract/devstack-state";
import type { Snapshot } from "../../lib/snapshot/types";
import { SseFrameReader } from "../../lib/sse/frames";
import { keepScreenshot, launchBrowser, closeBrowser } from "./helpers/browser";
import { finishedRun, startRun } from "./helpers/chaos-runs";
import { control, startConsole, type RunningConsole } from "./helpers/console";
import { masterPort } from "./helpers/devstack-api";
import { recoveryHeld } from "../../lib/contract/verdict-rules";
import { CONSOLE_PORTS, PORTS, startStack, stopStack, testSettings, waitFor, within } from "./helpers/stack";

const TOKEN = "integration-operator-token-tls-sandbox-0123456789";
const healthy = (s: Snapshot) =>
  s.redis.nodes.length === 2 &&
  s.redis.nodes.every((n) => n.up && !n.error) &&
  s.redis.nodes.some((n) => n.role === "master") &&
  s.redis.nodes.some((n) => n.role === "replica") &&
  s.sentinel.reachable === 3 &&
  !s.sentinel.blind &&
  s.sentinel.sentinels.every((x) => x.eventsLive) &&
  !s.sentinel.failover?.active &&
  s.layers.length === 4 &&
  s.layers.every((l) => l.status === "ok");

/** The error a command gets on a fresh one-shot connection (null when it succeeds). */
async function refusal(opts: Parameters<typeof withRedis>[0], ...cmd: string[]): Promise<string | null> {
  try {
    await withRedis({ timeoutMs: 1500, ...opts }, (r) => r.call(cmd[0], ...cmd.slice(1)));
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

/** One inline command over a bare TLS socket (no client library logic in between): Redis's first reply line. */
function rawTls(port: number, ca: string, line: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: "127.0.0.1", port, ca: [fs.readFileSync(ca)], timeout: 3000 }, () => socket.write(`${line}\r\n`));
    let got = "";
    socket.on("data", (d) => {
      got += d;
      if (got.includes("\r\n")) {
        socket.destroy();
        resolve(got.split("\r\n")[0]);
      }
    });
    socket.on("timeout", () => socket.destroy(new Error("no answer in 3 s")));
    socket.on("error", reject);
  });
}

describe("the TLS + ACL sandbox watched by the console", () => {
  // Following address: the failover case below is about the console following Sentinel, with every layer ok after it.
  const settings = testSettings(PORTS.tlsSandbox, ["--tls", "--acl", "--layer-addressing", "follow"]);
  let state: StackState;
  let app: RunningConsole;
  /** Every password of the sandbox, the layers' read from its redis.conf (0600, never in the state file). */
  let secrets: Record<string, string>;
  const bodies: string[] = [];
  const snapshot = async () => {
    const s = await app.snapshot();
    bodies.push(JSON.stringify(s));
    return s;
  };
  const until = <T>(what: string, check: (s: Snapshot) => T | null | undefined | false, timeoutMs = 30_000) =>
    waitFor(what, async () => check(await snapshot()), timeoutMs, 250);

  beforeAll(async () => {
    state = await within("the TLS sandbox up", 110_000, startStack(settings));
    const conf = fs.readFileSync(path.join(settings.dir, "redis-a", "redis.conf"), "utf8");
    secrets = { devstack: state.password, console: state.console!.password, layers: /^user layers on >(\S+)/m.exec(conf)![1], control: state.controlToken };
    app = await startConsole({ port: CONSOLE_PORTS.tlsSandbox, devstackDir: settings.dir, env: { OPERATOR_TOKEN: TOKEN } });
  }, 180_000);
  afterAll(async () => {
    await app?.stop();
    await stopStack(settings);
  });

  it("listens on TLS only, the default user off, each user limited to what its client needs", async () => {
    expect(state.tls?.ca).toBe(path.join(settings.dir, "tls", "ca.pem"));
    expect(state).toMatchObject({ username: "devstack", console: { username: "console" } });
    expect((fs.statSync(path.join(settings.dir, "state.json")).mode & 0o777).toString(8)).toBe("600");
    expect((fs.statSync(path.join(settings.dir, "tls", "server.key")).mode & 0o777).toString(8)).toBe("600");
    const port = await masterPort(state);
    const auth = stateAuth(state);
    // A plain client on a TLS port: the server drops it.
    expect(await refusal({ port, password: state.password }, "PING")).not.toBeNull();
    // The default user is off: its old way in (`AUTH password`) is refused, and nothing runs without a login.
    expect(await rawTls(port, state.tls!.ca, `AUTH ${state.password}`)).toMatch(/^-WRONGPASS/);
    expect(await rawTls(port, state.tls!.ca, "PING")).toMatch(/^-NOAUTH/);
    expect(await refusal({ port, auth: auth.console }, "SET", "k", "v")).toMatch(/NOPERM/);
    expect(await refusal({ port, auth: auth.console }, "INFO", "replication")).toBeNull();
    expect(
      await refusal({ port, auth: { username: "layers", password: secrets.layers, tls: auth.devstack.tls } }, "CONFIG", "SET", "maxmemory", "1mb"),
    ).toMatch(/NOPERM/);
    expect(await rawTls(state.sentinels[0].port, state.tls!.ca, "SENTINEL MASTERS")).toMatch(/^-NOAUTH/);
    expect(await refusal({ port: state.sentinels[0].port, auth: auth.console }, "SENTINEL", "SET", state.masterName, "quorum", "1")).toMatch(/NOPERM/);
    // Every devstack client logs in with its own user: the layers as `layers`, the sentinels and replication as `devstack`.
    const clients = String(await withRedis({ port, auth: auth.devstack }, (r) => r.call("CLIENT", "LIST")));
    expect(clients).toMatch(/name=devstack-L1 .*user=layers/);
    expect(clients).toMatch(/name=sentinel-\S+-cmd .*user=devstack/);
    expect(clients).not.toMatch(/user=default/);
    // `stack status --json` names roles without a secret.
    const status = JSON.stringify(await publicStatus(state));
    expect(status).toContain('"role":"master"');
    for (const [name, secret] of Object.entries(secrets)) expect(status.includes(secret), name).toBe(false);
  });

  it("the console shows master, replica, 3 sentinels and 4 layers ok, logged in as its read-only user", async () => {
    const s = await until("both nodes, 3 sentinels with live events and 4 layers ok", (s) => healthy(s) && s, 60_000);
    expect(s.sentinel).toMatchObject({ quorum: 2, blind: false, splitView: false });
    expect(s.redis.layerAddress?.state).toBe("master");
    // TLS costs no handshake per tick (connections are reused): the tick stays well inside its period.
    const ticks = await Promise.all([1, 2, 3, 4, 5].map(async (i) => (await new Promise((r) => setTimeout(r, i * 10)), (await snapshot()).tick.durationMs)));
    console.log(`[tls-sandbox] collector tick durations over TLS: ${ticks.join(", ")} ms (tick ${s.tick.ms} ms)`);
    const clients = String(await withRedis({ port: await masterPort(state), auth: stateAuth(state).devstack }, (r) => r.call("CLIENT", "LIST")));
    expect(clients).toMatch(/user=console/);
  });

  it("a failover asked of Sentinel through the control API is followed to the new master", async () => {
    const before = await until("settled", (s) => healthy(s) && s, 60_000);
    const oldMaster = before.sentinel.master.addr;
    // Sentinel refuses while its view of the replica is stale (NOGOODSLAVE): ask until it accepts.
    await waitFor("SENTINEL FAILOVER accepted", () => control(state, "POST", "/sentinel/failover").catch(() => null), 30_000, 1000);
    const s = await until("the new master in the snapshot, the old one its replica", (s) => s.sentinel.master.addr !== oldMaster && healthy(s) && s, 60_000);
    const newMaster = s.redis.nodes.find((n) => n.role === "master")!;
    expect(newMaster.addr).toBe(s.sentinel.master.addr);
    expect(s.redis.nodes.find((n) => n.addr === oldMaster)?.role).toBe("replica");
    expect(s.sentinel.history?.[0]).toMatchObject({ kind: "manual", outcome: "completed", oldMaster });
  });

  it("a chaos outage run over TLS: every layer keeps its contract, each verdict matches what was measured, the stack restored", async () => {
    await until("settled", (s) => healthy(s) && s, 60_000);
    const started = await startRun(app, TOKEN, "outage", { mode: "network", durationSeconds: 3 });
    expect(started.status).toBe(202);
    const { id } = started;
    const run = await finishedRun(app, id);
    bodies.push(JSON.stringify(run), String((await app.get(`/api/chaos/runs/${id}/report?format=markdown`)).body));
    for (const layer of ["L1", "L2", "L3", "CP"])
      expect(
        run.checks.find((c) => c.layer === layer && c.claim === "outage-contract"),
        layer,
      ).toMatchObject({ verdict: "held" });
    // The 2–3 s recovery is a timing claim, judged against what was measured (a starved machine may refute it).
    for (const c of run.checks.filter((c) => c.claim === "recovery-2-3s"))
      expect([c.layer, c.verdict]).toEqual([c.layer, recoveryHeld(run.metrics[`recovery_${c.layer}_s`] as number | null) ? "held" : "refuted"]);
    expect(run.postflight).toEqual({ healthy: true, problems: [] });
    expect(run.state).toBe(run.checks.every((c) => c.verdict === "held") ? "passed" : "failed");
    await until("healthy after the run", (s) => healthy(s) && s, 60_000);
  });

  it("the Overview and Sentinel pages show the TLS sandbox (screenshots/tls-sandbox-*.png)", async () => {
    await until("settled", (s) => healthy(s) && s, 60_000);
    fs.mkdirSync("screenshots", { recursive: true });
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      await page.goto(`${app.url}/`, { timeout: 30_000 });
      await page.getByText("Redis for the layers").first().waitFor({ timeout: 30_000 });
      // The page renders the server's snapshot first; shoot once the stream is live (on a loaded machine hydration takes seconds).
      await page.getByText("live", { exact: true }).first().waitFor({ timeout: 30_000 });
      await keepScreenshot(page, "screenshots/tls-sandbox-overview.png");
      bodies.push(await page.content());
      await page.goto(`${app.url}/sentinel`, { timeout: 30_000 });
      await page.getByText("sentinel-3").first().waitFor({ timeout: 30_000 });
      await page.getByText("live", { exact: true }).first().waitFor({ timeout: 30_000 });
      await keepScreenshot(page, "screenshots/tls-sandbox-sentinel.png");
      const html = await page.content();
      bodies.push(html);
      expect(html).not.toMatch(/Sentinel is blind|not connected/);
    } finally {
      await closeBrowser(browser);
    }
  });

  it("no secret in any API answer, page, SSE event, metric or the server log", async () => {
    for (const route of [
      "/api/snapshot",
      "/api/timeline",
      "/api/timeline?format=markdown",
      "/api/config-audit",
      "/api/keyspace",
      "/api/history?minutes=5",
      "/api/metrics",
      "/api/deployments",
      "/api/chaos/scenarios",
      "/",
      "/sentinel",
      "/config",
      "/memory",
    ]) {
      bodies.push(JSON.stringify((await app.get(route)).body));
    }
    const controller = new AbortController();
    const res = await fetch(`${app.url}/api/stream`, { signal: controller.signal });
    const reader = new SseFrameReader();
    let frames = 0;
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        for (const e of reader.push(chunk)) {
          bodies.push(e.data);
          frames++;
        }
        if (frames >= 3) break;
      }
    } finally {
      controller.abort();
    }
    bodies.push(app.output(), fs.readFileSync(path.join(settings.dir, "supervisor.log"), "utf8"));
    const all = bodies.join("\n");
    expect(all.length).toBeGreaterThan(10_000);
    for (const [name, secret] of Object.entries(secrets)) expect(all.includes(secret), name).toBe(false);
    expect(all).not.toContain("PRIVATE KEY");
  });
});
