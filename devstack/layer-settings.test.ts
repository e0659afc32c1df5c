import { describe, expect, it } from "vitest";
import { resolveSettings } from "./settings";

const resolve = (env: Record<string, string>, argv: string[] = []) => resolveSettings(argv, env as NodeJS.ProcessEnv, "/tmp");

describe("the layers' addressing and client settings", () => {
  it("the platform's setup by default (pinned address, APISIX and redis-rs models); env and flags choose others", () => {
    expect(resolve({})).toMatchObject({ layerAddressing: "pinned", layerClient: "apisix-redisrs" });
    expect(resolve({ DEVSTACK_LAYER_ADDRESSING: "follow", DEVSTACK_LAYER_CLIENT: "ioredis-tuned" })).toMatchObject({
      layerAddressing: "follow",
      layerClient: "ioredis-tuned",
    });
    expect(resolve({}, ["--layer-addressing=follow"]).layerAddressing).toBe("follow");
  });
  it("refuses other values, naming the choices", () => {
    expect(() => resolve({ DEVSTACK_LAYER_ADDRESSING: "dns" })).toThrow(/layer-addressing must be "follow" or "pinned"/);
    expect(() => resolve({}, ["--layer-client", "jedis"])).toThrow(/layer-client must be "apisix-redisrs" or "ioredis-tuned"/);
  });
});
