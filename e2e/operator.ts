import type { Page } from "@playwright/test";
import { E2E } from "./env";

/** Logs the page in the way `npm run demo`'s link does: a one-time code in the URL fragment, never the token. */
export async function loginAsOperator(page: Page, baseURL = E2E.baseURL): Promise<void> {
  const res = await fetch(`${baseURL}/api/auth/codes`, {
    method: "POST",
    headers: { authorization: `Bearer ${E2E.operatorToken}` },
    signal: AbortSignal.timeout(10_000),
  });
  if (res.status !== 201) throw new Error(`POST /api/auth/codes answered ${res.status}: ${await res.text()}`);
  const { loginPath } = (await res.json()) as { loginPath: string };
  await page.goto(loginPath);
}
