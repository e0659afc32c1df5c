"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Card, SectionTitle } from "../ui/card";
import { useHydrated } from "@/components/ui/use-hydrated";
import { ErrorLine, RevocableTable, send, ShownOnce, when, type Column } from "./credentials";

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

const COLUMNS: Column<TokenRow>[] = [
  { header: "Name", cell: (t) => t.name, mono: true },
  { header: "Role", cell: (t) => t.role },
  { header: "Deployments", cell: (t) => t.deployments?.join(", ") ?? "every deployment" },
  { header: "Created by", cell: (t) => t.createdBy },
  { header: "Expires", cell: (t) => t.expiresAt?.slice(0, 10) ?? "never" },
  { header: "Last use", cell: (t) => when(t.lastUsedAt) },
];

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
        {minted && <ShownOnce label={minted.name} secret={minted.token} />}
        <ErrorLine message={error ?? (listError as Error | null)?.message} />
      </Card>
      <section aria-label="Tokens">
        <SectionTitle>Live tokens</SectionTitle>
        <RevocableTable rows={data} columns={COLUMNS} empty="No tokens yet." onRevoke={(id) => void revoke(id)} />
      </section>
    </div>
  );
}
