import { expect, test } from "@playwright/test";

test("the console opens with the shell and every area in the navigation", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByText("Redis Resilience Console")).toBeVisible();
  const nav = page.getByRole("navigation", { name: "Main" });
  for (const label of ["Overview", "Memory", "Sentinel", "Chaos", "Timeline", "Config"]) {
    await expect(nav.getByRole("link", { name: label })).toBeVisible();
  }
  await nav.getByRole("link", { name: "Timeline" }).click();
  await expect(page.getByRole("heading", { name: "Incident timeline" })).toBeVisible();
  await expect(page.getByText("Console started").first()).toBeVisible();
  await page.screenshot({ path: "screenshots/timeline.png", fullPage: true });
});
