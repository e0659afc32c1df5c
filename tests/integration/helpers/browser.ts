/**
 * Debian's Chromium for integration tests that need a real page (a console started by the test
 * itself, not the e2e one), with the flags and binary of playwright.config.ts.
 */
import { chromium, type Browser, type Page } from "@playwright/test";
import config from "../../../playwright.config";

/** Launches headless Chromium; the caller closes it. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ ...(config.use?.launchOptions ?? {}), timeout: 30_000 });
}

/**
 * Keeps a screenshot for people to look at. It is not what the test asserts: a capture Chromium
 * refuses on a loaded machine ("Unable to capture screenshot") is said in the output, not failed on.
 */
export async function keepScreenshot(page: Page, path: string): Promise<void> {
  await page.screenshot({ path, fullPage: true }).catch((err: Error) => console.log(`[screenshot] ${path} not kept: ${err.message.split("\n")[0]}`));
}

/**
 * Closes the browser as clean-up: a close Chromium never answers (seen once in a loaded run, after
 * the test's own checks had passed) is said in the output after 20 s instead of failing the test.
 * Playwright's pipe to it closes when the worker exits, which ends that Chromium.
 */
export async function closeBrowser(browser: Browser): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<"hung">((resolve) => (timer = setTimeout(() => resolve("hung"), 20_000)));
  const outcome = await Promise.race([
    browser.close().then(
      () => "closed" as const,
      (err: Error) => err,
    ),
    hung,
  ]);
  clearTimeout(timer);
  if (outcome !== "closed") console.log(`[browser] closing Chromium: ${outcome === "hung" ? "no answer within 20 s" : outcome.message.split("\n")[0]}`);
}
