/**
 * Time until the first data is on screen in Chromium: a fresh context navigates to / and L1's
 * status, other than "unknown", is painted. The paint is the browser's own record (the Element
 * Timing API: the badge carries `elementtiming` once its status is known), from navigation start.
 * The harness's own poll of the page is kept beside it: it runs on the page's main thread, so it
 * sees the status only once the first-load JS has run and the page is interactive. Debian's
 * /usr/bin/chromium with the flags of playwright.config.ts; never a downloaded browser. Each run
 * also says where its time went: the HTML's first byte (the server rendering the page),
 * DOMContentLoaded (the first-load JS fetched and run) and whether the server's HTML already
 * carried L1's status.
 */
import { chromium, type Page } from "@playwright/test";
import config from "../playwright.config";
import { CONSOLE_URL } from "./env";
import { median, round } from "./stats";

export interface BrowserResult {
  runs: number;
  /** Navigation start → L1's known status painted (Element Timing), per run. */
  firstDataMs: number[];
  /** Navigation → the harness's poll, on the page's main thread, first saw L1's known status. */
  polledMs: number[];
  firstDataMedianMs: number | null;
  firstContentfulPaintMedianMs: number | null;
  /** Navigation start → the HTML's first byte, per run. */
  htmlFirstByteMs: number[];
  /** Navigation start → DOMContentLoaded, per run. */
  domContentLoadedMs: number[];
  /** Runs whose server-rendered HTML already showed L1's status (first data then needs no JS). */
  statusInHtml: number;
}

export async function timeToFirstData(runs = 5): Promise<BrowserResult> {
  const launch = config.use?.launchOptions ?? {};
  const browser = await chromium.launch({ ...launch, timeout: 30_000 });
  const firstData: number[] = [];
  const polled: number[] = [];
  const fcp: number[] = [];
  const firstByte: number[] = [];
  const dcl: number[] = [];
  let statusInHtml = 0;
  try {
    for (let i = 0; i < runs; i++) {
      const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
      const page = await context.newPage();
      let html = "";
      page.on("response", (r) => {
        if (r.request().isNavigationRequest())
          void r.text().then(
            (t) => (html = t),
            () => {},
          );
      });
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
      polled.push(Date.now() - t0);
      // A status first painted "unknown" and filled in by the page's scripts may have no entry: the poll's time then.
      firstData.push((await statusPaintedAt(page)) ?? polled.at(-1)!);
      await page.waitForLoadState("domcontentloaded");
      const timing = await page.evaluate(() => {
        const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming | undefined;
        return {
          paint: performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? null,
          firstByte: nav ? nav.responseStart : null,
          dcl: nav ? nav.domContentLoadedEventEnd : null,
        };
      });
      if (timing.paint !== null) fcp.push(timing.paint);
      if (timing.firstByte !== null) firstByte.push(Math.round(timing.firstByte));
      if (timing.dcl !== null) dcl.push(Math.round(timing.dcl));
      if (
        /data-testid="layer-L1-status"[^>]*data-status="(ok|degraded|unavailable)"|data-status="(ok|degraded|unavailable)"[^>]*data-testid="layer-L1-status"/.test(
          html,
        )
      )
        statusInHtml++;
      await context.close();
    }
  } finally {
    await browser.close();
  }
  return {
    runs,
    firstDataMs: firstData,
    polledMs: polled,
    firstDataMedianMs: round(median(firstData), 0),
    firstContentfulPaintMedianMs: round(median(fcp), 0),
    htmlFirstByteMs: firstByte,
    domContentLoadedMs: dcl,
    statusInHtml,
  };
}

/** When L1's known status was first painted, from navigation start (its Element Timing entry). */
function statusPaintedAt(page: Page): Promise<number | null> {
  return page.evaluate(
    () =>
      new Promise<number | null>((resolve) => {
        const timer = setTimeout(() => resolve(null), 2000);
        new PerformanceObserver((list, observer) => {
          const e = list.getEntries().find((x) => (x as PerformanceEntry & { identifier?: string }).identifier === "layer-L1-status") as
            (PerformanceEntry & { renderTime: number; loadTime: number }) | undefined;
          if (!e) return;
          clearTimeout(timer);
          observer.disconnect();
          resolve(Math.round(e.renderTime || e.loadTime));
        }).observe({ type: "element", buffered: true });
      }),
  );
}
