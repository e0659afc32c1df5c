import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { sampleState } from "../contract/fixtures/state";
import type { StackState } from "../contract/devstack-state";
import { devstackConfig } from "../config/load";
import { ConsoleConfigSchema } from "../config/schema";
import { followSandboxLayout, SandboxStateWatch } from "./sandbox-follow";

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "rrc-follow-"));
});
afterEach(() => {
  vi.restoreAllMocks();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** As the supervisor writes it: to a temp file, then renamed into place. */
function writeState(state: StackState): void {
  fs.writeFileSync(path.join(dir, "state.tmp"), JSON.stringify(state), { mode: 0o600 });
  fs.renameSync(path.join(dir, "state.tmp"), path.join(dir, "state.json"));
}

/** A sandbox at `basePort` with every port derived from it. */
function stateAt(basePort: number, stackId: string): StackState {
  const s = sampleState({ stackId });
  const at = (port: number) => port - 6400 + basePort;
  return {
    ...s,
    basePort,
    nodes: s.nodes.map((n) => ({ ...n, port: at(n.port) })),
    sentinels: s.sentinels.map((n) => ({ ...n, port: at(n.port) })),
    proxy: { port: at(6405) },
    control: { port: at(6406), url: `http://127.0.0.1:${at(6406)}` },
    layers: s.layers.map((l) => ({ ...l, port: at(l.port), url: `http://127.0.0.1:${at(l.port)}` })),
  };
}

describe("followSandboxLayout", () => {
  it("moves every part the config took from the sandbox to the new layout", () => {
    writeState(stateAt(6400, "one"));
    const before = devstackConfig(dir);
    writeState(stateAt(7400, "two"));
    const after = devstackConfig(dir);
    const config = { ...before, deployment: "lab", tickMs: 500 };
    const followed = followSandboxLayout(config, before, after);
    expect(followed.redis.nodes.map((n) => n.port)).toEqual([7400, 7401]);
    expect(followed.redis.sentinels.map((n) => n.port)).toEqual([7402, 7403, 7404]);
    expect(followed.redis.layerAddress).toEqual({ host: "127.0.0.1", port: 7405 });
    expect(followed.layers.map((l) => l.url)).toEqual(["http://127.0.0.1:7407", "http://127.0.0.1:7408", "http://127.0.0.1:7409", "http://127.0.0.1:7410"]);
    expect(followed.devstack).toEqual({ dir, controlUrl: "http://127.0.0.1:7406", kind: "sentinel" });
    expect(followed).toMatchObject({ deployment: "lab", tickMs: 500, source: "devstack", redis: { password: { from: "devstack-state" } } });
  });

  it("keeps what a config file names itself", () => {
    writeState(stateAt(6400, "one"));
    const before = devstackConfig(dir);
    writeState(stateAt(7400, "two"));
    const after = devstackConfig(dir);
    const nodes = [{ id: "primary", host: "127.0.0.1", port: 6400 }];
    const config = ConsoleConfigSchema.parse({ ...before, redis: { ...before.redis, nodes } });
    const followed = followSandboxLayout(config, before, after);
    expect(followed.redis.nodes).toEqual(nodes);
    expect(followed.redis.sentinels.map((n) => n.port)).toEqual([7402, 7403, 7404]);
  });
});

describe("SandboxStateWatch", () => {
  it("has no state before the sandbox writes one, and the new one after each replacement", () => {
    const watch = new SandboxStateWatch(dir, () => {});
    try {
      expect(watch.current()).toBeNull();
      writeState(stateAt(6400, "one"));
      expect(watch.current()?.stackId).toBe("one");
      writeState({ ...stateAt(6400, "two"), password: "q".repeat(48) });
      expect(watch.current()).toMatchObject({ stackId: "two", password: "q".repeat(48) });
      fs.rmSync(path.join(dir, "state.json"));
      expect(watch.current()).toBeNull();
    } finally {
      watch.close();
    }
  });

  it("reads the file again only when it changed (a stat per look)", () => {
    writeState(stateAt(6400, "one"));
    const watch = new SandboxStateWatch(dir, () => {});
    try {
      const reads = vi.spyOn(fs, "readFileSync");
      watch.current();
      watch.current();
      watch.current();
      expect(reads.mock.calls.filter(([f]) => String(f).endsWith("state.json"))).toHaveLength(1);
    } finally {
      watch.close();
    }
  });

  it("asks for a look the moment the state file is replaced", async () => {
    let changes = 0;
    const watch = new SandboxStateWatch(dir, () => changes++);
    try {
      watch.current();
      writeState(stateAt(6400, "one"));
      await vi.waitFor(() => expect(changes).toBeGreaterThan(0), { timeout: 5000, interval: 20 });
    } finally {
      watch.close();
    }
  });
});
