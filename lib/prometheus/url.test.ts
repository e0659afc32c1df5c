import { describe, expect, it } from "vitest";
import { parsePrometheusUrl } from "./url";

describe("parsePrometheusUrl", () => {
  it("moves credentials into a Basic header and out of every shown form", () => {
    const r = parsePrometheusUrl("https://sre:s3cr%40t@prom.example:9090/prometheus/?x=1");
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.target.baseUrl).toBe("https://prom.example:9090/prometheus");
    expect(r.target.display).toBe("https://prom.example:9090/prometheus");
    expect(r.target.authorization).toBe(`Basic ${Buffer.from("sre:s3cr@t").toString("base64")}`);
    expect(JSON.stringify({ ...r.target, authorization: undefined })).not.toContain("s3cr");
  });

  it("prefers a bearer token and takes a timeout", () => {
    const r = parsePrometheusUrl("http://127.0.0.1:9090", { bearerToken: "tok", timeoutMs: "1500" });
    expect(r).toMatchObject({ ok: true, target: { authorization: "Bearer tok", timeoutMs: 1500, display: "http://127.0.0.1:9090" } });
  });

  it("refuses what is not an http(s) URL without repeating it", () => {
    const bad = parsePrometheusUrl("ftp://u:hunter2@x");
    expect(bad).toMatchObject({ ok: false });
    expect(!bad.ok && bad.error).not.toContain("hunter2");
    expect(parsePrometheusUrl("not a url:hunter2")).toMatchObject({ ok: false, error: expect.not.stringContaining("hunter2") });
    expect(parsePrometheusUrl("http://x", { timeoutMs: "5" })).toMatchObject({ ok: false, error: expect.stringContaining("PROMETHEUS_TIMEOUT_MS") });
  });
});
