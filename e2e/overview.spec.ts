import { expect, test } from "@playwright/test";

test("the Overview shows the four layers, the topology and the live stream", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  for (const id of ["L1", "L2", "L3", "CP"]) await expect(page.getByTestId(`layer-${id}`)).toBeVisible();
  await expect(page.getByTestId("node-redis-a")).toBeVisible();
  await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-stream", "live");
  await page.screenshot({ path: "screenshots/overview.png", fullPage: true });
});
