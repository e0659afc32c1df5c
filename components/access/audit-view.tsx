"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { ListedAuditEntry } from "@/lib/store/audit-repo";
import { SectionTitle } from "../ui/card";

/** The server's own type (a type-only import: erased in the bundle). */
type AuditRow = ListedAuditEntry;

/** The audit trail (admin): who did what, where, with what outcome; filtered, exported as jsonl. */
export function AuditView() {
  const [filter, setFilter] = useState({ actor: "", action: "", deployment: "" });
  const query = new URLSearchParams(Object.entries(filter).filter(([, v]) => v));
  const { data, error } = useQuery({
    queryKey: ["audit", query.toString()],
    queryFn: async () => {
      const res = await fetch(`/api/audit?${query}`, { cache: "no-store", signal: AbortSignal.timeout(5000) });
      const body = await res.json();
      if (!res.ok) throw new Error(body.error ?? `the audit trail answered ${res.status}`);
      return body.entries as AuditRow[];
    },
    refetchInterval: 5000,
  });
  return (
    <div className="flex flex-col gap-6">
      <div>
        <h1 className="text-2xl font-bold tracking-tight">Audit trail</h1>
        <p className="text-muted">Append-only; each entry carries the SHA-256 of the one before (npm run audit -- verify checks the chain).</p>
      </div>
      <div className="flex flex-wrap items-end gap-3 text-sm">
        {(["actor", "action", "deployment"] as const).map((k) => (
          <label key={k} className="flex flex-col gap-1">
            <span className="text-muted">{k}</span>
            <input
              value={filter[k]}
              onChange={(e) => setFilter({ ...filter, [k]: e.target.value })}
              className="rounded-md border border-line bg-panel-2 px-3 py-2"
            />
          </label>
        ))}
        <a href={`/api/audit?${query}${query.size ? "&" : ""}format=jsonl`} className="rounded-md px-3 py-2 text-accent ring-1 ring-accent/40">
          Export jsonl
        </a>
      </div>
      {error && (
        <p role="alert" className="rounded-md bg-unavailable/15 px-3 py-2 text-sm text-unavailable">
          {(error as Error).message}
        </p>
      )}
      <section aria-label="Entries">
        <SectionTitle>{data ? `${data.length} entries, newest first` : "Entries"}</SectionTitle>
        <table className="w-full text-left text-sm">
          <thead className="text-muted">
            <tr>
              <th className="py-2">Time</th>
              <th>Actor</th>
              <th>Role</th>
              <th>Deployment</th>
              <th>Action</th>
              <th>Target</th>
              <th>Outcome</th>
              <th>Client</th>
            </tr>
          </thead>
          <tbody>
            {[...(data ?? [])].reverse().map((e) => (
              <tr key={e.seq} className="border-t border-line" title={`#${e.seq} ${e.hash}`}>
                <td className="py-2 font-mono whitespace-nowrap">{e.at.replace("T", " ").slice(0, 19)}</td>
                <td>{e.actor}</td>
                <td>{e.role ?? "—"}</td>
                <td>{e.deployment ?? "—"}</td>
                <td className="font-mono">{e.action}</td>
                <td className="font-mono">{e.target ?? "—"}</td>
                <td>{e.outcome}</td>
                <td>{e.client}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
