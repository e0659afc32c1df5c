import "server-only";
/**
 * The team's OIDC provider (auth.oidc), through openid-client: its metadata discovered once and
 * kept for an hour, every call bounded by auth.oidc.timeoutMs so a provider that is down or slow
 * never holds a request (the login page says so instead). A provider on plain http is allowed
 * only on loopback (a test's or a developer's).
 */
import * as oidc from "openid-client";
import { resolveSecret } from "../config/load";
import type { OidcConfig } from "../config/auth-schema";
import { authConfig } from "./auth-settings";

const KEEP_MS = 3600_000;
const g = globalThis as typeof globalThis & { __rrcOidc?: { config: oidc.Configuration; at: number } };

export class ProviderUnavailable extends Error {}

export function oidcSettings(): OidcConfig {
  const c = authConfig().oidc;
  if (!c) throw new ProviderUnavailable("sign-in through an identity provider is not configured (auth.oidc)");
  return c;
}

function loopback(url: URL): boolean {
  return ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
}

/** The provider's configuration; throws ProviderUnavailable with a message a person can act on. */
export async function providerConfig(): Promise<oidc.Configuration> {
  const cached = g.__rrcOidc;
  if (cached && Date.now() - cached.at < KEEP_MS) return cached.config;
  const c = oidcSettings();
  const issuer = new URL(c.issuer);
  const secret = resolveSecret(c.clientSecret, "auth.oidc.clientSecret");
  try {
    const config = await oidc.discovery(issuer, c.clientId, undefined, secret ? oidc.ClientSecretBasic(secret) : oidc.None(), {
      timeout: c.timeoutMs / 1000,
      execute: issuer.protocol === "http:" && loopback(issuer) ? [oidc.allowInsecureRequests] : [],
    });
    config.timeout = c.timeoutMs / 1000;
    g.__rrcOidc = { config, at: Date.now() };
    return config;
  } catch (err) {
    throw new ProviderUnavailable(`the identity provider ${c.name} (${issuer.origin}) did not answer: ${describe(err)}`);
  }
}

/** One line about a failed provider call, without anything secret (openid-client's messages name no token). */
export function describe(err: unknown): string {
  const e = err as Error & { code?: unknown; cause?: { name?: string; code?: unknown; message?: string }; error?: unknown };
  const timedOut = e.code === "OAUTH_TIMEOUT" || e.name === "TimeoutError" || e.cause?.name === "TimeoutError";
  if (timedOut) return `no answer within ${oidcSettings().timeoutMs} ms`;
  if (typeof e.error === "string") return `it refused: ${e.error}`;
  const code = typeof e.cause?.code === "string" ? e.cause.code : typeof e.code === "string" ? e.code : null;
  return String(code ?? e.message ?? "unknown error").slice(0, 200);
}
