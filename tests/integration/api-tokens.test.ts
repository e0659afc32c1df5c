/**
 * Named API tokens (issue 27, item 3) on two consoles sharing one PostgreSQL, as replicas do: a
 * token minted on one works on both, is listed without its secret, reads only what its role and
 * deployments allow, and once revoked on one console fails on the other at the next request.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import PgDriver from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningConsole } from "./helpers/console";
import { startExposedPair, type ExposedPair } from "./helpers/exposed-pair";
import { CONSOLE_PORTS, PORTS } from "./helpers/stack";

const TOKEN = "api-tokens-break-glass-operator-token-0123456789";

describe("named API tokens on two consoles sharing one store", () => {
  let pair: ExposedPair;
  let first: RunningConsole;
  let second: RunningConsole;
  const admin = { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" };

  beforeAll(async () => {
    pair = await startExposedPair({
      name: "api-tokens",
      basePort: PORTS.apiTokens,
      consolePorts: [CONSOLE_PORTS.apiTokens, CONSOLE_PORTS.apiTokensSecond],
      operatorToken: TOKEN,
    });
    ({ first, second } = pair);
  }, 120_000);
  afterAll(async () => {
    await pair?.stop();
  });

  const call = async (c: RunningConsole, method: string, route: string, headers: Record<string, string>, body?: unknown) => {
    const res = await fetch(c.url + route, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    let parsed: any = null;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* the metrics' text, a page */
    }
    return { status: res.status, text, body: parsed };
  };

  it("a viewer token for staging-eu: shown once, listed without its secret, reads staging-eu on both consoles and nothing else", async () => {
    const minted = await call(first, "POST", "/api/tokens", admin, { name: "prometheus-eu", role: "viewer", deployments: ["staging-eu"], expiresInDays: 30 });
    expect(minted.status).toBe(201);
    const secret = minted.body.token as string;
    expect(secret).toMatch(/^rrc_[\w-]{43}$/);
    expect(minted.body).toMatchObject({ name: "prometheus-eu", role: "viewer", deployments: ["staging-eu"], createdBy: "OPERATOR_TOKEN" });
    const listed = await call(second, "GET", "/api/tokens", admin);
    expect(listed.status).toBe(200);
    expect(listed.text).not.toContain(secret);
    expect(listed.body.tokens.map((t: { name: string }) => t.name)).toContain("prometheus-eu");
    const bearer = { authorization: `Bearer ${secret}` };
    for (const c of [first, second]) {
      expect((await call(c, "GET", "/api/snapshot?deployment=staging-eu", bearer)).status).toBe(200);
      expect((await call(c, "GET", "/api/metrics?deployment=staging-eu", bearer)).status).toBe(200);
      const other = await call(c, "GET", "/api/snapshot?deployment=sandbox", bearer);
      expect(other.status).toBe(403);
      expect(other.body.error).toBe("viewer on sandbox needed");
      expect(
        (await call(c, "POST", "/api/chaos/runs?deployment=staging-eu", { ...bearer, "content-type": "application/json" }, { scenario: "outage" })).status,
      ).toBe(403);
      expect((await call(c, "GET", "/api/tokens", bearer)).body.error).toBe("admin needed");
    }
    const used = (await call(first, "GET", "/api/tokens", admin)).body.tokens.find((t: { name: string }) => t.name === "prometheus-eu");
    expect(used.lastUsedAt).not.toBeNull();
  });

  it("revoked on one console, the token fails on the other at its next request", async () => {
    const minted = await call(first, "POST", "/api/tokens", admin, { name: "deploy-bot", role: "operator" });
    const bearer = { authorization: `Bearer ${minted.body.token}` };
    expect((await call(second, "GET", "/api/snapshot?deployment=sandbox", bearer)).status).toBe(200);
    expect((await call(first, "DELETE", `/api/tokens/${minted.body.id}`, admin)).status).toBe(200);
    const after = await call(second, "GET", "/api/snapshot?deployment=sandbox", bearer);
    expect(after.status).toBe(401);
    expect(after.body.error).toBe("wrong or revoked token");
    expect((await call(second, "DELETE", `/api/tokens/${minted.body.id}`, admin)).status).toBe(404);
    expect((await call(second, "GET", "/api/tokens", admin)).body.tokens.map((t: { id: string }) => t.id)).not.toContain(minted.body.id);
  });

  it("bad requests are 4xx naming the field; no token value in either console's log", async () => {
    expect((await call(first, "POST", "/api/tokens", admin, { name: "x y", role: "viewer" })).body.error).toMatch(/name: letters, digits/);
    expect((await call(first, "POST", "/api/tokens", admin, { name: "x", role: "root" })).body.error).toMatch(/role must be one of viewer, operator, admin/);
    expect((await call(first, "POST", "/api/tokens", admin, { name: "x", role: "viewer", deployments: ["nope"] })).status).toBe(400);
    expect((await call(first, "DELETE", "/api/tokens/../../etc", admin)).status).toBeGreaterThanOrEqual(400);
    for (const c of [first, second]) expect(c.output()).not.toMatch(/rrc_[\w-]{43}/);
  });

  /** `npm run audit -- verify` on the consoles' PostgreSQL: its exit code and what it said. */
  const verify = () => {
    const r = spawnSync("npm", ["run", "--silent", "audit", "--", "verify"], {
      cwd: path.resolve(__dirname, "../.."),
      env: { ...process.env, DATABASE_URL: pair.pg.url },
      encoding: "utf8",
      timeout: 60_000,
    });
    return { code: r.status, out: `${r.stdout}${r.stderr}` };
  };

  it("the audit trail: token events and every 403 with actor and route, admin only, jsonl export, no token in it", async () => {
    const trail = await call(second, "GET", "/api/audit", admin);
    expect(trail.status).toBe(200);
    const entries = trail.body.entries as {
      action: string;
      actor: string;
      target: string;
      outcome: string;
      deployment: string | null;
      requestId: string;
      client: string;
    }[];
    expect(entries.filter((e) => e.action === "token.created").map((e) => e.actor)).toEqual(["OPERATOR_TOKEN", "OPERATOR_TOKEN"]);
    expect(entries.find((e) => e.action === "token.revoked")).toMatchObject({ actor: "OPERATOR_TOKEN", outcome: "ok" });
    const denied = entries.find((e) => e.action === "denied" && e.actor === "token prometheus-eu" && e.deployment === "sandbox");
    expect(denied).toMatchObject({ target: "GET /api/snapshot", outcome: "403 viewer on sandbox needed" });
    expect(denied!.requestId).toMatch(/^[\w.-]+$/);
    const viewerToken = entries.find((e) => e.action === "denied" && e.target === "GET /api/tokens");
    expect(viewerToken?.outcome).toBe("403 admin needed");
    const filtered = await call(first, "GET", "/api/audit?action=token.revoked&format=jsonl", admin);
    const lines = filtered.text
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { action: string; outcome: string });
    // The revoke, and the second try on the other console that found no live token.
    expect(lines.map((l) => [l.action, l.outcome])).toEqual([
      ["token.revoked", "ok"],
      ["token.revoked", "no live token"],
    ]);
    expect(trail.text).not.toMatch(/rrc_[\w-]{43}/);
    expect(trail.text).not.toContain(TOKEN);
    expect((await call(first, "GET", "/api/audit?since=yesterday", admin)).status).toBe(400);
  });

  it("npm run audit -- verify: exit 0 on the intact chain, 1 naming the entry changed in the database", async () => {
    const intact = verify();
    expect(intact.out).toMatch(/the chain is intact \(\d+ entries\)/);
    expect(intact.code).toBe(0);
    const db = new PgDriver.Client({ connectionString: pair.pg.url });
    await db.connect();
    try {
      const [row] = (await db.query("select seq from audit_log where entry->>'action' = 'token.revoked'")).rows as { seq: string }[];
      await db.query(`update audit_log set entry = jsonb_set(entry, '{actor}', '"someone else"') where seq = $1`, [row.seq]);
      const broken = verify();
      expect(broken.code).toBe(1);
      expect(broken.out).toContain(`the chain is broken at entry ${row.seq}: its content does not match its hash`);
    } finally {
      await db.end();
    }
  }, 120_000);
});
