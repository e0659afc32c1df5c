import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { ClusterControlClient } from "./cluster-control-client";
import { ControlError } from "./control-transport";

const TOKEN = "fedcba9876543210fedcba9876543210";
const target = { url: "http://127.0.0.1:1", token: TOKEN };

type Seen = { url: string; init: RequestInit };
/** A fetch that answers `reply` and remembers what it was asked (no network: the client's logic alone). */
function fakeFetch(reply: () => Response, seen: Seen[] = []): typeof fetch {
  return (async (url: string, init: RequestInit) => {
    seen.push({ url, init });
    return reply();
  }) as unknown as typeof fetch;
}
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

describe("ClusterControlClient", () => {
  it("sends a node fault with its TTL to the node's route, with the bearer token", async () => {
    const seen: Seen[] = [];
    const answer = { node: "node-1", action: "kill", running: false };
    const client = new ClusterControlClient(target, { fetch: fakeFetch(() => json(200, answer), seen) });
    expect(await client.fault("node-1", "kill", 120)).toEqual(answer);
    expect(seen[0].url).toBe("http://127.0.0.1:1/nodes/node-1/kill");
    expect((seen[0].init.headers as Record<string, string>).authorization).toBe(`Bearer ${TOKEN}`);
    expect(JSON.parse(String(seen[0].init.body))).toEqual({ ttlSeconds: 120 });
  });

  it("fails naming the field when the sandbox answers another shape", async () => {
    const client = new ClusterControlClient(target, { fetch: fakeFetch(() => json(200, { node: "node-4", promotedFrom: "node-1" })) });
    const err = await client.failover("node-4").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ControlError);
    expect((err as Error).message).toMatch(/^cluster control API POST \/nodes\/node-4\/failover answered an unexpected shape: seconds/);
  });

  it("keeps the API's words and status on a refusal, never the token, and hides it when printed", async () => {
    const client = new ClusterControlClient(target, { fetch: fakeFetch(() => json(409, { error: `node-2 is frozen (${TOKEN})` })) });
    const err = (await client.fill("node-2", 90, 60).catch((e: unknown) => e)) as ControlError;
    expect(err.status).toBe(409);
    expect(err.message).toContain("POST /nodes/node-2/fill → 409: node-2 is frozen");
    expect(err.message).not.toContain(TOKEN);
    expect(inspect(client)).not.toContain(TOKEN);
  });

  it("says how to start the cluster sandbox when its dir has no state file", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cluster-client-"));
    try {
      const err = await ClusterControlClient.inDir(dir)
        .status()
        .catch((e: unknown) => e);
      expect((err as Error).message).toContain("npm run stack -- up --cluster");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
