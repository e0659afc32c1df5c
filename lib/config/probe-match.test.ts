import { describe, expect, it } from "vitest";
import { evaluateCondition, fillBody, fillTemplate, matchState } from "./probe-match";
import type { ProbeConfig } from "./probe-schema";

const answers = new Map<string, unknown>([["create", { id: "s 1", session: { id: "abc" } }]]);

describe("templates", () => {
  it("fills a path from an earlier answer, URL-encoded, at any depth", () => {
    expect(fillTemplate("/sessions/{create.id}", answers, encodeURIComponent)).toEqual({ text: "/sessions/s%201" });
    expect(fillTemplate("/x/{create.session.id}/y", answers)).toEqual({ text: "/x/abc/y" });
  });
  it("names the missing value", () => {
    expect(fillTemplate("/sessions/{create.nope}", answers).missing).toBe("{create.nope}");
    expect(fillTemplate("/sessions/{other.id}", answers).missing).toBe("{other.id}");
  });
  it("fills strings inside a JSON body", () => {
    expect(fillBody({ session: "{create.session.id}", n: 1, list: ["{create.id}"] }, answers)).toEqual({ body: { session: "abc", n: 1, list: ["s 1"] } });
  });
});

describe("conditions", () => {
  const rec = { name: "chat", status: 503, headers: { "x-ratelimit-remaining": "7" }, json: { "error.code": "no_redis" } };
  it.each([
    [{ request: "chat", status: "5xx" as const }, true],
    [{ request: "chat", status: [500, 502] }, false],
    [{ request: "chat", status: 503 }, true],
    [{ request: "chat", header: { "X-RateLimit-Remaining": "*" } }, true],
    [{ request: "chat", header: { "X-RateLimit-Remaining": null } }, false],
    [{ request: "chat", header: { "X-Cache": null } }, true],
    [{ request: "chat", json: { path: "error.code", equals: "no_redis" } }, true],
    [{ request: "chat", error: true }, false],
    [{ request: "chat", error: false, status: "5xx" as const }, true],
  ])("%j holds: %s", (cond, holds) => {
    expect(evaluateCondition(cond, [rec]).holds).toBe(holds);
  });
  it("a request that got no answer matches error: true and nothing else", () => {
    const none = { name: "chat", status: null, error: "connection refused (layer down)" };
    expect(evaluateCondition({ request: "chat", error: true }, [none])).toMatchObject({
      holds: true,
      seen: "chat no answer (connection refused (layer down))",
    });
    expect(evaluateCondition({ request: "chat", status: "5xx" }, [none]).holds).toBe(false);
  });
  it("a skipped request holds no condition, and says why", () => {
    const skipped = { name: "read", status: null, skipped: "no value for {create.id}" };
    expect(evaluateCondition({ request: "read", error: true }, [skipped])).toMatchObject({ holds: false, seen: "read skipped (no value for {create.id})" });
  });
});

describe("matchState", () => {
  const probe: ProbeConfig = {
    requests: [{ name: "a", method: "GET", path: "/" }],
    states: {
      unavailable: [{ request: "a", status: "5xx" }],
      degraded: [{ request: "a", status: 200, json: { path: "mode", equals: "degraded" } }],
      ok: [{ request: "a", status: "2xx" }],
    },
  };
  it("tries unavailable, degraded, ok in that order", () => {
    expect(matchState(probe, [{ name: "a", status: 200, json: { mode: "degraded" } }]).state).toBe("degraded");
    expect(matchState(probe, [{ name: "a", status: 200, json: { mode: "normal" } }]).state).toBe("ok");
    expect(matchState(probe, [{ name: "a", status: 502 }]).state).toBe("unavailable");
  });
  it("nothing matching is unknown, with every state's evidence kept", () => {
    const m = matchState(probe, [{ name: "a", status: 404, json: { mode: null } }]);
    expect(m.state).toBe("unknown");
    expect(m.rules.ok![0]).toMatchObject({ expect: "a 2xx", seen: "a 404", holds: false });
    expect(Object.keys(m.rules)).toEqual(["unavailable", "degraded", "ok"]);
  });
});
