"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Card, SectionTitle } from "../ui/card";
import { useHydrated } from "@/components/ui/use-hydrated";

interface LinkRow {
  id: string;
  deployment: string;
  createdBy: string;
  createdAt: string;
  expiresAt: string;
  sessions: number;
  maxSessions: number;
  lastUsedAt: string | null;
}

const linksKey = ["viewer-links"] as const;
const when = (iso: string | null) => iso?.replace("T", " ").slice(0, 19) ?? "never";

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

/** Tenant-facing viewer links (operator of a deployment): make one for a deployment (its address shown once), see who opened it, revoke. */
export function ViewerLinksView({ deployments }: { deployments: string[] }) {
  const hydrated = useHydrated();
  const client = useQueryClient();
  const { data, error: listError } = useQuery({
    queryKey: linksKey,
    queryFn: async () => (await send("GET", "/api/present/links")).links as LinkRow[],
    refetchInterval: 10_000,
  });
  const [made, setMade] = useState<{ deployment: string; url: string } | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function make(form: FormData) {
    setError(null);
    try {
      const hours = Number(form.get("hours") || 0);
      const link = await send("POST", "/api/present/links", { deployment: String(form.get("deployment")), ...(hours ? { hours } : {}) });
      setMade({ deployment: String(link.deployment), url: `${window.location.origin}${String(link.path)}` });
      await client.invalidateQueries({ queryKey: linksKey });
    } catch (err) {
      setError((err as Error).message);
    }
  }

  async function revoke(id: string) {
    setError(null);
    try {
      await send("DELETE", `/api/present/links/${id}`);
      await client.invalidateQueries({ queryKey: linksKey });
    } catch (err) {
      setError((err as Error).message);
    }
  }

  return (
    <div className="flex flex-col gap-6">
      <div>
        <h1 className="text-2xl font-bold tracking-tight">Viewer links</h1>
        <p className="text-muted">
          For tenants: each link shows one deployment, read-only, with addresses, ports and key names removed by the server. It expires, opens a limited number
          of sessions, and revoking it ends them at once.
        </p>
      </div>
      <Card>
        <form
          className="flex flex-wrap items-end gap-3"
          onSubmit={(e) => {
            e.preventDefault();
            void make(new FormData(e.currentTarget));
          }}
        >
          <label className="flex flex-col gap-1 text-sm">
            <span className="text-muted">Deployment</span>
            <select name="deployment" className="rounded-md border border-line bg-panel-2 px-3 py-2">
              {deployments.map((d) => (
                <option key={d}>{d}</option>
              ))}
            </select>
          </label>
          <label className="flex flex-col gap-1 text-sm">
            <span className="text-muted">Expires in hours</span>
            <input name="hours" type="number" min={1} max={72} placeholder="8" className="w-28 rounded-md border border-line bg-panel-2 px-3 py-2" />
          </label>
          <button type="submit" disabled={!hydrated} className="rounded-md bg-accent px-4 py-2 font-semibold text-bg disabled:opacity-60">
            Create link
          </button>
        </form>
        {made && (
          <p role="status" className="mt-4 rounded-md bg-ok/15 px-3 py-2 text-sm">
            Link for {made.deployment}: <code className="font-mono break-all">{made.url}</code> — copy it now, it is not shown again.
          </p>
        )}
        {(error ?? listError) && (
          <p role="alert" className="mt-4 rounded-md bg-unavailable/15 px-3 py-2 text-sm text-unavailable">
            {error ?? (listError as Error).message}
          </p>
        )}
      </Card>
      <section aria-label="Viewer links">
        <SectionTitle>Active links</SectionTitle>
        <table className="w-full text-left text-sm">
          <thead className="text-muted">
            <tr>
              <th className="py-2">Link</th>
              <th>Deployment</th>
              <th>Created by</th>
              <th>Created</th>
              <th>Expires</th>
              <th>Sessions</th>
              <th>Last use</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {(data ?? []).map((l) => (
              <tr key={l.id} className="border-t border-line">
                <td className="py-2 font-mono">{l.id}</td>
                <td>{l.deployment}</td>
                <td>{l.createdBy}</td>
                <td>{when(l.createdAt)}</td>
                <td>{when(l.expiresAt)}</td>
                <td>
                  {l.sessions} / {l.maxSessions}
                </td>
                <td>{when(l.lastUsedAt)}</td>
                <td>
                  <button type="button" onClick={() => void revoke(l.id)} className="text-unavailable hover:underline">
                    Revoke
                  </button>
                </td>
              </tr>
            ))}
            {data?.length === 0 && (
              <tr>
                <td colSpan={8} className="py-3 text-muted">
                  No active links.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </section>
    </div>
  );
}
