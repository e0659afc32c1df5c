import { expect, test } from "@playwright/test";
import type { Snapshot } from "../lib/snapshot/types";
import { clusterControl } from "./cluster-control";
import { E2E_CLUSTER } from "./env";
import { loginAsOperator } from "./operator";

test.use({ baseURL: E2E_CLUSTER.baseURL });

// Whatever happens in a test, the cluster is as created again for the next one.
test.afterEach(async () => {
  expect((await clusterControl("POST", "/reset")).status).toBe(200);
});

test("an SRE sees the cluster's shards, and the layers keeping their contract on it", async ({ page }) => {
  await page.goto("/cluster");
  await expect(page.getByRole("heading", { name: "Cluster", exact: true })).toBeVisible();
  await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-stream", "live");
  await expect(page.getByTestId("cluster-state")).toHaveText("ok");
  await expect(page.getByTestId("shards-table").locator("tbody tr")).toHaveCount(3);
  for (const n of [1, 2, 3]) await expect(page.getByTestId(`shard-shard-${n}`)).toHaveAttribute("data-master-health", "online");
  await expect(page.getByTestId("placement-l1:rl:")).toHaveAttribute("data-shard", /^shard-\d$/);
  await expect(page.getByTestId("placement-l3:session:")).toHaveAttribute("data-shard", "all");
  await page.screenshot({ path: "screenshots/cluster-normal.png", fullPage: true });

  await page.goto("/");
  await expect(page.getByTestId("redis-available")).toHaveAttribute("data-state", "cluster-ok");
  await expect(page.getByTestId("cluster-summary")).toContainText("16384/16384 slots ok");
  for (const id of ["L1", "L2", "L3", "CP"]) await expect(page.getByTestId(`layer-${id}`)).toHaveAttribute("data-status", "ok", { timeout: 30_000 });
});

test("a shard's master killed with kill -9 is followed live to its replica's promotion, timed", async ({ page }) => {
  await page.goto("/cluster");
  await expect(page.getByTestId("cluster-state")).toHaveText("ok");
  const before = (await (await page.request.get("/api/snapshot")).json()) as Snapshot;
  const shard = before.cluster!.shards[0];
  const victim = shard.master!.id;
  const heir = shard.replicas[0].id;
  expect((await clusterControl("POST", `/nodes/${victim}/kill`, { ttlSeconds: 120 })).status).toBe(200);

  await expect(page.getByTestId("cluster-shard-down")).toContainText(`${shard.name}: its master is failing`, { timeout: 10_000 });
  await expect(page.getByTestId(`cluster-node-${victim}`)).toHaveAttribute("data-state", "down");
  await page.screenshot({ path: "screenshots/cluster-master-down.png", fullPage: true });

  await expect(page.getByTestId(`shard-${shard.name}`)).toHaveAttribute("data-master", heir, { timeout: 30_000 });
  const record = page.getByTestId("cluster-failover").first();
  await expect(record).toHaveAttribute("data-kind", "automatic");
  await expect(record.getByTestId("failover-seconds")).toContainText(/\d+\.\d s after the failure/, { timeout: 15_000 });
  await expect(page.getByTestId("cluster-shard-down")).toHaveCount(0);
  await expect(page.getByTestId("cluster-outside")).toContainText(`${victim} is in no shard: down`);
  await page.screenshot({ path: "screenshots/cluster-promoted.png", fullPage: true });
});

test("presentation mode hides every address and port on the Cluster page", async ({ page }) => {
  await page.goto("/cluster?present=1");
  await expect(page.getByTestId("shards-table")).toBeVisible();
  await expect(page.getByTestId("shards-table")).toContainText("node-");
  await expect(page.locator("main")).not.toContainText("127.0.0.1");
  await expect(page.locator("main")).not.toContainText(/:\d{4,5}\b/);
  await expect(page.locator("main")).not.toContainText("l1:rl:");
});

test("an operator runs the failover scenario on the cluster from the Chaos page and reads per-shard verdicts", async ({ page }) => {
  await loginAsOperator(page, E2E_CLUSTER.baseURL);
  await expect(page.getByRole("button", { name: /Operator ✓/ })).toBeVisible();
  await page.goto("/chaos");
  await expect(page.getByTestId("run-failover")).toBeEnabled();
  await page.getByTestId("run-failover").click();
  await expect(page.getByTestId("run-plan")).toBeVisible();
  await page.getByTestId("confirm-run").click();

  const panel = page.getByTestId("run-panel");
  await expect(panel).toBeVisible();
  await expect(panel.locator('[data-state="running"]').first()).toBeVisible();
  await page.screenshot({ path: "screenshots/cluster-chaos-running.png", fullPage: true });
  await expect(panel).toHaveAttribute("data-ended", "true", { timeout: 150_000 });
  // Every check judged on what the run saw, none left unjudged; the promotion happened and every layer of the shard's
  // tenants was served again after it (the other shards' checks may go either way: cluster_state:fail lasts about a second).
  const checks = page.getByTestId("run-checks").locator("tr[data-verdict]");
  expect(await checks.count()).toBeGreaterThan(2);
  for (const row of await checks.all()) await expect(row).toHaveAttribute("data-verdict", /^(held|refuted)$/);
  const failover = page.getByTestId("run-checks").locator('tr[data-claim="cluster-failover"]');
  await expect(failover).toHaveCount(5);
  for (const row of await failover.all()) await expect(row).toHaveAttribute("data-verdict", "held");
  await expect(failover.locator('xpath=self::*[@data-layer=""]')).toHaveCount(1);
  await expect(page.getByTestId("run-checks")).toContainText(/shard-\d/);
  await page.screenshot({ path: "screenshots/cluster-chaos-verdict.png", fullPage: true });
  // The restore gave every shard its created master back.
  const after = (await (await page.request.get("/api/snapshot")).json()) as Snapshot;
  expect(after.cluster!.state).toBe("ok");
});
