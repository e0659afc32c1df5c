/**
 * The config file edited while the console runs (issue 27, item 6, "config reloaded"): each new
 * version is in the audit trail, as the actor "config watcher", with the fields that changed and
 * whether they are in effect now or at the next start — never a value, so a secret in the file
 * (a webhook URL with its token, an inline header) stays out of it. A version that does not
 * parse or validate is recorded as not applied, without quoting the file. No Redis is needed.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startConsole, type RunningConsole } from "./helpers/console";
import { CONSOLE_PORTS, PORTS, waitFor } from "./helpers/stack";

const TOKEN = "config-reload-break-glass-operator-token-0123456789";
const WEBHOOK = "https://hooks.example.test/services/T0001/B0001/xoxb-s3cret-webhook-path";
const HEADER_SECRET = "inline-header-s3cret-9f8e7d";

interface Entry {
  actor: string;
  role: string | null;
  action: string;
  target: string;
  outcome: string;
  client: string;
}

describe("the config file edited while the console runs", () => {
  let dir: string;
  let file: string;
  let app: RunningConsole;
  const admin = { authorization: `Bearer ${TOKEN}` };

  const deployments = (stagingExtra: Record<string, unknown> = {}) =>
    ["sandbox", "staging-eu"].map((name, i) => ({
      deployment: name,
      source: "external",
      redis: { nodes: [{ id: `${name}-1`, host: "127.0.0.1", port: PORTS.configReload + 10 + i }] },
      ...(name === "staging-eu" ? stagingExtra : {}),
    }));
  /** Replaces the file at once (a rename), as editors and config management do. */
  const write = (text: string) => {
    fs.writeFileSync(`${file}.tmp`, text);
    fs.renameSync(`${file}.tmp`, file);
  };
  const reloads = async (): Promise<{ entries: Entry[]; text: string }> => {
    const res = await fetch(`${app.url}/api/audit?action=config.reloaded`, { headers: admin, signal: AbortSignal.timeout(10_000) });
    const text = await res.text();
    return { entries: (JSON.parse(text) as { entries: Entry[] }).entries, text };
  };
  const nextReload = (count: number) =>
    waitFor(`config.reloaded entry ${count}`, async () => {
      const r = await reloads();
      return r.entries.length >= count ? { entry: r.entries[count - 1], text: r.text } : null;
    });

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "rrc-config-reload-"));
    file = path.join(dir, "config.json");
    fs.writeFileSync(file, JSON.stringify({ deployments: deployments() }));
    app = await startConsole({ port: CONSOLE_PORTS.configReload, devstackDir: path.join(dir, "none"), env: { OPERATOR_TOKEN: TOKEN, CONSOLE_CONFIG: file } });
  }, 120_000);
  afterAll(async () => {
    await app?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("nothing is recorded while the file stays as it was", async () => {
    expect((await reloads()).entries).toEqual([]);
  });

  it("a new version: the changed fields, live or at the next start, by the config watcher; no secret in the trail", async () => {
    write(
      JSON.stringify({
        auth: { viewerLinks: { maxSessions: 5 } },
        deployments: deployments({
          guardrails: [{ kind: "layer-not-ok", forSeconds: 5 }],
          notifications: { webhooks: [{ name: "chat", url: WEBHOOK, headers: { "x-api-key": HEADER_SECRET } }] },
          tickMs: 2000,
        }),
      }),
    );
    const { entry, text } = await nextReload(1);
    expect(entry).toMatchObject({ actor: "config watcher", role: null, action: "config.reloaded", target: file, client: "console" });
    expect(entry.outcome).toBe(
      "changed, in effect now: deployments.staging-eu.guardrails, deployments.staging-eu.notifications; changed, in effect at the next start: auth, deployments.staging-eu.tickMs",
    );
    expect(text).not.toContain("s3cret");
  });

  it("a version that is not JSON, then one that does not validate: recorded as not applied, without quoting the file", async () => {
    write(`{"deployments": [{"deployment": "sandbox", "url": "${WEBHOOK}" oops`);
    const notJson = await nextReload(2);
    expect(notJson.entry.outcome).toBe("not applied: the file is not valid JSON; the last good version stays");
    write(JSON.stringify({ deployments: deployments({ tickMs: 5, notifications: { webhooks: [{ name: "chat", url: WEBHOOK }] } }) }));
    const invalid = await nextReload(3);
    expect(invalid.entry.outcome).toMatch(/^invalid, not applied \(.*tickMs.*\): /);
    expect(invalid.text).not.toContain("s3cret");
    expect(app.output()).not.toContain("s3cret");
    expect((await fetch(`${app.url}/api/health`, { signal: AbortSignal.timeout(5000) })).status).toBe(200);
  });
});
