"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useRouter, useSearchParams } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { safeNextPath } from "@/lib/auth/next-path";
import { operatorKey } from "./use-operator";

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
    <form
      className="flex max-w-md flex-col gap-3 rounded-lg border border-line bg-panel p-6"
      onSubmit={(e) => {
        e.preventDefault();
        void login({ token: String(new FormData(e.currentTarget).get("token") ?? "") });
      }}
    >
      <h1 className="text-2xl font-bold">Operator login</h1>
      <p className="text-muted">Chaos runs need the operator token (OPERATOR_TOKEN), or the one-time login link `npm run demo` prints.</p>
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
      <button type="submit" disabled={busy} className="rounded-md bg-accent px-4 py-2 font-semibold text-bg disabled:opacity-60">
        {busy ? "Logging in…" : "Log in"}
      </button>
    </form>
  );
}
