/**
 * First-load JS per page, gzipped: fetch each page's HTML from the running production server,
 * take every <script src> under /_next/static, fetch it and gzip it (level 9, as Next's old
 * build output did). Sizes in kB of 1000 bytes.
 *
 * A `noModule` script (Next's legacy polyfills, about 40 kB gzip) is fetched only by browsers
 * without ES modules; Chromium, Firefox and Safari skip it, and Next's old build output left it
 * out of "First Load JS" too. It is counted apart, as `legacyKb`, not in `gzipKb`.
 */
import zlib from "node:zlib";
import { CONSOLE_URL } from "./env";
import { round } from "./stats";

export const PAGES: Record<string, string> = {
  overview: "/",
  sentinel: "/sentinel",
  memory: "/memory",
  config: "/config",
  timeline: "/timeline",
  chaos: "/chaos",
  login: "/login",
};

export interface PageJs {
  page: string;
  path: string;
  status: number;
  scripts: number;
  gzipKb: number;
  rawKb: number;
  /** The noModule scripts (gzip), which a module-capable browser never fetches. */
  legacyKb: number;
}

async function text(url: string): Promise<{ status: number; body: Buffer }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  return { status: res.status, body: Buffer.from(await res.arrayBuffer()) };
}

export async function firstLoadJs(): Promise<PageJs[]> {
  const sizes = new Map<string, { gz: number; raw: number }>();
  const out: PageJs[] = [];
  for (const [page, path] of Object.entries(PAGES)) {
    const html = await text(CONSOLE_URL + path);
    const tags = [...html.body.toString("utf8").matchAll(/<script([^>]*)\ssrc="([^"]+)"([^>]*)>/g)]
      .map((m) => ({ src: m[2], legacy: /\snomodule/i.test(`${m[1]} ${m[3]}`) }))
      .filter((t) => t.src.includes("/_next/static/"));
    const srcs = [...new Map(tags.map((t) => [t.src, t])).values()];
    let gz = 0;
    let raw = 0;
    let legacy = 0;
    for (const { src, legacy: isLegacy } of srcs) {
      if (!sizes.has(src)) {
        const chunk = await text(new URL(src.replace(/&amp;/g, "&"), CONSOLE_URL).toString());
        if (chunk.status !== 200) throw new Error(`${src} answered ${chunk.status}`);
        sizes.set(src, { gz: zlib.gzipSync(chunk.body, { level: 9 }).length, raw: chunk.body.length });
      }
      if (isLegacy) {
        legacy += sizes.get(src)!.gz;
        continue;
      }
      gz += sizes.get(src)!.gz;
      raw += sizes.get(src)!.raw;
    }
    out.push({
      page,
      path,
      status: html.status,
      scripts: srcs.length,
      gzipKb: round(gz / 1000, 1)!,
      rawKb: round(raw / 1000, 1)!,
      legacyKb: round(legacy / 1000, 1)!,
    });
  }
  return out;
}
