"use client";

import { useQuery } from "@tanstack/react-query";

export const operatorKey = ["operator-session"] as const;

/** Whether this browser holds an operator session. */
export function useOperator() {
  return useQuery({
    queryKey: operatorKey,
    queryFn: async (): Promise<{ operator: boolean; loginEnabled: boolean }> => {
      const res = await fetch("/api/auth/session", { cache: "no-store", signal: AbortSignal.timeout(3000) });
      return res.json();
    },
    staleTime: 30_000,
  });
}
