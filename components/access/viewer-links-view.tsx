"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Card, SectionTitle } from "../ui/card";
import { useHydrated } from "@/components/ui/use-hydrated";
import { ErrorLine, RevocableTable, send, ShownOnce, when, type Column } from "./credentials";

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

const COLUMNS: Column<LinkRow>[] = [
  { header: "Link", cell: (l) => l.id, mono: true },
  { header: "Deployment", cell: (l) => l.deployment },
  { header: "Created by", cell: (l) => l.createdBy },
  { header: "Created", cell: (l) => when(l.createdAt) },
  { header: "Expires", cell: (l) => when(l.expiresAt) },
  { header: "Sessions", cell: (l) => `${l.sessions} / ${l.maxSessions}` },
  { header: "Last use", cell: (l) => when(l.lastUsedAt) },
];

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
        {made && <ShownOnce label={`Link for ${made.deployment}`} secret={made.url} />}
        <ErrorLine message={error ?? (listError as Error | null)?.message} />
      </Card>
      <section aria-label="Viewer links">
        <SectionTitle>Active links</SectionTitle>
        <RevocableTable rows={data} columns={COLUMNS} empty="No active links." onRevoke={(id) => void revoke(id)} />
      </section>
    </div>
  );
}
