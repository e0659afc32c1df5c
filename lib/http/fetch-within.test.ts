import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchWithin } from "./fetch-within";

describe("fetchWithin", () => {
  // A real server: one route answers, one sends its headers and then never ends its body, one never answers at all.
  const server = http.createServer((req, res) => {
    if (req.url === "/ok") return res.end("fine");
    if (req.url === "/half") {
      res.writeHead(200);
      return res.write("part");
    }
  });
  let base = "";
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  it("gives the answer read within the deadline", async () => {
    expect(await fetchWithin(`${base}/ok`, {}, 2000, (r) => r.text())).toBe("fine");
  });
  it("rejects with a TimeoutError at the deadline when no answer comes", async () => {
    await expect(fetchWithin(`${base}/never`, {}, 300, (r) => r.text())).rejects.toMatchObject({ name: "TimeoutError", message: "no answer within 300 ms" });
  });
  it("bounds the body too: headers alone are not an answer", async () => {
    await expect(fetchWithin(`${base}/half`, {}, 300, (r) => r.text())).rejects.toMatchObject({ name: "TimeoutError" });
  });
  it("is ended by the caller's own signal before the deadline, and a body left unread flows on past it", async () => {
    const caller = new AbortController();
    const pending = fetchWithin(`${base}/never`, { signal: caller.signal }, 5000, (r) => r.text());
    caller.abort(new Error("the viewer went away"));
    await expect(pending).rejects.toThrow("the viewer went away");
    // Read nothing of /half's body within the deadline: the stream is the caller's to read afterwards.
    const res = await fetchWithin(`${base}/half`, {}, 200, async (r) => r);
    await new Promise((r) => setTimeout(r, 300));
    const reader = res.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe("part");
    await reader.cancel();
  });
});
