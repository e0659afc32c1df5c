/** Why the console counts as reachable from elsewhere (empty: loopback only). Pure: proxy.ts, the fast path and the guard share it. */
export function exposureReasons(env: { listenHost?: string; allowedHosts?: string; trustProxy?: string; oidc: boolean }): string[] {
  const reasons: string[] = [];
  const host = (env.listenHost ?? "127.0.0.1").trim().toLowerCase();
  if (!["127.0.0.1", "localhost", "::1", "[::1]"].includes(host)) reasons.push(`it listens on ${host}`);
  if ((env.allowedHosts ?? "").trim()) reasons.push("CONSOLE_ALLOWED_HOSTS is set");
  if (env.trustProxy === "1") reasons.push("TRUST_PROXY=1");
  if (env.oidc) reasons.push("auth.oidc is configured");
  return reasons;
}
