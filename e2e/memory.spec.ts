import { expect, test, type Page } from "@playwright/test";
import { controlApi } from "./devstack";

test.afterEach(async () => {
  await controlApi("POST", "/reset");
});

/** The text of every script the page loaded, to see which pages carry the charting library. */
function collectScripts(page: Page): string[] {
  const bodies: string[] = [];
  page.on("response", async (res) => {
    if (res.request().resourceType() === "script") bodies.push(await res.text().catch(() => ""));
  });
  return bodies;
}

test("an SRE watches memory fill up: used % rises, the 80 % rule fires, charts and key classes show it", async ({ page }) => {
  const scripts = collectScripts(page);
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  await page.waitForLoadState("networkidle");
  // recharts is loaded by the Memory page only, never in the Overview's JS.
  const onOverview = scripts.length;
  expect(onOverview).toBeGreaterThan(0);
  expect(scripts.some((s) => s.includes("recharts-surface"))).toBe(false);

  await page.goto("/memory?range=5m");
  await expect(page.getByRole("heading", { name: "Memory", exact: true })).toBeVisible();
  await expect(page.getByTestId("range-5m")).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByTestId("chart-memory-redis-a").locator("svg.recharts-surface")).toBeVisible();
  await expect.poll(() => scripts.slice(onOverview).some((s) => s.includes("recharts-surface"))).toBe(true);
  await expect(page.getByTestId("rule-redis_memory_used_ratio")).toHaveAttribute("data-firing", "false");

  await controlApi("POST", "/workloads/traffic/start", { rps: 30 });
  await controlApi("POST", "/memory/fill", { targetPercent: 90, ttlSeconds: 300 });
  await expect
    .poll(async () => Number(await page.getByTestId("memory-node-redis-a").getAttribute("data-used-ratio")), { timeout: 60_000 })
    .toBeGreaterThan(0.85);
  await expect(page.getByTestId("rule-redis_memory_used_ratio")).toHaveAttribute("data-firing", "true");
  await expect(page.getByTestId("rule-redis_memory_used_ratio")).toContainText("firing");
  // The sampler finds the filler within a few passes and estimates its memory.
  await expect(page.getByTestId("key-class-filler")).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId("key-class-filler")).toContainText("MB");
  await expect(page.getByTestId("chart-memory-redis-a")).toContainText("used_memory");

  await page.getByTestId("range-15m").click();
  await expect(page).toHaveURL(/range=15m/);
  await expect(page.getByTestId("range-15m")).toHaveAttribute("aria-pressed", "true");
  // The charts show the fill once a history refresh carries it: wait for that answer, not a clock.
  const filledHistory = page.waitForResponse(
    async (res) => {
      if (!res.url().includes("/api/history")) return false;
      const body = (await res.json().catch(() => null)) as { nodes?: Record<string, { usedMemory: number | null; maxmemory: number | null }[]> } | null;
      return Object.values(body?.nodes ?? {}).some((points) => points.some((p) => p.usedMemory !== null && !!p.maxmemory && p.usedMemory / p.maxmemory > 0.85));
    },
    { timeout: 30_000 },
  );
  await page.getByTestId("range-5m").click();
  await expect(page).toHaveURL(/range=5m/);
  await filledHistory;
  await expect(page.getByTestId("chart-memory-redis-a").locator("svg.recharts-surface")).toBeVisible();
  await page.screenshot({ path: "screenshots/memory.png", fullPage: true });

  // Presentation mode: namespaces stay, key names go.
  await page.goto("/memory?range=5m&present=1");
  await expect(page.getByTestId("key-class-filler")).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId("key-classes")).not.toContainText("chaos:filler:");
  await expect(page.getByTestId("key-classes").getByRole("columnheader", { name: "Sampled keys" })).toHaveCount(0);
});

test("the Config page shows each node's settings against the guide's production column", async ({ page }) => {
  await page.goto("/config");
  await expect(page.getByRole("heading", { name: "Config", exact: true })).toBeVisible();
  const nodes = page.getByTestId("config-nodes");
  await expect(nodes.getByTestId("setting-appendonly-redis-a")).toHaveAttribute("data-status", "ok");
  await expect(nodes.getByTestId("setting-appendonly-redis-b")).toHaveAttribute("data-status", "ok");
  await expect(nodes.getByTestId("setting-maxmemory-redis-a")).toHaveAttribute("data-status", "drift");
  await expect(nodes.getByTestId("setting-maxmemory-redis-a")).toContainText("64mb");
  await expect(nodes.getByTestId("setting-min-replicas-to-write-redis-a")).toHaveAttribute("data-status", "recommendation");
  await expect(nodes.getByTestId("setting-min-replicas-to-write")).toContainText("Acknowledged writes can be lost on failover");
  await expect(nodes.getByTestId("setting-tcp-keepalive")).toContainText("Detect dead connections faster");
  await expect(nodes.getByTestId("setting-requirepass-redis-a")).toHaveText(/set/);
  await expect(page.getByTestId("config-sentinels").getByTestId("setting-quorum-sentinel-1")).toHaveAttribute("data-status", "ok");
  await expect(page.getByTestId("config-summary")).toContainText("maxmemory");
  await page.screenshot({ path: "screenshots/config.png", fullPage: true });
});
