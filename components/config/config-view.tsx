"use client";

import { useQuery } from "@tanstack/react-query";
import type { ConfigAuditReport } from "@/lib/config/audit-types";
import { queryKeys } from "@/lib/query/keys";
import type { Snapshot } from "@/lib/snapshot/types";
import { useApiPath } from "../live/use-deployment";
import { redact, usePresentMode } from "../live/use-present-mode";
import { useSnapshot } from "../live/use-snapshot";
import { SectionTitle } from "../ui/card";
import { formatTime } from "../ui/format";
import { RecordsLease } from "./records-lease";
import { SettingsTable, type AuditColumn } from "./settings-table";

async function fetchAudit(url: string): Promise<ConfigAuditReport> {
  const res = await fetch(url, { cache: "no-store", signal: AbortSignal.timeout(5000) });
  if (!res.ok) throw new Error(`config audit answered ${res.status}`);
  return res.json();
}

const STATE_TEXT = { read: "", pending: "not read yet", unreachable: "unreachable", "config-unavailable": "CONFIG unavailable" } as const;

export function ConfigView({ initial, initialSnapshot }: { initial: ConfigAuditReport; initialSnapshot: Snapshot }) {
  const api = useApiPath();
  const { data: audit = initial } = useQuery({
    queryKey: queryKeys.configAudit,
    queryFn: () => fetchAudit(api("/api/config-audit")),
    initialData: initial,
    refetchInterval: 10_000,
  });
  const { snapshot = initialSnapshot } = useSnapshot(initialSnapshot);
  const present = usePresentMode();
  const roles = new Map(snapshot.redis.nodes.map((n) => [n.id, n.role]));
  const nodeColumns: AuditColumn[] = audit.nodes.map((n) => ({
    id: n.id,
    label: n.id,
    sublabel:
      n.state === "read"
        ? (roles.get(n.id) ?? n.role)
        : n.settings.some((v) => v.from === "info")
          ? `${roles.get(n.id) ?? n.role} · ${STATE_TEXT[n.state]}, read from INFO`
          : STATE_TEXT[n.state],
    settings: n.settings,
  }));
  const sentinelColumns: AuditColumn[] = audit.sentinels.map((s) => ({ id: s.id, label: s.id, sublabel: STATE_TEXT[s.state], settings: s.settings }));
  const drifting = [...nodeColumns, ...sentinelColumns].flatMap((c) =>
    c.settings.filter((v) => v.status === "drift").map((v) => ({ name: v.name, where: c.id })),
  );
  const driftNames = [...new Set(drifting.map((d) => d.name))].map(
    (name) =>
      `${name} (${drifting
        .filter((d) => d.name === name)
        .map((d) => d.where)
        .join(", ")})`,
  );
  const problems = [...audit.nodes, ...audit.sentinels].filter((x) => x.state === "config-unavailable" || x.state === "unreachable");
  // "No drift" is a claim about settings that were read: with none read, say that instead.
  const readAny = [...audit.nodes, ...audit.sentinels].some((x) => x.state === "read" || x.settings.some((v) => v.from === "info"));
  return (
    <div className="flex flex-col gap-6">
      <div>
        <h1 className="text-2xl font-bold tracking-tight">Config</h1>
        <p className="text-muted">
          Each node&apos;s settings (CONFIG GET)
          {snapshot.cluster ? "" : <> and each sentinel&apos;s view of {audit.masterName}</>} against the guide&apos;s production column; read every{" "}
          {audit.refreshSeconds} s on the collector&apos;s connections{audit.at ? `, last at ${formatTime(audit.at)}` : ", not read yet"}.
        </p>
        <p data-testid="config-summary" className="mt-1">
          {!readAny && audit.at ? (
            <span className="font-semibold text-degraded">No settings could be read: the audit is off (see below why).</span>
          ) : driftNames.length ? (
            <>
              <span className="font-semibold text-degraded">Drift from production:</span> {driftNames.join("; ")}.
            </>
          ) : (
            <span className="font-semibold text-ok">No drift from production on the settings read.</span>
          )}
        </p>
        <RecordsLease lease={snapshot.records?.lease} present={present} />
        {snapshot.deployment.source === "devstack" && (
          <p className="mt-1 text-sm text-muted">
            This is the sandbox: its small maxmemory is deliberate (memory pressure in seconds), and test stacks shorten down-after-milliseconds so failovers
            fit in a test.
          </p>
        )}
      </div>

      {problems.map((p) => (
        <p key={p.id} data-testid={`config-problem-${p.id}`} className="rounded-md border border-degraded/60 bg-degraded/10 px-3 py-2">
          <span className="font-semibold">{p.id}</span>: {redact(p.error, present)}
        </p>
      ))}

      <section aria-label="Redis settings">
        <SectionTitle>Redis nodes</SectionTitle>
        <SettingsTable
          testId="config-nodes"
          rows={audit.baseline.filter((r) => r.scope === "node" || r.scope === "cluster")}
          columns={nodeColumns}
          devDefaultLabel="Dev default"
        />
      </section>

      {!snapshot.cluster && (
        <section aria-label="Sentinel settings">
          <SectionTitle>Sentinel</SectionTitle>
          <SettingsTable
            testId="config-sentinels"
            rows={audit.baseline.filter((r) => r.scope === "sentinel")}
            columns={sentinelColumns}
            devDefaultLabel="Sentinel default"
          />
        </section>
      )}
    </div>
  );
}
