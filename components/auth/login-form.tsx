"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useRouter, useSearchParams } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { safeNextPath } from "@/lib/auth/next-path";
import { operatorKey, useOperator } from "./use-operator";
import { useHydrated } from "@/components/ui/use-hydrated";

/**
 * The operator login: the token, or a one-time code. `/login#code=…` (the link `npm run demo`
 * prints) logs in at once; the fragment never reaches a server log and is dropped from the URL.
 */
export function LoginForm() {
  const params = useSearchParams();
  const router = useRouter();
  const client = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const tried = useRef(false);
  const session = useOperator().data;
  const next = safeNextPath(params.get("next"), "/");
  // Set by the server: the provider could not be reached or refused, or the signed-in person lacks a role.
  const serverError = params.get("error");
  const missing = params.get("missing");

  async function login(credential: { token: string } | { code: string }) {
    setBusy(true);
    setError(null);
    try {
      const res = await fetch("/api/auth/login", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(credential),
        signal: AbortSignal.timeout(5000),
      });
      const body = await res.json().catch(() => ({}));
      if (!res.ok) throw new Error(body.error ?? `login answered ${res.status}`);
      // The server just said yes and set the cookie: read who we are now, before leaving the page.
      // The page's first session read may still be in flight, sent without the cookie: a refetch
      // would join it (React Query dedupes a fetch that has no data yet) and keep "signed out" for
      // the whole staleTime. Cancel it first, so the read that counts carries the cookie.
      await client.cancelQueries({ queryKey: operatorKey });
      await client.refetchQueries({ queryKey: operatorKey });
      router.replace(safeNextPath(params.get("next")));
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  useEffect(() => {
    const code = new URLSearchParams(window.location.hash.slice(1)).get("code");
    if (code && !tried.current) {
      tried.current = true;
      window.history.replaceState(null, "", window.location.pathname + window.location.search);
      void login({ code });
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return (
    <div className="flex max-w-md flex-col gap-4">
      {session?.oidc && (
        <section className="flex flex-col gap-3 rounded-lg border border-line bg-panel p-6">
          <h1 className="text-2xl font-bold">Sign in</h1>
          {session.signedIn && (
            <p className="text-sm text-muted">
              Signed in as {session.actor}
              {session.grants.length === 0 ? ": no role on any deployment. Ask to be added to a group the console maps to a role." : "."}
            </p>
          )}
          {missing && (
            <p role="alert" className="rounded-md bg-degraded/15 px-3 py-2 text-sm text-degraded">
              {missing}
            </p>
          )}
          {serverError && (
            <p role="alert" className="rounded-md bg-unavailable/15 px-3 py-2 text-sm text-unavailable">
              {serverError}
            </p>
          )}
          <a href={`/api/auth/oidc/login?next=${encodeURIComponent(next)}`} className="rounded-md bg-accent px-4 py-2 text-center font-semibold text-bg">
            Sign in with {session.oidc.name}
          </a>
        </section>
      )}
      {!session?.oidc && (missing || serverError) && (
        <p role="alert" className="rounded-md bg-unavailable/15 px-3 py-2 text-sm text-unavailable">
          {missing ?? serverError}
        </p>
      )}
      {(!session || session.loginEnabled) && <TokenForm busy={busy} error={error} breakGlass={!!session?.oidc} onToken={(token) => void login({ token })} />}
    </div>
  );
}

/** The operator token (OPERATOR_TOKEN): the demo's login, and the break-glass admin once people sign in through a provider. */
function TokenForm({ busy, error, breakGlass, onToken }: { busy: boolean; error: string | null; breakGlass: boolean; onToken: (token: string) => void }) {
  const hydrated = useHydrated();
  return (
    <form
      className="flex max-w-md flex-col gap-3 rounded-lg border border-line bg-panel p-6"
      onSubmit={(e) => {
        e.preventDefault();
        onToken(String(new FormData(e.currentTarget).get("token") ?? ""));
      }}
    >
      {breakGlass ? <h2 className="text-lg font-semibold">Break-glass: operator token</h2> : <h1 className="text-2xl font-bold">Operator login</h1>}
      <p className="text-muted">
        {breakGlass
          ? "For when the identity provider is down: the OPERATOR_TOKEN signs in as admin."
          : "Chaos runs need the operator token (OPERATOR_TOKEN), or the one-time login link `npm run demo` prints."}
      </p>
      <label className="flex flex-col gap-1">
        <span className="text-sm text-muted">Operator token</span>
        <input
          name="token"
          type="password"
          autoComplete="current-password"
          required
          className="rounded-md border border-line bg-panel-2 px-3 py-2 font-mono text-text outline-none focus:border-accent"
        />
      </label>
      {error && (
        <p role="alert" className="rounded-md bg-unavailable/15 px-3 py-2 text-sm text-unavailable">
          {error}
        </p>
      )}
      <button type="submit" disabled={busy || !hydrated} className="rounded-md bg-accent px-4 py-2 font-semibold text-bg disabled:opacity-60">
        {busy ? "Logging in…" : "Log in"}
      </button>
    </form>
  );
}
