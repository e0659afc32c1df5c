/**
 * A console follows a restarted sandbox. `stack down && stack up` on the same dir makes a new
 * supervisor with a new password (and stack id): a console that read the password once would
 * fail to authenticate until restarted. Two consoles watch the same sandbox: one with the default
 * (no config: the layout from the state file), one with a CONSOLE_CONFIG deployment that names
 * the nodes itself and takes only the password from the sandbox.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StackState } from "../../lib/contract/devstack-state";
import type { Snapshot } from "../../lib/snapshot/types";
import { startConsole, type RunningConsole } from "./helpers/console";
import { ALL_OK, waitForSnapshot } from "./helpers/sse";
import { CONSOLE_PORTS, PORTS, startStack, stopStack, testSettings } from "./helpers/stack";

const nodesDown = (s: Snapshot) => s.redis.nodes.length === 2 && s.redis.nodes.every((n) => !n.up);
const roles = (s: Snapshot) => s.redis.nodes.map((n) => (n.up ? n.role : "down")).sort();

describe("a console follows the sandbox across stack down && stack up", () => {
  const settings = testSettings(PORTS.sandboxRestart);
  let first: StackState;
  let byDefault: RunningConsole;
  let byConfig: RunningConsole;
  let configDir: string;

  beforeAll(async () => {
    first = await startStack(settings);
    configDir = fs.mkdtempSync(path.join(os.tmpdir(), "rrc-sandbox-restart-"));
    const host = "127.0.0.1";
    const config = {
      deployment: "lab",
      source: "devstack",
      redis: {
        masterName: first.masterName,
        nodes: first.nodes.map((n) => ({ id: n.name, host, port: n.port })),
        sentinels: first.sentinels.map((s) => ({ id: s.name, host, port: s.port })),
        password: { from: "devstack-state" },
        layerAddress: { host, port: first.proxy!.port },
      },
      layers: first.layers.map((l) => ({ id: l.id, url: l.url })),
      devstack: { dir: settings.dir },
    };
    fs.writeFileSync(path.join(configDir, "config.json"), JSON.stringify(config));
    [byDefault, byConfig] = await Promise.all([
      startConsole({ port: CONSOLE_PORTS.sandboxRestart, devstackDir: settings.dir }),
      startConsole({ port: CONSOLE_PORTS.sandboxRestart + 50, devstackDir: settings.dir, env: { CONSOLE_CONFIG: path.join(configDir, "config.json") } }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([byDefault?.stop(), byConfig?.stop()]);
    await stopStack(settings);
    if (configDir) fs.rmSync(configDir, { recursive: true, force: true });
  });

  it("shows both nodes up again with the new password, without a console restart", async () => {
    for (const c of [byDefault, byConfig])
      expect(roles(await waitForSnapshot(c.url, "the first sandbox healthy", ALL_OK, 60_000))).toEqual(["master", "replica"]);

    await stopStack(settings);
    // Both must have seen the sandbox go, or "up again" below could be a stale snapshot.
    await Promise.all([byDefault, byConfig].map((c) => waitForSnapshot(c.url, "both nodes down", nodesDown, 30_000)));

    const second = await startStack(settings);
    expect(second.stackId).not.toBe(first.stackId);
    expect(second.password).not.toBe(first.password);
    for (const c of [byDefault, byConfig]) {
      const s = await waitForSnapshot(c.url, "the restarted sandbox healthy", ALL_OK, 60_000);
      expect(roles(s)).toEqual(["master", "replica"]);
      expect(s.redis.nodes.map((n) => n.error)).toEqual([undefined, undefined]);
      expect(s.deployment).toMatchObject({ source: "devstack", readOnly: false, chaosRefusal: null });
    }
    expect((await byConfig.snapshot()).deployment.name).toBe("lab");
    // Following the state file must not put its secrets anywhere.
    for (const c of [byDefault, byConfig]) {
      for (const secret of [first.password, second.password, second.controlToken]) expect(c.output()).not.toContain(secret);
    }
  });
});
