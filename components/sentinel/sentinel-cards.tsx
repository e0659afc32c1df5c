"use client";

import type { NodeSnapshot, SentinelSnapshot } from "@/lib/snapshot/types";
import { formatTime } from "../ui/format";
import { nodeLabel } from "./sentinel-format";

function Figure({ label, value, tone = "", testId, hint }: { label: string; value: string; tone?: string; testId?: string; hint: string }) {
  return (
    <div className="flex flex-col">
      <span className="text-xs font-semibold tracking-wide text-muted uppercase">{label}</span>
      <span data-testid={testId} className={`font-mono text-3xl font-bold ${tone}`}>
        {value}
      </span>
      <span className="text-xs text-muted">{hint}</span>
    </div>
  );
}

/** Who is master, by whose account, at which config epoch. */
export function MasterCard({ sentinel, nodes, present }: { sentinel: SentinelSnapshot; nodes: NodeSnapshot[]; present: boolean }) {
  const { master } = sentinel;
  const node = nodes.find((n) => n.addr === master.addr);
  return (
    <section
      aria-label="Master"
      data-testid="master-card"
      className={`flex flex-col gap-2 rounded-lg border-2 bg-panel p-4 ${sentinel.blind || !master.addr ? "border-unavailable/70" : "border-line"}`}
    >
      <h2 className="text-xs font-semibold tracking-wide text-muted uppercase">
        Master <span className="font-mono text-text normal-case">{sentinel.masterName}</span>
      </h2>
      <p data-testid="master-addr" className="text-2xl font-bold">
        {nodeLabel(master.addr, nodes, present)}
      </p>
      <p className="text-sm text-muted">
        {sentinel.none
          ? "as the nodes themselves report it (no Sentinel in this deployment)"
          : sentinel.blind
            ? "as the nodes themselves report it (no sentinel answers)"
            : `as ${sentinel.reachable} of ${sentinel.sentinels.length} sentinels report it`}
      </p>
      {node && !node.up && (
        <p data-testid="master-unreachable" className="text-sm font-semibold text-unavailable">
          Not answering the console since {formatTime(node.since)}: {node.error ?? "no answer"}
        </p>
      )}
      {node?.up && node.role !== "master" && (
        <p className="text-sm font-semibold text-degraded">The node itself reports role {node.role}: Sentinel and Redis disagree.</p>
      )}
      <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
        <dt className="text-muted">Config epoch</dt>
        <dd data-testid="config-epoch" className="font-mono">
          {master.configEpoch ?? "—"}
        </dd>
        <dt className="text-muted">Flags</dt>
        <dd className="flex flex-wrap gap-1">
          {master.flags.length
            ? master.flags.map((f) => (
                <span key={f} className={`rounded px-1.5 py-0.5 text-xs ${f === "master" ? "bg-panel-2" : "bg-degraded/20 text-degraded"}`}>
                  {f}
                </span>
              ))
            : "—"}
        </dd>
      </dl>
    </section>
  );
}

/** Quorum vs reachable vs majority, and Sentinel's own verdict (CKQUORUM). */
export function AgreementCard({ sentinel }: { sentinel: SentinelSnapshot }) {
  const total = sentinel.sentinels.length;
  const { majority } = sentinel;
  const short = sentinel.reachable < majority;
  const verdict = sentinel.sentinels.find((s) => s.up && s.quorumMessage);
  return (
    <section
      aria-label="Agreement"
      data-testid="agreement-card"
      className={`flex flex-col gap-3 rounded-lg border-2 bg-panel p-4 ${short ? "border-unavailable/70" : sentinel.reachable < total ? "border-degraded/60" : "border-line"}`}
    >
      <h2 className="text-xs font-semibold tracking-wide text-muted uppercase">Agreement</h2>
      <div className="grid grid-cols-3 gap-3">
        <Figure
          label="Reachable"
          value={`${sentinel.reachable}/${total}`}
          testId="sentinels-reachable"
          tone={short ? "text-unavailable" : sentinel.reachable < total ? "text-degraded" : "text-ok"}
          hint="sentinels answering"
        />
        <Figure label="Quorum" value={String(sentinel.quorum ?? "?")} testId="sentinel-quorum" hint="must agree the master is down" />
        <Figure label="Majority" value={String(majority)} testId="sentinel-majority" hint="votes to elect a leader" />
      </div>
      <p
        data-testid="ckquorum"
        className={`rounded-md px-3 py-2 text-sm ring-1 ${verdict?.quorumOk ? "bg-ok/10 text-ok ring-ok/30" : "bg-unavailable/10 text-unavailable ring-unavailable/30"}`}
      >
        {verdict ? (
          <>
            <span className="font-semibold">CKQUORUM {verdict.quorumOk ? "OK" : "fails"}</span> ({verdict.id}):{" "}
            {verdict.quorumMessage?.replace(/^(OK|NOQUORUM)\s*/, "")}
          </>
        ) : (
          <span className="font-semibold">No sentinel answers CKQUORUM: no failover can be authorized.</span>
        )}
      </p>
    </section>
  );
}
