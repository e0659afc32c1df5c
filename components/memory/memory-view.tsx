"use client";

import dynamic from "next/dynamic";
import type { AlertRuleListing } from "@/lib/alerts/prometheus-rules";
import type { Snapshot } from "@/lib/snapshot/types";
import { HistorySource } from "../charts/history-source";
import { TimeRangePicker, useTimeRange } from "../charts/time-range";
import { LiveIndicator } from "../live/live-indicator";
import { usePresentMode } from "../live/use-present-mode";
import { useAge, useSnapshot } from "../live/use-snapshot";
import { SectionTitle } from "../ui/card";
import { AlertRulesPanel } from "./alert-rules-panel";
import { KeyClasses } from "./key-classes";
import { NodeTiles } from "./node-tiles";
import { GuideSizingCards, ScaleGauges } from "./scale-gauges";
import { useHistory, useKeyspace } from "./use-memory-data";

function ChartsPlaceholder({ text }: { text: string }) {
  return <div className="flex h-64 items-center justify-center rounded-lg border border-line bg-panel text-muted">{text}</div>;
}

// recharts is loaded only when the Memory page shows charts: it stays out of every other page's JS.
const NodeCharts = dynamic(() => import("../charts/node-charts"), { ssr: false, loading: () => <ChartsPlaceholder text="Loading charts…" /> });

/** `prometheusUrl` (credential-free) is set when Prometheus serves ranges beyond the hour kept in memory. */
export function MemoryView({
  initialSnapshot,
  initialRules,
  memoryAlertRatio,
  prometheusUrl = null,
}: {
  initialSnapshot: Snapshot;
  initialRules: AlertRuleListing;
  memoryAlertRatio: number;
  prometheusUrl?: string | null;
}) {
  const { snapshot = initialSnapshot, stream } = useSnapshot(initialSnapshot);
  const age = useAge(snapshot.at);
  const present = usePresentMode();
  const { range, minutes, setRange } = useTimeRange(prometheusUrl !== null);
  const history = useHistory(minutes);
  const keyspace = useKeyspace(present);
  const now = Date.parse(snapshot.at) + (age ?? 0) * 1000;
  const nodes = snapshot.redis.nodes.length
    ? snapshot.redis.nodes.map((n) => ({ id: n.id, role: n.role, up: n.up }))
    : Object.keys(history.data?.nodes ?? {}).map((id) => ({ id, role: "unknown", up: false }));
  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h1 className="text-2xl font-bold tracking-tight">Memory</h1>
          <p className="text-muted">Memory, evictions and cache health per node, memory by key class, and the guide&apos;s alert rules.</p>
        </div>
        <div className="flex items-center gap-3">
          <TimeRangePicker range={range} onChange={setRange} long={prometheusUrl !== null} />
          <LiveIndicator stream={stream} at={snapshot.at} ageSeconds={age} tickMs={snapshot.tick.ms} />
        </div>
      </div>

      <section aria-label="Memory now">
        <SectionTitle>Now</SectionTitle>
        <NodeTiles nodes={snapshot.redis.nodes} memoryAlertRatio={memoryAlertRatio} present={present} />
      </section>

      <section aria-label="Charts">
        <SectionTitle right={<span className="text-sm text-muted">last {range}, refreshed every 5 s; gaps: node down or no data</span>}>
          Per node over time
        </SectionTitle>
        <HistorySource history={history.data} present={present} />
        {history.data ? (
          <NodeCharts history={history.data} nodes={nodes} />
        ) : (
          <ChartsPlaceholder text={history.error ? `History unavailable: ${history.error.message}. Retrying every 5 s.` : "Loading history…"} />
        )}
      </section>

      <section aria-label="Memory by key class">
        <SectionTitle>Memory by key class</SectionTitle>
        {keyspace.data ? (
          <div className="flex flex-col gap-4">
            <KeyClasses report={keyspace.data} present={present} />
            <h3 className="text-base font-semibold">The guide&apos;s sizing</h3>
            <GuideSizingCards sizing={keyspace.data.sizing} />
            <h3 className="text-base font-semibold">Scale triggers for Redis Cluster</h3>
            <ScaleGauges triggers={keyspace.data.scaleTriggers} />
          </div>
        ) : (
          <ChartsPlaceholder text={keyspace.error ? `Key classes unavailable: ${keyspace.error.message}` : "Loading key classes…"} />
        )}
      </section>

      <section aria-label="Alert rules">
        <SectionTitle>The guide&apos;s alert rules</SectionTitle>
        <AlertRulesPanel initial={initialRules} alerts={snapshot.alerts} now={now} present={present} />
      </section>
    </div>
  );
}
