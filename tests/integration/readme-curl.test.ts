/**
 * The security guide's curl (docs/security.md) for a login code keeps the operator token out of `ps` (issue 30, item 9): the
 * command is taken from the guide as written, run by bash against a real HTTP server, and while
 * curl waits for the answer every process's command line is read: none holds the token.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const TOKEN = "readme-curl-operator-token-8c1f0e6b2d4a9f7e";
let server: http.Server;
let url: string;
let dir: string;
const seen: { authorization?: string; tokenInCmdline: string[] }[] = [];

/** Processes whose command line holds the token, read from /proc while the request is in flight. */
function cmdlinesWithToken(): string[] {
  const found: string[] = [];
  for (const pid of fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
      if (cmd.includes(TOKEN)) found.push(`${pid}: ${cmd.slice(0, 120)}`);
    } catch {
      /* the process ended meanwhile */
    }
  }
  return found;
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen.push({ authorization: req.headers.authorization, tokenInCmdline: cmdlinesWithToken() });
    res.writeHead(201, { "content-type": "application/json" }).end('{"path":"/login#code=x"}');
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "rrc-readme-curl-"));
  fs.mkdirSync(path.join(dir, ".console-data"));
  fs.writeFileSync(path.join(dir, ".console-data", "operator-token"), TOKEN + "\n", { mode: 0o600 });
});
afterAll(() => {
  server.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe("README: a login code with curl", () => {
  it("sends the token from the file, and no process's command line holds it", async () => {
    const readme = fs.readFileSync(path.resolve(__dirname, "../../docs/security.md"), "utf8");
    const commands = [...readme.matchAll(/`([^`]*\bcurl\b[^`]*\/api\/auth\/codes[^`]*)`/g)].map((m) => m[1]);
    expect(commands).toHaveLength(1);
    const command = commands[0].replace("http://127.0.0.1:3000", url);
    await new Promise<void>((resolve, reject) => execFile("bash", ["-c", command], { cwd: dir, timeout: 10_000 }, (err) => (err ? reject(err) : resolve())));
    expect(seen).toHaveLength(1);
    expect(seen[0].authorization).toBe(`Bearer ${TOKEN}`);
    expect(seen[0].tokenInCmdline).toEqual([]);
  });
});
