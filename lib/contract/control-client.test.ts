import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { ControlClient, ControlError } from "./control-client";

const TOKEN = "0123456789abcdef0123456789abcdef";
const target = { url: "http://127.0.0.1:1", token: TOKEN };

type Seen = { url: string; init: RequestInit };
/** A fetch that answers `reply` and remembers what it was asked (no network: the transport's logic alone). */
function fakeFetch(reply: (seen: Seen) => Response | Promise<Response>, seen: Seen[] = []): typeof fetch {
  return (async (url: string, init: RequestInit) => {
    seen.push({ url, init });
    return reply({ url, init });
  }) as unknown as typeof fetch;
}
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

describe("ControlClient", () => {
  it("sends the bearer token and a JSON body to the route, and parses the answer", async () => {
    const seen: Seen[] = [];
    const fault = { id: "f1", kind: "proxy-latency", target: "proxy", params: { ms: 100, jitterMs: 0 }, ttlSeconds: 30, startedAt: "a", expiresAt: "b" };
    const client = new ControlClient(target, { fetch: fakeFetch(() => json(200, { fault }), seen) });
    expect(await client.proxyLatency({ ms: 100, ttlSeconds: 30 })).toEqual({ fault });
    expect(seen[0].url).toBe("http://127.0.0.1:1/proxy/latency");
    expect(seen[0].init.method).toBe("POST");
    expect((seen[0].init.headers as Record<string, string>).authorization).toBe(`Bearer ${TOKEN}`);
    expect(JSON.parse(String(seen[0].init.body))).toEqual({ ms: 100, ttlSeconds: 30 });
  });

  it("throws the API's own words with its status on a refusal, never the token", async () => {
    const client = new ControlClient(target, { fetch: fakeFetch(() => json(409, { error: `redis-a is not running (token ${TOKEN})` })) });
    const err = await client.killNode("redis-a", 60).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ControlError);
    expect((err as ControlError).status).toBe(409);
    expect((err as ControlError).message).toContain("POST /nodes/redis-a/kill → 409: redis-a is not running");
    expect((err as ControlError).message).not.toContain(TOKEN);
  });

  it("names the field when the sandbox answers another shape", async () => {
    const client = new ControlClient(target, { fetch: fakeFetch(() => json(200, { keysWritten: "many" })) });
    await expect(client.fillMemory({ targetPercent: 90 })).rejects.toThrow(/POST \/memory\/fill answered an unexpected shape: keysWritten/);
  });

  it("bounds every call: no answer in time is a ControlError without a status", async () => {
    const hang = fakeFetch(({ init }) => new Promise<Response>((_, reject) => init.signal!.addEventListener("abort", () => reject(init.signal!.reason))));
    const err = await new ControlClient(target, { fetch: hang }).call("GET", "/faults", undefined, 50).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ControlError);
    expect((err as ControlError).status).toBeNull();
    expect((err as ControlError).message).toBe("control API GET /faults gave no answer within 50 ms");
  });

  it("answers any status from request(), with another token or none", async () => {
    const seen: Seen[] = [];
    const client = new ControlClient(target, { fetch: fakeFetch(() => json(401, { error: "missing or wrong bearer token" }), seen) });
    const answer = await client.request("GET", "/faults", undefined, { token: null });
    expect(answer.status).toBe(401);
    expect(answer.body.error).toMatch(/bearer/);
    expect(seen[0].init.headers).not.toHaveProperty("authorization");
  });

  it("shows the token in neither its printout nor its JSON", () => {
    const client = new ControlClient(target);
    expect(inspect(client, { depth: 5, showHidden: true })).not.toContain(TOKEN);
    expect(JSON.stringify(client)).not.toContain(TOKEN);
  });

  it("reads the state file at each call: no sandbox is a clear error", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rrc-control-"));
    try {
      await expect(ControlClient.inDir(dir).status()).rejects.toThrow(/sandbox is not running/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
