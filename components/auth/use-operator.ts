"use client";

import { useQuery } from "@tanstack/react-query";
import type { Role } from "@/lib/auth/roles";
import type { SessionView } from "@/lib/auth/session-view";

export const operatorKey = ["operator-session"] as const;

/** GET /api/auth/session: who this browser is and its role on each deployment (the server's own type; erased in the bundle). */
export type SessionInfo = SessionView;

/** Who this browser is signed in as, and its roles. */
export function useOperator() {
  return useQuery({
    queryKey: operatorKey,
    queryFn: async ({ signal }): Promise<SessionInfo> => {
      const res = await fetch("/api/auth/session", { cache: "no-store", signal: AbortSignal.any([signal, AbortSignal.timeout(3000)]) });
      return res.json();
    },
    staleTime: 30_000,
  });
}

const RANK: Record<Role, number> = { viewer: 1, operator: 2, admin: 3 };

/** Why this session cannot do what needs `need` on `deployment` ("operator on staging-eu needed"), or null when it can (or is not known yet). */
export function missingRole(session: SessionInfo | undefined, need: Role, deployment: string | null): string | null {
  if (!session) return null;
  const role = deployment ? session.roles[deployment] : session.admin ? "admin" : null;
  if (role && RANK[role] >= RANK[need]) return null;
  const what = need === "admin" ? "admin needed" : `${need} on ${deployment ?? "every deployment"} needed`;
  return session.signedIn ? `${what} (you are ${session.actor})` : `${need} login required: ${what}`;
}
