import { execFile } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { findStackProcesses } from "../../devstack/ownership";
import { portFree } from "../../devstack/preflight";
import { withRedis } from "../../devstack/redis-client";
import { PORT_OFFSETS } from "../../devstack/settings";
import { isAlive, readState } from "../../devstack/state";
import { PORTS, startStack, stopStack, testSettings, waitFor } from "./helpers/stack";

const run = promisify(execFile);
const repoRoot = path.resolve(__dirname, "../..");

function cli(args: string[]) {
  return run("npx", ["tsx", "devstack/cli.ts", ...args], { cwd: repoRoot, timeout: 120_000 }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e) => ({ code: e.code as number, stdout: e.stdout as string, stderr: e.stderr as string }),
  );
}

describe("devstack lifecycle", () => {
  const settings = testSettings(PORTS.devstackLifecycle);
  const dirFlag = ["--base-port", String(PORTS.devstackLifecycle), "--dir", path.relative(repoRoot, settings.dir)];
  afterAll(() => stopStack(settings));

  it("up starts master, replica and three sentinels with the guide's settings, CKQUORUM OK", async () => {
    const up = await cli(["up", ...dirFlag, "--down-after-milliseconds", "2000", "--json"]);
    expect(up.code, up.stderr).toBe(0);
    const status = JSON.parse(up.stdout);
    expect(status.nodes.map((n: { role: string }) => n.role).sort()).toEqual(["master", "slave"]);
    expect(status.sentinels).toHaveLength(3);
    expect(status.masterName).toBe("mymaster");
    const state = readState(settings.dir)!;
    expect(fs.statSync(path.join(settings.dir, "state.json")).mode & 0o777).toBe(0o600);
    // No secret in what status prints.
    expect(up.stdout).not.toContain(state.password);
    expect(up.stdout).not.toContain(state.controlToken);

    for (const node of state.nodes) {
      const config = await withRedis({ port: node.port, password: state.password }, async (r) => {
        const out: Record<string, string> = {};
        for (const key of ["appendonly", "appendfsync", "maxmemory", "maxmemory-policy", "save", "tcp-keepalive", "timeout"]) {
          const [, value] = (await r.config("GET", key)) as string[];
          out[key] = value;
        }
        return out;
      });
      expect(config).toEqual({
        appendonly: "yes",
        appendfsync: "everysec",
        maxmemory: String(64 * 1024 * 1024),
        "maxmemory-policy": "allkeys-lru",
        save: "900 1",
        "tcp-keepalive": "60",
        timeout: "300",
      });
    }
    for (const s of state.sentinels) {
      const [quorum, master] = await withRedis({ port: s.port }, async (r) => [
        String(await r.call("SENTINEL", "CKQUORUM", "mymaster")),
        (await r.call("SENTINEL", "MASTER", "mymaster")) as string[],
      ]);
      expect(quorum).toMatch(/^OK/);
      const fields = Object.fromEntries(master.flatMap((v, i) => (i % 2 ? [] : [[v, master[i + 1]]])));
      expect(fields).toMatchObject({ quorum: "2", "down-after-milliseconds": "2000", "failover-timeout": "10000", "parallel-syncs": "1" });
    }
    // Unauthenticated access is refused: the sandbox uses requirepass like production.
    const reply = await new Promise<string>((resolve, reject) => {
      const sock = net.connect(state.nodes[0].port, "127.0.0.1", () => sock.write("PING\r\n"));
      sock.once("data", (d) => (resolve(d.toString()), sock.destroy()));
      sock.once("error", reject);
    });
    expect(reply).toMatch(/^-NOAUTH/);
  });

  it("a second up is refused clearly", async () => {
    const again = await cli(["up", ...dirFlag]);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/already up/);
    expect(again.stderr).toMatch(/npm run stack -- down/);
  });

  it("status reports roles and sentinel agreement", async () => {
    const st = await cli(["status", ...dirFlag]);
    expect(st.code).toBe(0);
    expect(st.stdout).toMatch(/sentinels agree on the master/);
  });

  it("down leaves nothing listening on the stack's ports and no process behind", async () => {
    const down = await cli(["down", ...dirFlag]);
    expect(down.code).toBe(0);
    expect(findStackProcesses(settings.dir)).toEqual([]);
    for (const off of Object.values(PORT_OFFSETS)) {
      expect(await portFree(PORTS.devstackLifecycle + off)).toBe(true);
    }
    expect(readState(settings.dir)).toBeNull();
  });
});

describe("devstack refusals and recovery", () => {
  it("a port clash gives a clear message naming the port", async () => {
    const settings = testSettings(PORTS.devstackClash);
    const blocker = net.createServer().listen(PORTS.devstackClash + 3, "127.0.0.1");
    await new Promise((r) => blocker.once("listening", r));
    try {
      const res = await cli(["up", "--base-port", String(PORTS.devstackClash), "--dir", path.relative(repoRoot, settings.dir)]);
      expect(res.code).not.toBe(0);
      expect(res.stderr).toContain(`${PORTS.devstackClash + 3} (sentinel-2) already in use`);
      expect(res.stderr).toMatch(/--base-port/);
    } finally {
      blocker.close();
      await stopStack(settings);
    }
  });

  it("a stale state file from a killed supervisor is cleaned by the next up", async () => {
    const settings = testSettings(PORTS.devstackStale);
    try {
      const first = await startStack(settings);
      process.kill(first.supervisorPid, "SIGKILL");
      await waitFor("supervisor to die", () => !isAlive(first.supervisorPid));
      // Its redis processes outlive it: that is the stale stack `up` must clean.
      expect(first.nodes.some((n) => isAlive(n.pid))).toBe(true);
      const second = await startStack(settings);
      expect(second.stackId).not.toBe(first.stackId);
      for (const old of [...first.nodes, ...first.sentinels]) expect(isAlive(old.pid)).toBe(false);
      expect(second.nodes.every((n) => isAlive(n.pid))).toBe(true);
    } finally {
      await stopStack(settings);
    }
  });
});
