import { expect, test } from "@playwright/test";
import { controlApi } from "./devstack";
import { loginAsOperator } from "./operator";

const MODES = { L1: "fail-closed", L2: "hide-degradation", L3: "fail-open", CP: "lie-in-health" } as const;
const IDS = Object.keys(MODES) as (keyof typeof MODES)[];

test.afterEach(async () => {
  // Whatever happened, the layers keep their contract again and Redis is back.
  await controlApi("POST", "/reset");
});

test("an SRE breaks the layers' contract on purpose, watches the console say so, resets, and watches it recover", async ({ page }) => {
  await page.goto("/");
  for (const id of IDS) await expect(page.getByTestId(`layer-${id}-status`)).toHaveAttribute("data-status", "ok");
  await expect(page.getByTestId("impact")).toHaveCount(0);

  // Break it: every layer misbehaves, then Redis goes away for the layers.
  for (const id of IDS) await controlApi("POST", `/layers/${id}/misbehave`, { mode: MODES[id], ttlSeconds: 120 });
  await controlApi("POST", "/proxy/cut", { ttlSeconds: 90 });

  // Watch: after the grace period each card is a violation with what was seen, and the banner says so.
  for (const id of IDS) await expect(page.getByTestId(`layer-${id}`)).toHaveAttribute("data-violation", "true");
  await expect(page.getByTestId("redis-available")).toHaveText("UNREACHABLE");
  await expect(page.getByTestId("layer-L1-verdict")).toContainText("Contract violation: L1 breaks its failure contract");
  await expect(page.getByTestId("layer-L1-verdict")).toContainText("saw gateway 500");
  await expect(page.getByTestId("layer-L3-verdict")).toContainText("saw create 201");
  await expect(page.getByTestId("layer-L3-observed")).toContainText("create 201 · read 404");
  await expect(page.getByTestId("layer-L2-verdict")).toContainText('saw health 200, status = "ok"');
  await expect(page.getByTestId("layer-CP-observed")).toContainText("health 200 status=ok · portal 503");
  const impact = page.getByTestId("impact");
  for (const id of IDS) await expect(impact).toContainText(`${id} breaks its failure contract`);
  await page.screenshot({ path: "screenshots/misbehave-violations.png", fullPage: true });
  await page.getByTestId("layer-L3").screenshot({ path: "screenshots/misbehave-card-L3.png" });

  // The timeline tells the story, with the evidence.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Timeline" }).click();
  const timeline = page.getByTestId("timeline");
  for (const id of IDS) await expect(timeline).toContainText(`${id} breaks its failure contract`);
  await expect(timeline).toContainText("saw create 201");
  await page.screenshot({ path: "screenshots/misbehave-timeline.png", fullPage: true });

  // The metric a Prometheus alert would use.
  const metrics = await (await page.request.get("/api/metrics")).text();
  for (const id of IDS) expect(metrics).toMatch(new RegExp(`^rrc_layer_contract_violation\\{[^}]*layer="${id}"[^}]*\\} 1$`, "m"));

  // Reset, and watch it recover.
  await controlApi("POST", "/reset");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Overview" }).click();
  for (const id of IDS) {
    await expect(page.getByTestId(`layer-${id}-status`)).toHaveAttribute("data-status", "ok");
    await expect(page.getByTestId(`layer-${id}`)).toHaveAttribute("data-violation", "false");
  }
  await expect(page.getByTestId("impact")).toHaveCount(0);
  await page.screenshot({ path: "screenshots/misbehave-recovered.png", fullPage: true });
  await page.goto("/timeline");
  for (const id of IDS) await expect(page.getByTestId("timeline")).toContainText(`${id} keeps its contract again`);
});

test("from the Chaos page, an outage with L3 told to fail open: the console catches it and the run refutes L3's contract", async ({ page }) => {
  await loginAsOperator(page);
  await expect(page.getByRole("button", { name: /Operator ✓/ })).toBeVisible();
  await page.goto("/chaos");
  await page.getByLabel("outage mode").selectOption("network");
  await page.getByLabel("outage misbehave").selectOption("L3");
  await page.getByLabel("outage durationSeconds").fill("5");
  await page.getByTestId("run-outage").click();
  // The Run button shows the plan first; Confirm starts the run.
  await expect(page.getByTestId("run-plan")).toBeVisible();
  await page.getByTestId("confirm-run").click();

  const panel = page.getByTestId("run-panel");
  await expect(panel).toHaveAttribute("data-ended", "true", { timeout: 120_000 });
  await expect(page.getByTestId("run-state")).toHaveText("failed");
  const refuted = page.getByTestId("run-checks").locator('tr[data-verdict="refuted"]');
  await expect(refuted).toHaveCount(1);
  await expect(refuted).toContainText("L3");
  await expect(refuted).toContainText("create 201");
  await expect(page.getByTestId("scorecard").locator('tr[data-claim="outage-contract"]')).toHaveAttribute("data-verdict", "refuted");
  await page.screenshot({ path: "screenshots/chaos-misbehave-refuted.png", fullPage: true });
});
