import { expect, test } from "@playwright/test";
import { controlApi } from "./devstack";

test.afterEach(async () => {
  // Whatever happened, leave the stack healthy for the next test.
  await controlApi("POST", "/reset");
});

test("an outage becomes an open incident on the Overview and the Timeline, with its impact and a postmortem export", async ({ page }) => {
  // An earlier spec's drill stays open until everything has been ok for the settle period (60 s):
  // an outage starting inside it would be folded into that drill. Start once it has closed.
  test.setTimeout(240_000);
  await expect.poll(async () => ((await (await page.request.get("/api/incidents")).json()) as { open: string | null }).open, { timeout: 110_000 }).toBeNull();
  await page.goto("/");
  for (const id of ["L1", "L3"]) await expect(page.getByTestId(`layer-${id}-status`)).toHaveAttribute("data-status", "ok");
  await controlApi("POST", "/proxy/cut", { ttlSeconds: 60 });
  await expect(page.getByTestId("layer-L3-status")).toHaveAttribute("data-status", "unavailable");
  const banner = page.getByTestId("open-incident");
  await expect(banner).toBeVisible();
  await expect(banner).toContainText(/open/i);
  await expect(banner).toContainText(/for \d+ s/);
  await page.screenshot({ path: "screenshots/overview-open-incident.png", fullPage: true });

  await banner.click();
  await expect(page.getByRole("heading", { name: "Incident timeline" })).toBeVisible();
  const open = page.locator('[data-testid="incident"][data-state="open"]').first();
  await expect(open).toBeVisible();
  await expect(open.getByTestId("incident-impact")).toContainText("L3 unavailable");
  await controlApi("DELETE", "/proxy/faults");
  await expect(page.locator('[data-testid="incident"][data-state="open"]').first().getByTestId("incident-impact")).toContainText(/L3 unavailable \d+\.\d s/);
  await page.screenshot({ path: "screenshots/timeline-incidents.png", fullPage: true });

  const href = await page.locator('[data-testid="incident"][data-state="open"]').first().getByTestId("incident-export-markdown").getAttribute("href");
  const md = await (await page.request.get(href!)).text();
  expect(md).toContain("## Impact per layer");
  expect(md).toMatch(/\| L3 \| unavailable \|/);

  // The filters narrow the list on the server: an outage is not a drill.
  await page.getByTestId("incident-kind").selectOption("drill");
  await expect(page.locator('[data-testid="incident"][data-drill="false"]')).toHaveCount(0);
  await page.getByTestId("incident-kind").selectOption("");
  await page.getByTestId("incident-search").fill("no such incident text");
  await expect(page.getByTestId("incident")).toHaveCount(0);
});
