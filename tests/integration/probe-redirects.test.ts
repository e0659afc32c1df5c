/**
 * Layer probes do not follow redirects (issue 30, item 7): a layer that answers 302 to another
 * origin is judged by that 302, and the other origin never sees the probe, nor its secret header.
 * Real HTTP on loopback: the layer and the "other origin" are two servers of this test.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { probeLayer } from "../../lib/collector/layer-probes";
import { ConsoleConfigSchema, type LayerConfig } from "../../lib/config/schema";

const SECRET = "redirect-probe-key-0123456789abcdef";
const atOther: { url: string; apiKey?: string }[] = [];
let layerServer: http.Server;
let otherServer: http.Server;
let layerUrl: string;

const listen = async (s: http.Server) => {
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
  return (s.address() as AddressInfo).port;
};

function layer(): LayerConfig {
  return ConsoleConfigSchema.parse({
    source: "external",
    redis: {},
    layers: [
      {
        id: "L3",
        url: layerUrl,
        probe: {
          requests: [{ name: "health", method: "GET", path: "/health", headers: { "x-api-key": { env: "REDIRECT_PROBE_KEY" } } }],
          states: { ok: [{ request: "health", status: 200 }], unavailable: [{ request: "health", status: "5xx" }] },
        },
      },
    ],
  }).layers[0];
}

beforeAll(async () => {
  otherServer = http.createServer((req, res) => {
    atOther.push({ url: req.url!, apiKey: req.headers["x-api-key"] as string | undefined });
    res.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok"}');
  });
  const otherPort = await listen(otherServer);
  // "localhost" vs "127.0.0.1": another origin, as a redirect to another host would be.
  layerServer = http.createServer((req, res) => res.writeHead(302, { location: `http://localhost:${otherPort}/collect${req.url}` }).end());
  layerUrl = `http://127.0.0.1:${await listen(layerServer)}`;
  process.env.REDIRECT_PROBE_KEY = SECRET;
});
afterAll(() => {
  for (const s of [layerServer, otherServer]) {
    s.closeAllConnections();
    s.close();
  }
});

describe("a layer that answers with a redirect to another origin", () => {
  it("is judged by its 302; the other origin never gets the probe or its secret header", async () => {
    const obs = await probeLayer(layer(), 2000);
    expect(atOther).toEqual([]);
    expect(obs.requests[0]).toMatchObject({ name: "health", status: 302 });
    // Followed, the other origin's 200 would have made the layer "ok".
    expect(obs.state).not.toBe("ok");
    expect(JSON.stringify(obs)).not.toContain(SECRET);
  });
});
