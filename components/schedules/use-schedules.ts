"use client";

import { useQuery } from "@tanstack/react-query";
import type { SchedulesAnswer } from "@/lib/verification/schedules-view";
import { useApiPath } from "../live/use-deployment";

export const schedulesKey = ["schedules"] as const;

/** The deployment's schedules, their next slots and recent outcomes; refetched every 5 s. */
export function useSchedules() {
  const api = useApiPath();
  return useQuery({
    queryKey: schedulesKey,
    queryFn: async (): Promise<SchedulesAnswer> => {
      const res = await fetch(api("/api/schedules"), { cache: "no-store", signal: AbortSignal.timeout(5000) });
      const body = await res.json().catch(() => ({}));
      if (!res.ok) throw new Error(body.error ?? `GET /api/schedules answered ${res.status}`);
      return body;
    },
    refetchInterval: 5000,
  });
}

/** Sends a schedule change as the operator; throws with the API's own message. */
export async function sendSchedule(url: string, method: "POST" | "PATCH" | "DELETE", body?: unknown): Promise<void> {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok) {
    const answer = await res.json().catch(() => ({}));
    throw new Error(answer.error ?? `${method} answered ${res.status}`);
  }
}
