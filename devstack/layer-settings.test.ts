import { describe, expect, it } from "vitest";
import { resolveSettings } from "./settings";

const resolve = (env: Record<string, string>, argv: string[] = []) => resolveSettings(argv, env as NodeJS.ProcessEnv, "/tmp");

describe("the layers' addressing and client settings", () => {
  it("follow and the tuned ioredis model by default; env and flags choose others", () => {
    expect(resolve({})).toMatchObject({ layerAddressing: "follow", layerClient: "apisix-redisrs" });
    expect(resolve({ DEVSTACK_LAYER_ADDRESSING: "pinned", DEVSTACK_LAYER_CLIENT: "apisix-redisrs" })).toMatchObject({
      layerAddressing: "pinned",
      layerClient: "apisix-redisrs",
    });
    expect(resolve({}, ["--layer-addressing=pinned"]).layerAddressing).toBe("pinned");
  });
  it("refuses other values, naming the choices", () => {
    expect(() => resolve({ DEVSTACK_LAYER_ADDRESSING: "dns" })).toThrow(/layer-addressing must be "follow" or "pinned"/);
    expect(() => resolve({}, ["--layer-client", "jedis"])).toThrow(/layer-client must be "apisix-redisrs" or "ioredis-tuned"/);
  });
});
