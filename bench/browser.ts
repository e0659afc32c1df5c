/**
 * Time until the first data is on screen in Chromium: a fresh context navigates to / and waits
 * until L1's status is something other than "unknown". Debian's /usr/bin/chromium with the flags
 * of playwright.config.ts; never a downloaded browser.
 */
import { chromium } from "@playwright/test";
import config from "../playwright.config";
import { CONSOLE_URL } from "./env";
import { median, round } from "./stats";

export interface BrowserResult {
  runs: number;
  firstDataMs: number[];
  firstDataMedianMs: number | null;
  firstContentfulPaintMedianMs: number | null;
}

export async function timeToFirstData(runs = 5): Promise<BrowserResult> {
  const launch = config.use?.launchOptions ?? {};
  const browser = await chromium.launch({ ...launch, timeout: 30_000 });
  const firstData: number[] = [];
  const fcp: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
      const page = await context.newPage();
      const t0 = Date.now();
      await page.goto(CONSOLE_URL + "/", { waitUntil: "commit", timeout: 30_000 });
      await page.waitForFunction(
        () => {
          const el = document.querySelector("[data-testid=layer-L1-status]");
          return !!el && el.getAttribute("data-status") !== null && el.getAttribute("data-status") !== "unknown";
        },
        undefined,
        { timeout: 30_000, polling: 10 },
      );
      firstData.push(Date.now() - t0);
      const paint = await page.evaluate(() => performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? null);
      if (paint !== null) fcp.push(paint);
      await context.close();
    }
  } finally {
    await browser.close();
  }
  return { runs, firstDataMs: firstData, firstDataMedianMs: round(median(firstData), 0), firstContentfulPaintMedianMs: round(median(fcp), 0) };
}
