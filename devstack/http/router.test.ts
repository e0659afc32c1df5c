import { describe, expect, it } from "vitest";
import { matchPattern, matchRoute, type Route } from "./router";

describe("matchPattern", () => {
  it("binds :params and decodes them", () => {
    expect(matchPattern("/nodes/:name/:action", "/nodes/redis-a/kill")).toEqual({ name: "redis-a", action: "kill" });
    expect(matchPattern("/sessions/:id", "/sessions/a%20b")).toEqual({ id: "a b" });
  });
  it("needs the same number of segments unless the pattern ends in *", () => {
    expect(matchPattern("/sessions/:id", "/sessions")).toBeNull();
    expect(matchPattern("/sessions/:id", "/sessions/1/x")).toBeNull();
    expect(matchPattern("/*", "/any/deep/path")).toEqual({});
    expect(matchPattern("/*", "/")).toEqual({});
  });
  it("rejects malformed escapes instead of throwing", () => {
    expect(matchPattern("/sessions/:id", "/sessions/%E0%A4%A")).toBeNull();
  });
});

describe("matchRoute", () => {
  const routes: Route<string>[] = [
    { method: "GET", pattern: "/faults", handler: "list" },
    { method: "DELETE", pattern: "/proxy/faults", handler: "clear" },
    { method: "POST", pattern: "/nodes/:name/:action", handler: "node" },
  ];
  it("finds the first match", () => {
    const m = matchRoute(routes, "POST", "/nodes/redis-b/freeze");
    expect(m).toMatchObject({ kind: "found", params: { name: "redis-b", action: "freeze" } });
  });
  it("answers wrong-method with the allowed methods for a known path", () => {
    expect(matchRoute(routes, "GET", "/proxy/faults")).toEqual({ kind: "wrong-method", allow: ["DELETE"] });
  });
  it("answers not-found for an unknown path", () => {
    expect(matchRoute(routes, "GET", "/nope")).toEqual({ kind: "not-found" });
  });
});
