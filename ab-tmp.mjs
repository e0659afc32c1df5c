// A/B: first contentful paint and the old poll, same Chromium, alternating between consoles.
import { chromium } from "@playwright/test";
const urls = process.argv.slice(2);
const N = Number(process.env.N ?? 7);
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox","--headless","--disable-gpu","--disable-dev-shm-usage","--disable-background-networking","--disable-component-update","--disable-sync","--no-first-run","--disable-quic"] });
const res = Object.fromEntries(urls.map((u) => [u, { fcp: [], poll: [], ttfb: [], dcl: [] }]));
for (let i = 0; i < N; i++) for (const u of urls) {
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  const page = await ctx.newPage();
  const t0 = Date.now();
  await page.goto(u, { waitUntil: "commit" });
  await page.waitForFunction(() => { const el = document.querySelector("[data-testid=layer-L1-status]"); return !!el && el.getAttribute("data-status") && el.getAttribute("data-status") !== "unknown"; }, undefined, { polling: 10, timeout: 30000 });
  res[u].poll.push(Date.now() - t0);
  await page.waitForLoadState("load");
  const t = await page.evaluate(() => { const n = performance.getEntriesByType("navigation")[0]; return { fcp: performance.getEntriesByName("first-contentful-paint")[0]?.startTime, ttfb: n.responseStart, dcl: n.domContentLoadedEventEnd }; });
  res[u].fcp.push(Math.round(t.fcp)); res[u].ttfb.push(Math.round(t.ttfb)); res[u].dcl.push(Math.round(t.dcl));
  await ctx.close();
}
await browser.close();
const med = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
for (const u of urls) { const r = res[u]; console.log(u, "fcp", med(r.fcp), JSON.stringify(r.fcp), "poll", med(r.poll), "ttfb", med(r.ttfb), "dcl", med(r.dcl)); }
