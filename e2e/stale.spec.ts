import { expect, test } from "@playwright/test";

test("when the stream drops the page polls, and when polling fails it says since when its data is stale", async ({ page }) => {
  // The stream never connects: the page must fall back to polling /api/snapshot.
  await page.route("**/api/stream*", (route) => route.abort());
  await page.goto("/");
  const indicator = page.getByTestId("live-indicator");
  await expect(indicator).toHaveAttribute("data-stream", "polling");
  await expect(indicator).toHaveAttribute("data-stale", "false");
  await expect(indicator).toHaveText("stream lost: polling");

  // Now polling fails too: the data ages past three ticks and the page says so.
  await page.route("**/api/snapshot*", (route) => route.abort());
  await expect(indicator).toHaveAttribute("data-stale", "true");
  await expect(indicator).toContainText("stale since");
  await expect(page.getByTestId("stale-banner")).toContainText("last known state");
  // The last known state stays on screen rather than a blank page.
  await expect(page.getByTestId("layer-L1")).toBeVisible();
  await page.screenshot({ path: "screenshots/overview-stale.png", fullPage: false });

  // The console comes back: the page is live again.
  await page.unroute("**/api/snapshot*");
  await page.unroute("**/api/stream*");
  await expect(indicator).toHaveAttribute("data-stale", "false", { timeout: 30_000 });
  await expect(page.getByTestId("stale-banner")).toHaveCount(0);
});
