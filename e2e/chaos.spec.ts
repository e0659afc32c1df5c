import { expect, test } from "@playwright/test";
import { controlApi } from "./devstack";
import { loginAsOperator } from "./operator";

test.afterEach(async () => {
  await controlApi("POST", "/reset");
});

test("an operator logs in, runs the outage scenario from the Chaos page, and reads the verdict", async ({ page }) => {
  await page.goto("/chaos");
  await expect(page.getByTestId("run-outage")).toBeDisabled();
  await expect(page.getByText("operator login required").first()).toBeVisible();

  await loginAsOperator(page);
  await expect(page).toHaveURL(/\/chaos$/);
  await expect(page.getByRole("button", { name: /Operator ✓/ })).toBeVisible();
  await expect(page.getByTestId("run-outage")).toBeEnabled();

  await page.getByLabel("outage mode").selectOption("network");
  await page.getByLabel("outage durationSeconds").fill("6");
  await page.getByTestId("run-outage").click();
  // The Run button shows the plan first; Confirm starts the run.
  await expect(page.getByTestId("run-plan")).toBeVisible();
  await page.getByTestId("confirm-run").click();

  const panel = page.getByTestId("run-panel");
  await expect(panel).toBeVisible();
  await expect(panel.locator('[data-state="running"]').first()).toBeVisible();
  // The layers change while the run holds the outage.
  await expect(page.getByTestId("chaos-layer-L3")).toHaveAttribute("data-status", "unavailable");
  await expect(page.getByTestId("chaos-layer-L1")).toHaveAttribute("data-status", "degraded");
  await page.screenshot({ path: "screenshots/chaos-running.png", fullPage: true });

  await expect(panel).toHaveAttribute("data-ended", "true", { timeout: 90_000 });
  await expect(page.getByTestId("run-state")).toHaveText("passed");
  await expect(page.getByTestId("run-checks").locator('tr[data-verdict="held"]')).toHaveCount(8);
  await expect(page.getByTestId("run-tally")).toHaveText("8/8 held");
  await expect(page.getByTestId("chaos-layer-L3")).toHaveAttribute("data-status", "ok");
  await expect(page.getByTestId("scorecard").locator('tr[data-claim="outage-contract"]')).toHaveAttribute("data-verdict", "held");
  await expect(page.getByRole("region", { name: "Recent runs" }).getByText("passed · 8/8 held").first()).toBeVisible();
  await page.screenshot({ path: "screenshots/chaos-verdict.png", fullPage: true });

  // The Overview carries the verdicts too: the two claims this run measured now hold.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Overview" }).click();
  await expect(page.getByTestId("claims-summary")).toContainText("✓ 2 held");
});

test("a check that was not exercised shows as such on the run, in the history, the scorecard and the Overview", async ({ page }) => {
  await loginAsOperator(page);
  await expect(page.getByRole("button", { name: /Operator ✓/ })).toBeVisible();
  await page.goto("/chaos");
  await page.getByLabel("data-integrity mode").selectOption("restart");
  await page.getByTestId("run-data-integrity").click();
  // The Run button shows the plan first; Confirm starts the run.
  await expect(page.getByTestId("run-plan")).toBeVisible();
  await page.getByTestId("confirm-run").click();

  const panel = page.getByTestId("run-panel");
  await expect(panel).toHaveAttribute("data-ended", "true", { timeout: 90_000 });
  // A plain sandbox kills a process, not a machine: the 1 s RPO is not exercised, so the run does not pass.
  await expect(page.getByTestId("run-state")).toHaveText("failed");
  await expect(page.getByTestId("run-tally")).toHaveText("1/2 held, 1 not exercised");
  await expect(page.getByTestId("run-checks").locator('tr[data-verdict="not-exercised"]')).toContainText("page cache");
  await expect(page.getByTestId("run-checks").locator('tr[data-verdict="held"]')).toContainText("none of");
  await expect(page.getByTestId("scorecard").locator('tr[data-claim="rpo-1s"]')).toHaveAttribute("data-verdict", "not-exercised");
  await expect(page.getByTestId("scorecard").locator('tr[data-claim="crash-no-loss"]')).toHaveAttribute("data-verdict", "held");
  await expect(page.getByRole("region", { name: "Recent runs" }).getByText("failed · 1/2 held, 1 not exercised").first()).toBeVisible();
  await page.screenshot({ path: "screenshots/chaos-not-exercised.png", fullPage: true });

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Overview" }).click();
  await expect(page.getByTestId("claims-summary")).toContainText("1 not exercised");
});
