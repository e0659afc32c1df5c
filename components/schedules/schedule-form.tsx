"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { SCENARIO_IDS } from "@/lib/contract/scenarios";
import { useApiPath } from "../live/use-deployment";
import { schedulesKey, sendSchedule } from "./use-schedules";
import { useHydrated } from "@/components/ui/use-hydrated";

const INPUT = "rounded-md bg-panel-2 px-2 py-1 text-sm ring-1 ring-line";

/** A new schedule: the essentials here; windows, blackout dates and guardrails through the API. */
export function ScheduleForm() {
  const hydrated = useHydrated();
  const api = useApiPath();
  const client = useQueryClient();
  const [name, setName] = useState("");
  const [scenario, setScenario] = useState<string>("latency");
  const [cron, setCron] = useState("0 10 * * 1-5");
  const [timeZone, setTimeZone] = useState(() => Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC");
  const [params, setParams] = useState("{}");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    let parsed: unknown;
    try {
      parsed = JSON.parse(params || "{}");
    } catch {
      setError('params must be JSON, e.g. {"durationSeconds": 10}');
      return;
    }
    setBusy(true);
    try {
      await sendSchedule(api("/api/schedules"), "POST", { name, scenario, cron, timeZone, params: parsed });
      setName("");
      await client.invalidateQueries({ queryKey: schedulesKey });
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} className="flex flex-col gap-3" data-testid="schedule-form">
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-5">
        <label className="flex flex-col gap-1 text-sm text-muted">
          Name
          <input required className={INPUT} value={name} onChange={(e) => setName(e.target.value)} placeholder="weekday latency check" />
        </label>
        <label className="flex flex-col gap-1 text-sm text-muted">
          Scenario
          <select className={INPUT} value={scenario} onChange={(e) => setScenario(e.target.value)}>
            {SCENARIO_IDS.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm text-muted">
          Cron
          <input required className={`${INPUT} font-mono`} value={cron} onChange={(e) => setCron(e.target.value)} />
        </label>
        <label className="flex flex-col gap-1 text-sm text-muted">
          Time zone
          <input required className={INPUT} value={timeZone} onChange={(e) => setTimeZone(e.target.value)} />
        </label>
        <label className="flex flex-col gap-1 text-sm text-muted">
          Params (JSON)
          <input className={`${INPUT} font-mono`} value={params} onChange={(e) => setParams(e.target.value)} />
        </label>
      </div>
      <div className="flex items-center gap-3">
        <button type="submit" disabled={busy || !hydrated} className="rounded-md bg-accent px-3 py-1.5 text-sm font-semibold text-bg disabled:opacity-50">
          {busy ? "Saving…" : "Add schedule"}
        </button>
        <span className="text-sm text-muted">Cron fields: minute hour day month weekday (a sixth, leading field is seconds).</span>
      </div>
      {error && (
        <p role="alert" className="text-sm text-unavailable">
          {error}
        </p>
      )}
    </form>
  );
}
