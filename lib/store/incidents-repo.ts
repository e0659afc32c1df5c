import "server-only";
/** Incidents per deployment with the fold's counter; rewritten incident by incident (they are few). */
import type { Incident } from "../incidents/types";
import { iso, toJson } from "./json";
import { leaseHeld } from "./lease-repo";
import type { SqlEngine } from "./sql";
import type { LeaseFence } from "./timeline-repo";

export interface SavedIncidents {
  seq: number;
  incidents: Incident[];
  /** When the fold last wrote: how long an incident left open went unobserved. */
  savedAt: string | null;
}

export class IncidentsRepo {
  constructor(private readonly db: SqlEngine) {}

  /** Saves the fold: the incidents given (new or changed) and the counter, in one transaction; with a fence, only while the lease is held. */
  async save(deployment: string, seq: number, incidents: Incident[], keep = 200, savedAt: string | null = null, fence?: LeaseFence): Promise<void> {
    await this.db.transaction(async (tx) => {
      // The lease row stays locked (shared) to the commit: no other replica takes it in between.
      if (fence && !(await tx.query(`select 1 where ${leaseHeld("$1", "$2")}`, [fence.lease, fence.holder])).length) return;
      if (incidents.length)
        await tx.query(
          `insert into incidents (deployment, id, opened_at, state, body)
           select $1, i->>'id', (i->>'startedAt')::timestamptz, i->>'state', i from jsonb_array_elements($2::jsonb) i
           on conflict (deployment, id) do update set state = excluded.state, body = excluded.body`,
          [deployment, toJson(incidents)],
        );
      await tx.query(
        `insert into incident_folds (deployment, seq, saved_at) values ($1, $2, coalesce($3::timestamptz, now()))
         on conflict (deployment) do update set seq = greatest(incident_folds.seq, excluded.seq), saved_at = excluded.saved_at`,
        [deployment, seq, savedAt],
      );
      await tx.query(
        `delete from incidents where deployment = $1 and id not in
           (select id from incidents where deployment = $1 order by opened_at desc limit $2)`,
        [deployment, keep],
      );
    });
  }

  async get(deployment: string, id: string): Promise<Incident | null> {
    const [row] = await this.db.query<{ body: Incident }>("select body from incidents where deployment = $1 and id = $2", [deployment, id]);
    return row?.body ?? null;
  }

  /** Every deployment's open incidents in one query (the fleet: a hundred deployments, one read). */
  async openAll(limit = 1000): Promise<{ deployment: string; incident: Incident }[]> {
    return this.db.query<{ deployment: string; incident: Incident }>(
      "select deployment, body as incident from incidents where state = 'open' order by opened_at limit $1",
      [limit],
    );
  }

  /** Oldest first, as the fold keeps them. */
  async load(deployment: string, keep = 200): Promise<SavedIncidents> {
    const rows = await this.db.query<{ body: Incident }>(
      "select body from (select body, opened_at from incidents where deployment = $1 order by opened_at desc limit $2) t order by opened_at",
      [deployment, keep],
    );
    const [fold] = await this.db.query<{ seq: number; saved_at: Date | string }>("select seq, saved_at from incident_folds where deployment = $1", [
      deployment,
    ]);
    return { seq: fold?.seq ?? rows.length, incidents: rows.map((r) => r.body), savedAt: fold ? iso(fold.saved_at) : null };
  }
}
