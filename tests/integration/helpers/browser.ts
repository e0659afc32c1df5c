/**
 * Debian's Chromium for integration tests that need a real page (a console started by the test
 * itself, not the e2e one), with the flags and binary of playwright.config.ts.
 */
import { chromium, type Browser } from "@playwright/test";
import config from "../../../playwright.config";

/** Launches headless Chromium; the caller closes it. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ ...(config.use?.launchOptions ?? {}), timeout: 30_000 });
}
