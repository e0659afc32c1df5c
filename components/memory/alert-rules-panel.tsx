"use client";

import { useQuery } from "@tanstack/react-query";
import type { AlertRuleListing } from "@/lib/alerts/prometheus-rules";
import { queryKeys } from "@/lib/query/keys";
import type { AlertState } from "@/lib/snapshot/types";
import { useApiPath } from "../live/use-deployment";
import { redact } from "../live/use-present-mode";
import { formatDuration } from "../ui/format";

const SEVERITY = { page: "text-unavailable", warn: "text-degraded", info: "text-muted" } as const;

async function fetchRules(url: string): Promise<AlertRuleListing> {
  const res = await fetch(url, { cache: "no-store", signal: AbortSignal.timeout(5000) });
  if (!res.ok) throw new Error(`alert rules answered ${res.status}`);
  return res.json();
}

/** The guide's rules as the console evaluates them each tick, with the Prometheus file to page on them. */
export function AlertRulesPanel({ initial, alerts, now, present }: { initial: AlertRuleListing; alerts: AlertState[]; now: number; present: boolean }) {
  const api = useApiPath();
  const { data = initial } = useQuery({
    queryKey: queryKeys.alertRules,
    queryFn: () => fetchRules(api("/api/alert-rules?format=json")),
    initialData: initial,
    staleTime: 60_000,
  });
  const state = new Map(alerts.map((a) => [a.rule, a]));
  return (
    <div className="flex flex-col gap-2">
      <div className="overflow-x-auto rounded-lg border border-line">
        <table data-testid="alert-rules" className="w-full text-sm">
          <thead className="bg-panel-2 text-left text-muted">
            <tr>
              <th className="px-3 py-2 font-medium">Rule</th>
              <th className="px-3 py-2 font-medium">Fires when</th>
              <th className="px-3 py-2 font-medium">Now</th>
              <th className="px-3 py-2 font-medium">State</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-line">
            {data.rules.map((r) => {
              const a = state.get(r.rule);
              return (
                <tr key={r.rule} data-testid={`rule-${r.rule}`} data-firing={a?.firing ?? false} className={`align-top ${a?.firing ? "bg-degraded/10" : ""}`}>
                  <td className="px-3 py-2">
                    <span className="font-mono font-semibold">{r.rule}</span>
                    <span className={`ml-2 text-xs font-bold uppercase ${SEVERITY[r.severity]}`}>{r.severity}</span>
                    <span className="block text-xs text-muted">{r.meaning}</span>
                  </td>
                  <td className="px-3 py-2">{r.condition}</td>
                  <td className="px-3 py-2 text-muted">{a ? redact(a.summary, present) : "not evaluated yet"}</td>
                  <td className="px-3 py-2 whitespace-nowrap">
                    {a?.notApplicable ? (
                      <span data-testid="rule-not-applicable" className="text-muted">
                        not applicable
                      </span>
                    ) : a?.firing ? (
                      <span className="font-semibold text-degraded">firing{a.since ? ` for ${formatDuration((now - Date.parse(a.since)) / 1000)}` : ""}</span>
                    ) : (
                      <span className="text-ok">ok</span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p className="text-sm text-muted">
        Counter rules look back {data.windowSeconds} s. The same rules over redis_exporter metrics:{" "}
        <a data-testid="prometheus-rules-link" href={api("/api/alert-rules")} download="redis-alert-rules.yml" className="text-accent hover:underline">
          Prometheus alerting rules (YAML)
        </a>
        .
      </p>
    </div>
  );
}
