import "server-only";
/**
 * Readiness (GET /api/ready): the store answers and every collector has looked once. A load
 * balancer sends no traffic to a replica that is not ready; liveness stays /api/health.
 */
import type { Collector } from "../collector/collector";
import { storeState } from "./instance";
import { tokenAgreement } from "./token-agreement";
import { withDeadline } from "./sql";

export interface Readiness {
  ready: boolean;
  /** Why not, one line each (empty when ready). */
  reasons: string[];
  store: { engine: "pglite" | "postgres" | null; answering: boolean; pending: number; dropped: number; problem: string | null };
  replica: string;
  /** Who holds the records lease (writes incidents, timeline, failovers; deletes past retention). */
  lease: { holder: string | null; mine: boolean; expiresAt: string | null; problem: string | null };
  /** Whether the replicas seen lately accept the same OPERATOR_TOKEN (counts only); null until asked. Not a readiness failure. */
  operatorToken: ReturnType<typeof tokenAgreement>;
}

const PING_MS = 2000;

export async function readiness(collectors: { name: string; collector: Collector }[]): Promise<Readiness> {
  const { store, writer, openProblem, replicaId, lease } = storeState();
  const reasons: string[] = [];
  let answering = false;
  if (!store) reasons.push(openProblem ?? "the store is not open yet");
  else {
    try {
      await withDeadline(store.ping(), PING_MS, "the store");
      answering = true;
    } catch (err) {
      reasons.push(`store unreachable: ${(err as Error).message}`);
    }
  }
  const w = writer.status();
  if (w.problem && answering) reasons.push(`records are not being saved: ${w.problem}`);
  for (const { name, collector } of collectors) if (collector.snapshot().seq === 0) reasons.push(`first look pending (${name})`);
  return {
    ready: reasons.length === 0,
    reasons,
    store: { engine: store?.engine ?? null, answering, pending: w.pending, dropped: w.dropped, problem: w.problem },
    replica: replicaId,
    lease: (({ holder, mine, expiresAt, problem }) => ({ holder, mine, expiresAt, problem }))(lease.view()),
    operatorToken: tokenAgreement(),
  };
}
