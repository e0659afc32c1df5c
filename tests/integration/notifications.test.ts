/**
 * Continuous verification's notifications (issue 29) reach a real Alertmanager (Debian's
 * `prometheus-alertmanager`, API v2, read back from its own API) and local webhook receivers;
 * a receiver that fails is retried within a bound, and a failure is answered, not lost. The secret
 * header goes on the wire and nowhere else.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NotificationsSchema } from "@/lib/config/verification-schema";
import { notify } from "@/lib/verification/notifier";
import type { VerificationEvent } from "@/lib/verification/notification";
import { startAlertmanager, type Daemon } from "./helpers/prometheus";
import { PORTS } from "./helpers/stack";

const SECRET = "hook-secret-not-for-anyone-7f3a";
const CONSOLE_URL = "http://console.example:3000";

interface Received {
  path: string;
  authorization: string | undefined;
  body: unknown;
}

/** A webhook receiver that answers `statuses` in turn (then 200) and records what it got. */
function receiver(statuses: number[] = []): Promise<{ url: string; got: Received[]; close: () => void }> {
  const got: Received[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      got.push({ path: req.url ?? "", authorization: req.headers.authorization, body: JSON.parse(body) });
      res.statusCode = statuses.shift() ?? 200;
      res.end();
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, got, close: () => server.close() })),
  );
}

const refuted: VerificationEvent = {
  kind: "claim-refuted",
  deployment: "sandbox",
  claim: "sessions-preserved",
  scenario: "memory-pressure",
  runId: "run-42",
  observed: "57 of 100 seeded sessions evicted",
  at: new Date().toISOString(),
};

const secret = () => SECRET;
let alertmanager: Daemon;

beforeAll(async () => {
  alertmanager = await startAlertmanager(PORTS.notifications);
});
afterAll(async () => {
  await alertmanager?.stop();
});

describe("notifications", () => {
  it("a refuted claim reaches Alertmanager with its labels and a link back to the run", async () => {
    const config = NotificationsSchema.parse({ alertmanager: { url: alertmanager.url } });
    const outcomes = await notify(refuted, config, { consoleUrl: CONSOLE_URL, secret });
    expect(outcomes).toEqual([{ destination: "alertmanager", ok: true, attempts: 1 }]);

    const res = await fetch(`${alertmanager.url}/api/v2/alerts?filter=alertname%3D%22RRCClaimRefuted%22`, { signal: AbortSignal.timeout(5000) });
    const alerts = (await res.json()) as { labels: Record<string, string>; generatorURL: string; annotations: Record<string, string> }[];
    expect(alerts).toHaveLength(1);
    expect(alerts[0].labels).toMatchObject({ deployment: "sandbox", claim: "sessions-preserved", scenario: "memory-pressure", severity: "page" });
    expect(alerts[0].generatorURL).toBe("http://console.example:3000/chaos?deployment=sandbox&run=run-42");
    expect(alerts[0].annotations.summary).toContain("57 of 100 seeded sessions evicted");
  });

  it("webhooks get the JSON or a Slack-compatible body, with the secret header from its source", async () => {
    const json = await receiver();
    const slack = await receiver();
    try {
      const config = NotificationsSchema.parse({
        webhooks: [
          { name: "ops", url: json.url, headers: { authorization: { from: "env", name: "RRC_TEST_HOOK_TOKEN" } } },
          { name: "slack", url: slack.url, format: "slack" },
        ],
      });
      const event: VerificationEvent = {
        kind: "guardrail-abort",
        deployment: "sandbox",
        scenario: "latency",
        runId: "run-7",
        guardrail: "layer-not-ok",
        saw: "L1 degraded",
        at: refuted.at,
      };
      const outcomes = await notify(event, config, {
        consoleUrl: CONSOLE_URL,
        secret: (src) => (src.from === "env" && src.name === "RRC_TEST_HOOK_TOKEN" ? SECRET : undefined),
      });
      expect(outcomes.map((o) => o.ok)).toEqual([true, true]);
      expect(json.got[0].authorization).toBe(SECRET);
      expect(json.got[0].body).toMatchObject({
        kind: "guardrail-abort",
        guardrail: "layer-not-ok",
        severity: "warn",
        url: "http://console.example:3000/chaos?deployment=sandbox&run=run-7",
      });
      expect((slack.got[0].body as { text: string }).text).toMatch(
        /guardrail layer-not-ok stopped a latency run .*<http:\/\/console\.example:3000\/chaos\?deployment=sandbox&run=run-7\|open>/,
      );
    } finally {
      json.close();
      slack.close();
    }
  });

  it("retries a failing receiver within the bound, and answers a failure without the secret", async () => {
    const flaky = await receiver([503, 503]);
    const broken = await receiver([500, 500, 500]);
    try {
      const config = NotificationsSchema.parse({
        attempts: 3,
        webhooks: [
          { name: "flaky", url: flaky.url },
          { name: "broken", url: broken.url, headers: { "x-api-key": { from: "env", name: "RRC_TEST_HOOK_TOKEN" } } },
          { name: "gone", url: "http://127.0.0.1:9/hook" },
        ],
      });
      const outcomes = await notify(refuted, config, { consoleUrl: CONSOLE_URL, secret, backoffMs: 50 });
      expect(outcomes[0]).toEqual({ destination: "webhook flaky", ok: true, attempts: 3 });
      expect(outcomes[1]).toEqual({ destination: "webhook broken", ok: false, attempts: 3, error: "answered 500" });
      expect(flaky.got).toHaveLength(3);
      expect(broken.got).toHaveLength(3);
      expect(outcomes[2]).toMatchObject({ destination: "webhook gone", ok: false, attempts: 3 });
      expect(outcomes[2].error).toMatch(/^unreachable: /);
      expect(JSON.stringify(outcomes)).not.toContain(SECRET);
    } finally {
      flaky.close();
      broken.close();
    }
  });

  it("does not retry a receiver that refuses the request (4xx): the answer would not change", async () => {
    const refusing = await receiver([401, 401]);
    try {
      const config = NotificationsSchema.parse({ attempts: 3, webhooks: [{ name: "auth", url: refusing.url }] });
      expect(await notify(refuted, config, { consoleUrl: CONSOLE_URL, secret, backoffMs: 50 })).toEqual([
        { destination: "webhook auth", ok: false, attempts: 1, error: "answered 401" },
      ]);
    } finally {
      refusing.close();
    }
  });
});
