import { describe, expect, it } from "vitest";
import { resolveSettings } from "./settings";
import { memoryBytes } from "./settings-schema";

const resolve = (env: Record<string, string>, argv: string[] = []) => resolveSettings(argv, env as NodeJS.ProcessEnv, "/tmp");

describe("sandbox settings", () => {
  it("the guide's production column by default", () => {
    expect(resolve({}).redis).toMatchObject({ appendfsync: "everysec", "maxmemory-policy": "allkeys-lru", maxmemory: "64mb" });
  });
  it("refuses a newline that would add a config line", () => {
    expect(() => resolve({ DEVSTACK_MAXMEMORY: "64mb\nbind 0.0.0.0" })).toThrow(/maxmemory must be a size/);
    expect(() => resolve({ DEVSTACK_SAVE: "900 1\nprotected-mode no" })).toThrow(/save must be pairs/);
    expect(() => resolve({}, ["--master-name", "m\nsentinel auth-pass x y"])).toThrow(/master-name/);
    expect(() => resolve({ DEVSTACK_QUORUM: "2\nsentinel deny-scripts-reconfig no" })).toThrow(/quorum must be a whole number/);
  });
  it("caps memory to what the machine has, and refuses values Redis would not take", () => {
    expect(() => resolve({ DEVSTACK_MAXMEMORY: "100000gb" })).toThrow(/half of this machine's memory/);
    expect(() => resolve({ DEVSTACK_MAXMEMORY: "0" })).toThrow(/from 1mb/);
    expect(() => resolve({ DEVSTACK_MAXMEMORY_POLICY: "lru-please" })).toThrow(/maxmemory-policy/);
    expect(() => resolve({ DEVSTACK_APPENDFSYNC: "sometimes" })).toThrow(/appendfsync/);
    expect(() => resolve({ DEVSTACK_QUORUM: "7" })).toThrow(/quorum must be from 1 to 3/);
    expect(resolve({ DEVSTACK_MAXMEMORY: "128mb", DEVSTACK_SAVE: "" }).redis).toMatchObject({ maxmemory: "128mb", save: "" });
  });
  it("reads Redis memory units", () => {
    expect(memoryBytes("64mb")).toBe(64 * 1024 ** 2);
    expect(memoryBytes("1g")).toBe(1e9);
    expect(memoryBytes("1048576")).toBe(1048576);
    expect(memoryBytes("64 mb")).toBeNull();
  });
  it("reads --tls and --acl as flags or env, and refuses other values", () => {
    expect(resolve({}, ["up", "--tls", "--acl"])).toMatchObject({ tls: true, acl: true });
    expect(resolve({ DEVSTACK_TLS: "1", DEVSTACK_ACL: "0" })).toMatchObject({ tls: true });
    expect(resolve({}).tls).toBeUndefined();
    expect(resolve({ DEVSTACK_TLS: "0" }).tls).toBeUndefined();
    expect(() => resolve({ DEVSTACK_ACL: "maybe" })).toThrow(/acl must be true or false/);
  });
});
