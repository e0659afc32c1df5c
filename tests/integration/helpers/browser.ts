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
