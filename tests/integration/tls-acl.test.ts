/**
 * A production-like Redis the console did not start: TLS only, the default user off, the
 * console's least-privilege ACL user, sentinels that require a password over TLS (see
 * helpers/tls-target.ts). One real console watches it as several deployments: the right
 * config, and one per mistake people make (wrong CA, wrong password, a missing permission,
 * plain to a TLS port, a host-name mismatch), plus a standalone node without Sentinel or layers.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ConfigAuditReport } from "../../lib/config/audit-types";
import type { KeyspaceReport } from "../../lib/keyspace/types";
import type { Snapshot } from "../../lib/snapshot/types";
import type { TimelineEvent } from "../../lib/timeline/types";
import { SseFrameReader } from "../../lib/sse/frames";
import { startConsole, type RunningConsole } from "./helpers/console";
import { CONSOLE_PORTS, PORTS, waitFor } from "./helpers/stack";
import { MASTER_NAME, SECRETS, startTlsTarget, type TlsTarget } from "./helpers/tls-target";

const H = "127.0.0.1";

describe("a TLS + ACL deployment with authenticated sentinels", () => {
  let target: TlsTarget;
  let standalone: TlsTarget;
  let app: RunningConsole;
  let configDir: string;
  let consoleStartedAt = 0;

  beforeAll(async () => {
    [target, standalone] = await Promise.all([startTlsTarget({ basePort: PORTS.tlsAcl }), startTlsTarget({ basePort: PORTS.tlsAcl + 10, standalone: true })]);
    const t = target;
    const nodes = [
      { id: "prod-a", host: H, port: t.master },
      { id: "prod-b", host: H, port: t.replica! },
    ];
    const sentinels = t.sentinels.map((port, i) => ({ id: `sentinel-${i + 1}`, host: H, port }));
    const tls = { ca: t.certs.ca };
    const good = {
      masterName: MASTER_NAME,
      nodes,
      sentinels,
      username: "console",
      password: { from: "file", path: t.consolePasswordFile },
      tls,
      sentinelPassword: { from: "file", path: t.sentinelPasswordFile },
      sentinelTls: tls,
      // The layers pinned to the replica's address: it answers PING, but every write would fail.
      layerAddress: { host: H, port: t.replica! },
    };
    const config = {
      deployments: [
        { deployment: "prod", source: "external", redis: good },
        {
          deployment: "wrong-ca",
          source: "external",
          redis: { ...good, layerAddress: undefined, tls: { ca: t.certs.otherCa }, sentinelTls: { ca: t.certs.otherCa } },
        },
        {
          deployment: "wrong-password",
          source: "external",
          redis: { ...good, layerAddress: undefined, password: { from: "env", name: "WRONG_REDIS_PASSWORD" }, sentinelPassword: { from: "none" } },
        },
        {
          deployment: "sentinel-acl",
          source: "external",
          redis: { ...good, layerAddress: undefined, sentinelUsername: "watcher", sentinelPassword: { from: "file", path: t.watcherPasswordFile } },
        },
        {
          deployment: "limited",
          source: "external",
          redis: { ...good, layerAddress: undefined, sentinels: [], username: "limited", password: { from: "file", path: t.limitedPasswordFile } },
        },
        { deployment: "plain", source: "external", redis: { ...good, layerAddress: undefined, sentinels: [], tls: undefined } },
        {
          deployment: "hostname",
          source: "external",
          redis: { ...good, layerAddress: undefined, sentinels: [], tls: { ca: t.certs.ca, servername: "redis.wrong.example" } },
        },
        {
          deployment: "standalone",
          source: "external",
          redis: {
            nodes: [{ id: "solo", host: H, port: standalone.master }],
            username: "console",
            password: { from: "file", path: standalone.consolePasswordFile },
            tls: { ca: standalone.certs.ca },
          },
        },
      ],
    };
    configDir = fs.mkdtempSync(path.join(os.tmpdir(), "rrc-tls-acl-"));
    fs.writeFileSync(path.join(configDir, "config.json"), JSON.stringify(config));
    consoleStartedAt = Date.now();
    app = await startConsole({
      port: CONSOLE_PORTS.tlsAcl,
      devstackDir: path.join(configDir, "no-devstack"),
      env: { CONSOLE_CONFIG: path.join(configDir, "config.json"), WRONG_REDIS_PASSWORD: "not-the-password" },
    });
  });
  afterAll(async () => {
    await app?.stop();
    await Promise.all([target?.stop(), standalone?.stop()]);
    if (configDir) fs.rmSync(configDir, { recursive: true, force: true });
  });

  const snap = async (d: string) => (await app.get<Snapshot>(`/api/snapshot?deployment=${d}`)).body;

  it("shows master, replica and 3 sentinels healthy within seconds", async () => {
    const s = await waitFor(
      "prod: both nodes and 3 sentinels up, events subscribed",
      async () => {
        const x = await snap("prod");
        const ok =
          x.redis.nodes
            .map((n) => `${n.id}=${n.up ? n.role : "down"}`)
            .sort()
            .join(",") === "prod-a=master,prod-b=replica" &&
          x.sentinel.reachable === 3 &&
          x.sentinel.sentinels.every((v) => v.eventsLive);
        return ok ? x : null;
      },
      30_000,
      200,
    );
    console.log(`[tls-acl] console start to all healthy: ${Date.now() - consoleStartedAt} ms`);
    expect(s.sentinel.master.addr).toBe(`${H}:${target.master}`);
    expect(s.sentinel.quorum).toBe(2);
    expect(s.sentinel.replicas?.map((r) => r.addr)).toContain(`${H}:${target.replica}`);
    expect(s.redis.nodes.every((n) => n.error === undefined)).toBe(true);
  });

  it("the layers' address on the replica is its own state and alert, not 'reachable'", async () => {
    const s = await waitFor("prod: layer address seen as a replica", async () => {
      const x = await snap("prod");
      return x.redis.layerAddress?.state === "replica" ? x : null;
    });
    expect(s.redis.layerAddress?.detail).toBe(`the layers' Redis address points to a replica of ${H}:${target.master}: writes fail with READONLY`);
    expect(s.alerts.find((a) => a.rule === "redis_layer_address_replica")?.firing).toBe(true);
  });

  it("the config audit reads every node with the least-privilege user; maxmemory 0 is drift", async () => {
    const audit = await waitFor(
      "prod: config audit read",
      async () => {
        const a = (await app.get<ConfigAuditReport>("/api/config-audit?deployment=prod")).body;
        return a.nodes.every((n) => n.state === "read") && a.sentinels.every((x) => x.state === "read") ? a : null;
      },
      40_000,
      500,
    );
    const maxmemory = audit.nodes[0].settings.find((v) => v.name === "maxmemory");
    expect(maxmemory).toMatchObject({ status: "drift", value: "0 (no limit)" });
  });

  it("reuses its TLS connections: no new connection per tick; the keyspace sampler works with the ACL user", async () => {
    // The standalone node is watched by one deployment only: every connection it receives is the console's or this test's.
    const received = async () => Number(/total_connections_received:(\d+)/.exec((await standalone.info(standalone.master, "stats")) ?? "")?.[1] ?? NaN);
    await waitFor(
      "standalone: keyspace and audit have run",
      async () => (await app.get<KeyspaceReport>("/api/keyspace?deployment=standalone")).body.sample.passes >= 1,
      30_000,
      500,
    );
    const before = await received();
    const seqBefore = (await snap("standalone")).seq;
    await waitFor("5 ticks of standalone", async () => (await snap("standalone")).seq >= seqBefore + 5, 20_000, 200);
    const after = await received();
    // after - before counts this test's second reading (1); anything more would be the console reconnecting.
    console.log(
      `[tls-acl] TLS connections the console opened to the standalone node over ${(await snap("standalone")).seq - seqBefore} ticks: ${after - before - 1}`,
    );
    expect(after - before - 1).toBe(0);
    const ks = await waitFor(
      "prod: a keyspace pass",
      async () => {
        const k = (await app.get<KeyspaceReport>("/api/keyspace?deployment=prod")).body;
        return k.sample.passes >= 1 ? k : null;
      },
      30_000,
      500,
    );
    expect(ks.state).not.toBe("error");
    expect(ks.sample.memoryUsage).toBe(true);
  });

  it("a wrong CA, a wrong password and a host-name mismatch each get their own sentence, on nodes and sentinels", async () => {
    const wrongCa = await waitFor("wrong-ca described", async () => {
      const x = await snap("wrong-ca");
      // Past the console's warm-up (bounded at 15 s for nodes that never answer): until then its alerts say they are not judged yet.
      return !x.warmingUp && x.redis.nodes.every((n) => n.problem === "tls-untrusted") && x.sentinel.sentinels.every((v) => v.problem === "tls-untrusted")
        ? x
        : null;
    });
    expect(wrongCa.redis.nodes[0].error).toBe("TLS: certificate not trusted (check redis.tls.ca)");
    expect(wrongCa.sentinel.sentinels[0].error).toBe("TLS: certificate not trusted (check redis.sentinelTls.ca)");
    // The page says the console cannot watch them, not that Sentinel is blind.
    const page = (await app.get<string>("/sentinel?deployment=wrong-ca")).body;
    expect(page).toContain("The console cannot watch the sentinels: TLS: certificate not trusted (check redis.sentinelTls.ca)");
    expect(page).not.toContain("Sentinel is blind");
    expect(wrongCa.alerts.find((a) => a.rule === "redis_up")?.summary).toBe("no master the console can see: TLS: certificate not trusted (check redis.tls.ca)");

    const wrongPw = await waitFor("wrong-password described", async () => {
      const x = await snap("wrong-password");
      return x.redis.nodes.every((n) => n.problem === "wrong-password") && x.sentinel.sentinels.every((v) => v.problem === "no-password") ? x : null;
    });
    expect(wrongPw.redis.nodes[0].error).toBe("authentication failed as ACL user console: wrong password, or the user is disabled (check redis.password)");
    expect(wrongPw.sentinel.sentinels[0].error).toBe("the server requires a password and the console sent none (set redis.sentinelPassword)");

    const plain = await waitFor("plain to a TLS port described", async () => {
      const x = await snap("plain");
      return x.redis.nodes.every((n) => n.problem === "tls-required") ? x : null;
    });
    expect(plain.redis.nodes[0].error).toBe("the server reset the connection: is this a TLS port? (set redis.tls)");

    const host = await waitFor("host-name mismatch described", async () => {
      const x = await snap("hostname");
      return x.redis.nodes.every((n) => n.problem === "tls-hostname") ? x : null;
    });
    expect(host.redis.nodes[0].error).toMatch(
      /^TLS: the certificate is not for this host name: redis\.wrong\.example is not among IP Address:127\.0\.0\.1, DNS:localhost \(set redis\.tls\.servername/,
    );

    // The timeline tells the same story, never "down".
    const timeline = (await app.get<{ events: TimelineEvent[] }>("/api/timeline?deployment=wrong-ca")).body.events;
    expect(timeline.some((e) => e.title === "prod-a: TLS: certificate not trusted (check redis.tls.ca)")).toBe(true);
    expect(timeline.some((e) => / down$/.test(e.title))).toBe(false);
  });

  it("sentinels with an ACL user (redis.sentinelUsername) and the sentinel ACL line in docs/connecting.md", async () => {
    const s = await waitFor(
      "sentinel-acl: 3 sentinels up, events subscribed",
      async () => {
        const x = await snap("sentinel-acl");
        return x.sentinel.reachable === 3 && x.sentinel.sentinels.every((v) => v.eventsLive && v.quorumOk) && x.sentinel.replicas?.length ? x : null;
      },
      30_000,
      200,
    );
    expect(s.sentinel.master.addr).toBe(`${H}:${target.master}`);
    expect(s.sentinel.sentinels.every((v) => v.tilt === false)).toBe(true);
  });

  it("a missing permission switches off only the feature that needs it, and says which", async () => {
    const s = await waitFor("limited: nodes watched", async () => {
      const x = await snap("limited");
      return x.redis.nodes.length === 2 && x.redis.nodes.every((n) => n.up) ? x : null;
    });
    expect(s.redis.nodes.map((n) => n.role).sort()).toEqual(["master", "replica"]);
    const audit = await waitFor(
      "limited: audit says CONFIG GET is not allowed",
      async () => {
        const a = (await app.get<ConfigAuditReport>("/api/config-audit?deployment=limited")).body;
        return a.nodes.every((n) => n.state === "config-unavailable") ? a : null;
      },
      40_000,
      500,
    );
    expect(audit.nodes[0].error).toBe("ACL user limited may not run CONFIG GET: the config audit is off");
  });

  it("standalone: no Sentinel is a state of its own, Sentinel alerts not applicable, no layers explained", async () => {
    const s = await waitFor("standalone: solo up as master", async () => {
      const x = await snap("standalone");
      return x.redis.nodes[0]?.up && x.redis.nodes[0].role === "master" ? x : null;
    });
    expect(s.sentinel).toMatchObject({ none: true, blind: false, master: { addr: `${H}:${standalone.master}` } });
    expect(s.redis.layerAddress).toBeUndefined();
    for (const rule of ["sentinel_quorum", "redis_replication_lag", "redis_layer_address_replica"]) {
      const a = s.alerts.find((x) => x.rule === rule);
      expect(a, rule).toMatchObject({ firing: false });
      expect(a?.notApplicable, rule).toBeTruthy();
    }
    const sentinelPage = (await app.get<string>("/sentinel?deployment=standalone")).body;
    expect(sentinelPage).toContain("No Sentinel in this deployment: no automatic failover");
    expect(sentinelPage).not.toContain("Sentinel is blind");
    const overview = (await app.get<string>("/?deployment=standalone")).body;
    expect(overview).toContain("No layers configured for this deployment");
    expect(overview).toContain("no layer address in the config");
  });

  it("a rotated password file is used from the next connect on", async () => {
    for (const port of [target.master, target.replica!]) await target.admin(port, "ACL", "SETUSER", "console", "resetpass", `>${SECRETS.rotated}`);
    // How a mounted secret changes: a new file renamed over the old one.
    fs.writeFileSync(`${target.consolePasswordFile}.new`, SECRETS.rotated + "\n", { mode: 0o600 });
    fs.renameSync(`${target.consolePasswordFile}.new`, target.consolePasswordFile);
    const rotatedAt = Date.now();
    // Existing connections stay authenticated; drop them so the console must log in again.
    for (const port of [target.master, target.replica!]) await target.admin(port, "CLIENT", "KILL", "USER", "console");
    // Any console connection after the kill logged in with the rotated password (the old one no longer works).
    const consoleConnections = async (port: number) =>
      String(await target.admin(port, "CLIENT", "LIST"))
        .split("\n")
        .filter((l) => / user=console /.test(l)).length;
    await waitFor(
      "the console logged in again on both nodes",
      async () => (await consoleConnections(target.master)) > 0 && (await consoleConnections(target.replica!)) > 0,
      20_000,
      200,
    );
    await waitFor(
      "prod: both nodes watched",
      async () => {
        const x = await snap("prod");
        return Date.parse(x.at) > rotatedAt && x.redis.nodes.every((n) => n.up) && (await snap("sentinel-acl")).redis.nodes.every((n) => n.up);
      },
      20_000,
      200,
    );
    console.log(`[tls-acl] password rotated, connections killed: watched again after ${Date.now() - rotatedAt} ms`);
  });

  it("follows a kill -9 of the master to the new master, over TLS, through authenticated sentinels", async () => {
    target.kill(target.master);
    const killedAt = Date.now();
    const s = await waitFor(
      "prod: prod-b promoted and the sentinels agree",
      async () => {
        const x = await snap("prod");
        const b = x.redis.nodes.find((n) => n.id === "prod-b");
        return b?.up && b.role === "master" && x.sentinel.master.addr === `${H}:${target.replica}` ? x : null;
      },
      60_000,
      200,
    );
    console.log(`[tls-acl] kill -9 to new master seen: ${Date.now() - killedAt} ms`);
    expect(s.redis.nodes.find((n) => n.id === "prod-a")?.up).toBe(false);
    // The layers' address now points at the master: writable again, and the alert resolves.
    await waitFor("layer address writable after the failover", async () => (await snap("prod")).redis.layerAddress?.state === "master");
    const timeline = (await app.get<{ events: TimelineEvent[] }>("/api/timeline?deployment=prod")).body.events;
    expect(timeline.some((e) => e.kind === "sentinel" && /switch|master/i.test(e.title))).toBe(true);
  });

  it("no secret in any API answer, SSE event, metric or the server log", async () => {
    const bodies: string[] = [];
    for (const d of ["prod", "sentinel-acl", "wrong-ca", "wrong-password", "limited", "plain", "hostname", "standalone"]) {
      for (const route of ["/api/snapshot", "/api/timeline", "/api/config-audit", "/api/keyspace", "/api/history?minutes=5"]) {
        bodies.push(JSON.stringify((await app.get(`${route}?deployment=${d}`.replace("?minutes=5?", "?minutes=5&"))).body));
      }
      bodies.push(
        String((await app.get(`/?deployment=${d}`)).body),
        String((await app.get(`/sentinel?deployment=${d}`)).body),
        String((await app.get(`/config?deployment=${d}`)).body),
      );
    }
    bodies.push(String((await app.get("/api/metrics")).body), JSON.stringify((await app.get("/api/deployments")).body));
    // A few seconds of the event stream: snapshots and timeline entries.
    const controller = new AbortController();
    const res = await fetch(`${app.url}/api/stream?deployment=prod`, { signal: controller.signal });
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
    bodies.push(app.output());
    const all = bodies.join("\n");
    expect(all.length).toBeGreaterThan(10_000);
    for (const [name, secret] of Object.entries({ ...SECRETS, wrong: "not-the-password" })) expect(all.includes(secret), name).toBe(false);
    expect(all).not.toContain("BEGIN PRIVATE KEY");
  });
});

describe("a certificate file that cannot be read", () => {
  it("stops the start with a message naming the field", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rrc-tls-missing-"));
    try {
      const cfg = { source: "external", redis: { nodes: [{ id: "a", host: H, port: PORTS.tlsAcl }], tls: { ca: path.join(dir, "missing-ca.pem") } } };
      fs.writeFileSync(path.join(dir, "config.json"), JSON.stringify(cfg));
      const started = startConsole({
        port: CONSOLE_PORTS.tlsAclRefused,
        devstackDir: path.join(dir, "none"),
        env: { CONSOLE_CONFIG: path.join(dir, "config.json") },
      });
      await expect(started).rejects.toThrow(/redis\.tls\.ca: cannot read .*missing-ca\.pem \(ENOENT\)/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
