import { expect, test } from "@playwright/test";
import { controlApi } from "./devstack";

test.afterEach(async () => {
  // Whatever happened, leave the stack healthy for the next test.
  await controlApi("POST", "/reset");
});

test("an SRE watches an outage hit the layers and recover", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  for (const id of ["L1", "L2", "L3", "CP"]) await expect(page.getByTestId(`layer-${id}-status`)).toHaveAttribute("data-status", "ok");
  await expect(page.getByTestId("node-redis-a")).toBeVisible();
  await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-stream", "live");
  await page.screenshot({ path: "screenshots/overview-normal.png", fullPage: true });

  await controlApi("POST", "/proxy/cut", { ttlSeconds: 60 });
  await expect(page.getByTestId("layer-L1-status")).toHaveAttribute("data-status", "degraded");
  await expect(page.getByTestId("layer-L3-status")).toHaveAttribute("data-status", "unavailable");
  await expect(page.getByTestId("layer-L2-status")).toHaveAttribute("data-status", "degraded");
  await expect(page.getByTestId("layer-CP-status")).toHaveAttribute("data-status", "degraded");
  await expect(page.getByTestId("impact")).toContainText("Rate limiting is off");
  await expect(page.getByTestId("redis-available")).toHaveText("UNREACHABLE");
  await page.screenshot({ path: "screenshots/overview-outage.png", fullPage: true });

  await controlApi("DELETE", "/proxy/faults");
  for (const id of ["L1", "L2", "L3", "CP"]) await expect(page.getByTestId(`layer-${id}-status`)).toHaveAttribute("data-status", "ok");
  await expect(page.getByTestId("impact")).toHaveCount(0);
});
