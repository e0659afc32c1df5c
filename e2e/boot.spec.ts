import { expect, test } from "@playwright/test";

// Named to run first: what a new user sees right after `npm run demo`, before any other spec breaks something.
test("after a fresh demo the Timeline has one start event and no incident", async ({ page, request }) => {
  // The console's first looks are over once every node and layer answered once.
  await expect.poll(async () => (await (await request.get("/api/snapshot")).json()).warmingUp ?? false).toBe(false);
  await page.goto("/timeline");
  await expect(page.getByRole("heading", { name: "Incident timeline" })).toBeVisible();
  await expect(page.getByTestId("timeline").getByText(/^Console started, watching /)).toHaveCount(1);
  await expect(page.getByTestId("incidents")).toContainText("No incident yet.");
  await expect(page.getByTestId("incident")).toHaveCount(0);
  const { incidents } = await (await request.get("/api/incidents")).json();
  expect(incidents).toEqual([]);
  const events: { kind: string; severity: string; title: string }[] = (await (await request.get("/api/timeline")).json()).events;
  expect(events.filter((e) => e.kind === "alert" || e.severity === "page")).toEqual([]);
  await page.screenshot({ path: "screenshots/timeline-fresh-demo.png", fullPage: true });
});
