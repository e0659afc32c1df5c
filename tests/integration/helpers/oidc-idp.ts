/**
 * A real OpenID Provider for the sign-in tests: panva's oidc-provider (OpenID Certified) on
 * loopback, with its own login and consent forms (any password), and three people: an admin in
 * `sre`, an operator in `sre-eu`, and a user in no group. Groups can be changed while it runs.
 */
import http from "node:http";
import type { Browser, Page } from "@playwright/test";
import Provider from "oidc-provider";
import { within } from "./stack";

export const PEOPLE = {
  admin: { email: "ada@example.test", name: "Ada Admin", groups: ["sre"] },
  euOperator: { email: "emil@example.test", name: "Emil Operator", groups: ["sre-eu"] },
  nobody: { email: "nora@example.test", name: "Nora Nogroup", groups: [] as string[] },
} as const;
export type Person = keyof typeof PEOPLE;

export const CLIENT_ID = "rrc";

export interface TestIdp {
  issuer: string;
  /** What the provider says `who`'s groups are from now on (the next token, a refresh included). */
  setGroups(who: Person, groups: string[]): void;
  /** Stops answering (sockets held open, nothing sent): a provider that is slow or hung. */
  hang(): void;
  stop(): Promise<void>;
}

export async function startIdp(opts: { port: number; clientSecret: string; consoleUrls: string[] }): Promise<TestIdp> {
  const issuer = `http://127.0.0.1:${opts.port}`;
  const groups: Record<string, string[]> = Object.fromEntries(Object.entries(PEOPLE).map(([k, v]) => [k, [...v.groups]]));
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: opts.clientSecret,
        redirect_uris: opts.consoleUrls.map((u) => `${u}/api/auth/oidc/callback`),
        post_logout_redirect_uris: opts.consoleUrls.map((u) => `${u}/login`),
        grant_types: ["authorization_code", "refresh_token"],
        response_types: ["code"],
      },
    ],
    scopes: ["openid", "offline_access", "profile", "email", "groups"],
    claims: { openid: ["sub"], email: ["email"], profile: ["name"], groups: ["groups"] },
    // The login form's "login" is the person's key in PEOPLE.
    findAccount: async (_ctx, id) => {
      const person = PEOPLE[id as Person];
      if (!person) return undefined;
      return { accountId: id, claims: async () => ({ sub: id, email: person.email, name: person.name, groups: groups[id] }) };
    },
    conformIdTokenClaims: false,
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed("refresh_token"),
    cookies: { keys: ["rrc-test-idp-cookie-key-0123456789"] },
    features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  });
  const sockets = new Set<import("node:net").Socket>();
  let hung = false;
  const callback = provider.callback();
  const server = http.createServer((req, res) => {
    if (hung) return; // never answers
    callback(req, res);
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => server.listen(opts.port, "127.0.0.1", resolve).once("error", reject));
  return {
    issuer,
    setGroups: (who, list) => {
      groups[who] = [...list];
    },
    hang: () => {
      hung = true;
    },
    stop: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Signs `who` in to the console at `consoleUrl` through the provider's own login and consent
 * forms, in a fresh browser context; the console's session cookie (`rrc_operator=…`).
 * `onLoginPage` sees the console's login page before the button is clicked (a screenshot).
 */
/** What the sign-ins did, step by step with how long each took: printed when a test fails on its own timeout, which names no step. */
const trail: string[] = [];
const mark = (line: string) => trail.push(`${new Date().toISOString()} ${line}`) > 200 && trail.shift();
export const signInTrail = (): string => trail.slice(-40).join("\n");

export async function signInThroughIdp(
  browser: Browser,
  consoleUrl: string,
  issuer: string,
  who: Person,
  onLoginPage?: (page: Page) => Promise<void>,
): Promise<{ cookie: string; httpOnly: boolean; page: string }> {
  // Chromium's own calls are bounded and named too: a stall in them said only "test timed out".
  const context = await within(`signing in ${who}: a new browser context`, 20_000, browser.newContext());
  try {
    const page = await within(`signing in ${who}: a new page`, 20_000, context.newPage());
    // Each step bounded and named: a sign-in that stalls says where, not only that the test ran out of time.
    const step = async <T>(what: string, p: Promise<T>): Promise<T> => {
      const began = Date.now();
      try {
        return await p;
      } catch (err) {
        throw new Error(`signing in ${who}: ${what} (at ${page.url()}): ${(err as Error).message.split("\n")[0]}`);
      } finally {
        mark(`${who}: ${what} took ${Date.now() - began} ms`);
      }
    };
    const T = { timeout: 20_000 };
    await step("the console's login page", page.goto(`${consoleUrl}/login`, { waitUntil: "domcontentloaded", ...T }));
    const button = page.getByRole("link", { name: /^Sign in with / });
    await step("the provider's button", button.waitFor(T));
    await onLoginPage?.(page);
    await step("click the provider's button", button.click(T));
    await step("the provider's page", page.waitForURL(`${issuer}/**`, T));
    await step("the provider's login field", page.locator('input[name="login"]').fill(who, T));
    await step("the provider's password field", page.locator('input[name="password"]').fill("any password", T));
    await step("the provider's Sign-in", page.getByRole("button", { name: "Sign-in" }).click(T));
    await step("the provider's Continue", page.getByRole("button", { name: "Continue" }).click(T));
    // The callback's page, then the page it sends the browser on to.
    await step(
      "back on the console",
      page.waitForURL((u) => u.origin === consoleUrl && u.pathname !== "/api/auth/oidc/callback", T),
    );
    await step("the console's page loaded", page.waitForLoadState("domcontentloaded", T));
    const session = (await context.cookies(consoleUrl)).find((c) => c.name === "rrc_operator");
    if (!session) throw new Error(`${who} has no session cookie after signing in`);
    const html = await within(`signing in ${who}: the page's HTML`, 20_000, page.content()).catch(() => "");
    return { cookie: `rrc_operator=${session.value}`, httpOnly: session.httpOnly, page: html };
  } finally {
    // Closing is clean-up, not the sign-in: Chromium once never answered a context's close after
    // a sign-in that had succeeded, and the failure took the session (and the tests after it) away.
    // A close that hangs is said in the trail and left to the browser's own close.
    await within(`signing in ${who}: closing the browser context`, 20_000, context.close()).catch((err: Error) => mark(`${who}: ${err.message}`));
  }
}
