"use client";

import { missingRole, useOperator } from "../auth/use-operator";
import { useDeployment } from "../live/use-deployment";
import { Card, SectionTitle } from "../ui/card";
import { ScheduleForm } from "./schedule-form";
import { ScheduleRow } from "./schedule-row";
import { useSchedules } from "./use-schedules";

/** Scheduled game days: what fires when, what became of recent slots, and what could not be told. */
export function SchedulesView() {
  const { data, error } = useSchedules();
  const session = useOperator().data;
  const deployment = useDeployment();
  // What this session lacks to add a schedule here (null: it may), e.g. "operator on staging-eu needed".
  const cannotAdd = session ? missingRole(session, "operator", deployment ?? session.chaosDeployment) : "loading who you are";
  return (
    <div className="flex flex-col gap-5">
      <div>
        <h1 className="text-2xl font-bold tracking-tight">Schedules</h1>
        <p className="text-muted">
          Game days that re-check the guide&apos;s claims on their own. One console fires them (the one holding the store&apos;s lease
          {data?.firingReplica ? `: ${data.firingReplica}` : ""}); a slot found past its grace is recorded as missed, never run late.
        </p>
      </div>
      {error && (
        <p role="alert" className="rounded-md bg-unavailable/10 p-3 text-unavailable ring-1 ring-unavailable/40">
          {(error as Error).message}
        </p>
      )}
      {data?.problem && (
        <p role="alert" className="rounded-md bg-degraded/10 p-3 text-degraded ring-1 ring-degraded/40">
          {data.problem}
        </p>
      )}
      {data && !data.firingReplica && data.schedules.some((s) => s.enabled) && (
        <p role="alert" className="rounded-md bg-degraded/10 p-3 text-degraded ring-1 ring-degraded/40">
          No console holds the store&apos;s lease: nothing fires until one does.
        </p>
      )}
      {data && data.undelivered.length > 0 && (
        <Card>
          <SectionTitle>Notifications not delivered</SectionTitle>
          <ul className="text-sm" data-testid="undelivered">
            {data.undelivered.map((n) => (
              <li key={n.id}>
                <span className="font-mono text-muted">{new Date(n.at).toLocaleString()}</span> {n.event.kind} on {n.deployment}:{" "}
                <span className="text-unavailable">
                  {n.outcomes
                    .filter((o) => !o.ok)
                    .map((o) => `${o.destination} ${o.error} after ${o.attempts} attempt${o.attempts === 1 ? "" : "s"}`)
                    .join("; ")}
                </span>
              </li>
            ))}
          </ul>
        </Card>
      )}
      <ul className="flex flex-col gap-3">
        {data?.schedules.map((s) => (
          <ScheduleRow key={s.id} schedule={s} cannotChange={session ? missingRole(session, "operator", s.deployment) : "loading who you are"} />
        ))}
        {data && data.schedules.length === 0 && <li className="text-muted">No schedules yet.</li>}
      </ul>
      <Card>
        <SectionTitle>New schedule</SectionTitle>
        {cannotAdd ? <p className="text-muted">Adding a schedule here: {cannotAdd}.</p> : <ScheduleForm />}
      </Card>
    </div>
  );
}
