// One-off: screenshots of the console's pages for people to look at (not committed).
import { chromium } from "@playwright/test";
const base = process.env.BASE ?? "http://127.0.0.1:13500";
const token = process.env.TOKEN;
const out = process.env.OUT ?? "/work/shots";
const pages = (process.env.PAGES ?? "/,/chaos,/schedules,/config,/timeline").split(",");
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--headless", "--disable-gpu", "--disable-dev-shm-usage"],
});
const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
const page = await ctx.newPage();
if (token) {
  const res = await page.request.post(`${base}/api/auth/login`, { data: { token }, headers: { origin: base } });
  console.log("login", res.status());
}
for (const p of pages) {
  await page.goto(base + p, { waitUntil: "networkidle", timeout: 60000 }).catch((e) => console.log("goto", p, e.message));
  await page.waitForTimeout(2500);
  const name = (p === "/" ? "overview" : p.replace(/^\//, "").replace(/[/?=&]/g, "-")) + (process.env.SUFFIX ?? "");
  await page.screenshot({ path: `${out}/${name}.png`, fullPage: true });
  console.log("shot", name);
}
await browser.close();
