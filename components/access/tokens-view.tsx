"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Card, SectionTitle } from "../ui/card";
import { useHydrated } from "@/components/ui/use-hydrated";

interface TokenRow {
  id: string;
  name: string;
  role: string;
  deployments: string[] | null;
  createdBy: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
}

const tokensKey = ["tokens"] as const;

async function send(method: string, url: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(5000),
  });
  const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok) throw new Error(String(json.error ?? `${url} answered ${res.status}`));
  return json;
}

/** Named API tokens (admin): mint one (shown once), see who made each and when it was last used, revoke. */
export function TokensView({ deployments }: { deployments: string[] }) {
  const hydrated = useHydrated();
  const client = useQueryClient();
  const { data, error: listError } = useQuery({ queryKey: tokensKey, queryFn: async () => (await send("GET", "/api/tokens")).tokens as TokenRow[] });
  const [minted, setMinted] = useState<{ name: string; token: string } | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function mint(form: FormData) {
    setError(null);
    try {
      const only = String(form.get("deployment") ?? "");
      const days = Number(form.get("expiresInDays") || 0);
      const body = {
        name: String(form.get("name") ?? ""),
        role: String(form.get("role")),
        ...(only ? { deployments: [only] } : {}),
        ...(days ? { expiresInDays: days } : {}),
      };
      const made = await send("POST", "/api/tokens", body);
      setMinted({ name: String(made.name), token: String(made.token) });
      await client.invalidateQueries({ queryKey: tokensKey });
    } catch (err) {
      setError((err as Error).message);
    }
  }

  async function revoke(id: string) {
    setError(null);
    try {
      await send("DELETE", `/api/tokens/${id}`);
      await client.invalidateQueries({ queryKey: tokensKey });
    } catch (err) {
      setError((err as Error).message);
    }
  }

  return (
    <div className="flex flex-col gap-6">
      <div>
        <h1 className="text-2xl font-bold tracking-tight">API tokens</h1>
        <p className="text-muted">For scripts and Prometheus: each with a role on every deployment or one. Send it as Authorization: Bearer &lt;token&gt;.</p>
      </div>
      <Card>
        <form
          className="flex flex-wrap items-end gap-3"
          onSubmit={(e) => {
            e.preventDefault();
            void mint(new FormData(e.currentTarget));
          }}
        >
          <label className="flex flex-col gap-1 text-sm">
            <span className="text-muted">Name</span>
            <input name="name" required placeholder="prometheus-scrape" className="rounded-md border border-line bg-panel-2 px-3 py-2" />
          </label>
          <label className="flex flex-col gap-1 text-sm">
            <span className="text-muted">Role</span>
            <select name="role" className="rounded-md border border-line bg-panel-2 px-3 py-2">
              <option>viewer</option>
              <option>operator</option>
              <option>admin</option>
            </select>
          </label>
          <label className="flex flex-col gap-1 text-sm">
            <span className="text-muted">Deployment</span>
            <select name="deployment" className="rounded-md border border-line bg-panel-2 px-3 py-2">
              <option value="">every deployment</option>
              {deployments.map((d) => (
                <option key={d}>{d}</option>
              ))}
            </select>
          </label>
          <label className="flex flex-col gap-1 text-sm">
            <span className="text-muted">Expires in days</span>
            <input name="expiresInDays" type="number" min={1} placeholder="never" className="w-28 rounded-md border border-line bg-panel-2 px-3 py-2" />
          </label>
          <button type="submit" disabled={!hydrated} className="rounded-md bg-accent px-4 py-2 font-semibold text-bg disabled:opacity-60">
            Create token
          </button>
        </form>
        {minted && (
          <p role="status" className="mt-4 rounded-md bg-ok/15 px-3 py-2 text-sm">
            {minted.name}: <code className="font-mono break-all">{minted.token}</code> — copy it now, it is not shown again.
          </p>
        )}
        {(error ?? listError) && (
          <p role="alert" className="mt-4 rounded-md bg-unavailable/15 px-3 py-2 text-sm text-unavailable">
            {error ?? (listError as Error).message}
          </p>
        )}
      </Card>
      <section aria-label="Tokens">
        <SectionTitle>Live tokens</SectionTitle>
        <table className="w-full text-left text-sm">
          <thead className="text-muted">
            <tr>
              <th className="py-2">Name</th>
              <th>Role</th>
              <th>Deployments</th>
              <th>Created by</th>
              <th>Expires</th>
              <th>Last use</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {(data ?? []).map((t) => (
              <tr key={t.id} className="border-t border-line">
                <td className="py-2 font-mono">{t.name}</td>
                <td>{t.role}</td>
                <td>{t.deployments?.join(", ") ?? "every deployment"}</td>
                <td>{t.createdBy}</td>
                <td>{t.expiresAt?.slice(0, 10) ?? "never"}</td>
                <td>{t.lastUsedAt?.replace("T", " ").slice(0, 19) ?? "never"}</td>
                <td>
                  <button type="button" onClick={() => void revoke(t.id)} className="text-unavailable hover:underline">
                    Revoke
                  </button>
                </td>
              </tr>
            ))}
            {data?.length === 0 && (
              <tr>
                <td colSpan={7} className="py-3 text-muted">
                  No tokens yet.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </section>
    </div>
  );
}
