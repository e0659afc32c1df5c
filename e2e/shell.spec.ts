import { expect, test } from "@playwright/test";

test("the console opens with the shell and every area in the navigation", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByText("Redis Resilience Console")).toBeVisible();
  const nav = page.getByRole("navigation", { name: "Main" });
  for (const label of ["Overview", "Memory", "Sentinel", "Cluster", "Chaos", "Schedules", "Timeline", "Config"]) {
    await expect(nav.getByRole("link", { name: label })).toBeVisible();
  }
  await nav.getByRole("link", { name: "Timeline" }).click();
  await expect(page.getByRole("heading", { name: "Incident timeline" })).toBeVisible();
  await expect(page.getByText("Console started").first()).toBeVisible();
  await page.screenshot({ path: "screenshots/timeline.png", fullPage: true });
});

test("every page passes its own Content-Security-Policy and hydrates", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
  });
  for (const path of ["/", "/memory", "/sentinel", "/chaos", "/timeline", "/config", "/login"]) {
    const res = await page.goto(path);
    expect(res?.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(res?.headers()["x-content-type-options"]).toBe("nosniff");
    // Hydrated: the client-side nav marks the current page.
    await expect(page.locator('nav[aria-label="Main"] [aria-current="page"]').or(page.getByRole("heading", { name: "Operator login" }))).toBeVisible();
  }
  expect(violations).toEqual([]);
});
