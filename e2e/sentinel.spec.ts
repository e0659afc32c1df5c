import { expect, test } from "@playwright/test";
import type { Snapshot } from "../lib/snapshot/types";
import { controlApi } from "./devstack";

// Whatever happens in a test, the sandbox is healthy again for the next one.
test.afterEach(async () => {
  await controlApi("POST", "/reset");
});

test("an SRE watches a master die and Sentinel fail over, stage by stage, then reads the measured phases", async ({ page }) => {
  await page.goto("/sentinel");
  await expect(page.getByRole("heading", { name: "Sentinel", exact: true })).toBeVisible();
  await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-stream", "live");
  await expect(page.getByTestId("sentinels-reachable")).toHaveText("3/3");
  await expect(page.getByTestId("ckquorum")).toContainText("CKQUORUM OK");
  await expect(page.getByTestId("failover-progress")).toHaveAttribute("data-active", "false");

  const before = (await (await page.request.get("/api/snapshot")).json()) as Snapshot;
  const master = before.redis.nodes.find((n) => n.addr === before.sentinel.master.addr)!;
  const recordsBefore = before.sentinel.history?.length ?? 0;
  await expect(page.getByTestId("master-addr")).toContainText(master.id);

  await controlApi("POST", `/nodes/${master.id}/kill`, { ttlSeconds: 120 });
  await expect(page.getByTestId("master-unreachable")).toBeVisible({ timeout: 10_000 });
  const progress = page.getByTestId("failover-progress");
  await expect(progress).toHaveAttribute("data-active", "true", { timeout: 15_000 });
  await expect(page.getByTestId("stage-0")).toHaveAttribute("data-state", "done");
  await page.screenshot({ path: "screenshots/sentinel-failover.png", fullPage: true });

  // Sentinel names a new master; the stepper shows every stage done and the history has it measured.
  await expect(page.getByTestId("master-addr")).not.toContainText(master.id, { timeout: 20_000 });
  await expect(progress).toHaveAttribute("data-active", "false");
  for (let i = 0; i < 6; i++) await expect(page.getByTestId(`stage-${i}`)).toHaveAttribute("data-state", "done");
  await expect(page.getByTestId("failover-leader")).toHaveText(/sentinel-\d/);
  await expect(page.getByTestId("failover-record")).toHaveCount(recordsBefore + 1);
  const record = page.getByTestId("failover-record").first();
  await expect(record).toHaveAttribute("data-kind", "automatic");
  await expect(record).toHaveAttribute("data-outcome", "completed");
  for (const phase of ["down-after", "detection", "election", "promotion"]) await expect(record.locator(`[data-phase="${phase}"]`)).toBeVisible();
  await expect(page.getByTestId(`replica-${master.id}`)).toHaveAttribute("data-former-master", "true");
  await page.screenshot({ path: "screenshots/sentinel-after-failover.png", fullPage: true });
});

test("presentation mode hides every address and port on the Sentinel page", async ({ page }) => {
  await page.goto("/sentinel?present=1");
  await expect(page.getByTestId("sentinels-table")).toBeVisible();
  await expect(page.getByTestId("master-addr")).toContainText("redis-");
  await expect(page.locator("main")).not.toContainText("127.0.0.1");
  await expect(page.locator("main")).not.toContainText(/:\d{4,5}\b/);
});
