"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { ScheduleView } from "@/lib/verification/schedules-view";
import { describeGuardrail } from "@/lib/verification/guardrails";
import type { SlotRecord } from "@/lib/verification/schedule";
import { schedulesKey, sendSchedule } from "./use-schedules";

const OUTCOME_CLASS: Record<SlotRecord["outcome"], string> = {
  started: "text-ok",
  starting: "text-muted",
  missed: "text-degraded",
  "not-started": "text-unavailable",
};

/** Local time of a slot in the schedule's own zone, which is how its owner wrote the cron. */
function inZone(iso: string, timeZone: string): string {
  return new Date(iso).toLocaleString("en-GB", {
    timeZone,
    weekday: "short",
    day: "2-digit",
    month: "short",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  });
}

/** `cannotChange`: why this session may not pause, resume or delete it (null: it may). */
export function ScheduleRow({ schedule, cannotChange }: { schedule: ScheduleView; cannotChange: string | null }) {
  const client = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const act = async (method: "PATCH" | "DELETE", body?: unknown) => {
    setError(null);
    try {
      await sendSchedule(`/api/schedules/${schedule.id}`, method, body);
      await client.invalidateQueries({ queryKey: schedulesKey });
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const params = Object.keys(schedule.params).length ? JSON.stringify(schedule.params) : "default params";
  return (
    <li className="rounded-lg border border-line bg-panel p-4" data-testid="schedule-row">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h3 className="text-lg font-semibold">
            {schedule.name}{" "}
            {!schedule.enabled && <span className="ml-1 rounded bg-panel-2 px-1.5 py-0.5 text-xs font-semibold text-degraded ring-1 ring-line">paused</span>}
          </h3>
          <p className="text-sm text-muted">
            <span className="font-mono text-text">{schedule.scenario}</span> · {params} · on {schedule.deployment} ·{" "}
            <span className="font-mono">{schedule.cron}</span> ({schedule.timeZone}) · grace {schedule.graceSeconds} s
            {schedule.guardrails
              ? ` · stops if ${schedule.guardrails.length ? schedule.guardrails.map(describeGuardrail).join("; ") : "nothing (no guardrail)"}`
              : " · the config's guardrails"}
          </p>
          <p className="text-sm text-muted">
            {schedule.windows.length
              ? `only ${schedule.windows.map((w) => `${w.days?.length ? `${w.days.join(" ")} ` : ""}${w.from}–${w.to}`).join(", ")}`
              : "any time of day"}
            {schedule.blackoutDates.length > 0 && ` · never on ${schedule.blackoutDates.join(", ")}`}
          </p>
        </div>
        {cannotChange ? (
          <span className="text-sm text-muted">changing it: {cannotChange}</span>
        ) : (
          <div className="flex gap-2">
            <button
              type="button"
              className="rounded-md bg-panel-2 px-2.5 py-1 text-sm ring-1 ring-line hover:text-text"
              onClick={() => act("PATCH", { enabled: !schedule.enabled })}
            >
              {schedule.enabled ? "Pause" : "Resume"}
            </button>
            <button type="button" className="rounded-md bg-panel-2 px-2.5 py-1 text-sm text-unavailable ring-1 ring-line" onClick={() => act("DELETE")}>
              Delete
            </button>
          </div>
        )}
      </div>
      <div className="mt-3 grid gap-4 md:grid-cols-2">
        <div>
          <h4 className="text-sm font-semibold text-muted">Next slots</h4>
          {schedule.nextSlots.length ? (
            <ul className="mt-1 text-sm" data-testid="next-slots">
              {schedule.nextSlots.map((s) => (
                <li key={s} className="font-mono">
                  {inZone(s, schedule.timeZone)}
                </li>
              ))}
            </ul>
          ) : (
            <p className="mt-1 text-sm text-muted">{schedule.enabled ? "none: the cron never fires inside the allowed windows" : "paused: nothing fires"}</p>
          )}
        </div>
        <div>
          <h4 className="text-sm font-semibold text-muted">Recent slots</h4>
          {schedule.recentSlots.length ? (
            <ul className="mt-1 text-sm" data-testid="recent-slots">
              {schedule.recentSlots.map((s) => (
                <li key={s.slot}>
                  <span className="font-mono">{inZone(s.slot, schedule.timeZone)}</span>{" "}
                  <span className={`font-semibold ${OUTCOME_CLASS[s.outcome]}`}>{s.outcome}</span>
                  {s.runId && (
                    <a className="ml-2 text-accent hover:underline" href={`/chaos/runs/${s.runId}`}>
                      run
                    </a>
                  )}
                  {s.reason && <span className="text-muted"> — {s.reason}</span>}
                </li>
              ))}
            </ul>
          ) : (
            <p className="mt-1 text-sm text-muted">none yet</p>
          )}
        </div>
      </div>
      {error && (
        <p role="alert" className="mt-2 text-sm text-unavailable">
          {error}
        </p>
      )}
    </li>
  );
}
