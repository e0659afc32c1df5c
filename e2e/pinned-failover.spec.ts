import { expect, test } from "@playwright/test";
import { controlApi, devstackControl } from "./devstack";

test.afterEach(async () => {
  // Whatever happened, the pinned address is taken again from the master of now and the stack is healthy for the next test.
  await controlApi("POST", "/reset");
});

test("during a failover with the sandbox's default, pinned address the Overview says the layers write to a replica, still pointing at the old master", async ({
  page,
}) => {
  test.setTimeout(180_000);
  await page.goto("/");
  for (const id of ["L1", "L2", "L3", "CP"]) await expect(page.getByTestId(`layer-${id}-status`)).toHaveAttribute("data-status", "ok");
  await expect(page.getByTestId("replica-writes")).toHaveCount(0);

  // The sandbox's default is the platform's: the layers' address is pinned to the first master.
  expect(await devstackControl.addressing()).toMatchObject({ mode: "pinned", defaultMode: "pinned" });
  await controlApi("POST", "/sentinel/failover");
  // The old master rejoins as a replica (~10 s): the pinned layers' writes answer READONLY.
  await expect(page.getByTestId("replica-writes")).toContainText("the layers still point at the old master", { timeout: 60_000 });
  await expect(page.getByTestId("redis-available")).toHaveAttribute("data-state", "replica");
  await expect(page.getByTestId("layer-L3-replica")).toContainText("Writing to a replica");
  await expect(page.getByTestId("layer-L1-replica")).toContainText("the layers still point at the old master");
  // Writes failing is Redis failing for the layers: L1 failing open and L3 failing hard keep their contract.
  await expect(page.getByTestId("layer-L1-verdict")).toContainText("Keeps its contract");
  await expect(page.getByTestId("layer-L3-verdict")).toContainText("Keeps its contract");
  await expect(page.getByTestId("layer-L1")).toHaveAttribute("data-violation", "false");
  await page.screenshot({ path: "screenshots/overview-pinned-failover.png", fullPage: true });

  // The address is pointed at the master of now (the sandbox's "someone changed the DNS"): the line goes away.
  await controlApi("POST", "/reset");
  await expect(page.getByTestId("replica-writes")).toHaveCount(0, { timeout: 30_000 });
  for (const id of ["L1", "L2", "L3", "CP"]) await expect(page.getByTestId(`layer-${id}-status`)).toHaveAttribute("data-status", "ok");
});
