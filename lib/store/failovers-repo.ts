import "server-only";
/** Failover history per deployment (Sentinel's and the Cluster's): an amended record replaces the last. */
import { toJson } from "./json";
import { leaseHeld } from "./lease-repo";
import type { SqlRunner } from "./sql";
import type { LeaseFence } from "./timeline-repo";

/** What the store needs of a failover record; the full record is kept as it is. */
export interface StoredFailover {
  id: string;
  startedAt: string;
}

export class FailoversRepo {
  constructor(private readonly db: SqlRunner) {}

  /** With a fence, written only while the lease is held. */
  async save(deployment: string, record: StoredFailover, fence?: LeaseFence): Promise<void> {
    await this.db.query(
      `insert into failovers (deployment, id, started_at, body) select $1, $2, $3, $4::jsonb
       ${fence ? `where ${leaseHeld("$5", "$6")}` : ""}
       on conflict (deployment, id) do update set body = excluded.body, started_at = excluded.started_at`,
      [deployment, record.id, record.startedAt, toJson(record), ...(fence ? [fence.lease, fence.holder] : [])],
    );
  }

  /** Newest first. */
  async list<T extends StoredFailover>(deployment: string, max = 50): Promise<T[]> {
    const rows = await this.db.query<{ body: T }>("select body from failovers where deployment = $1 order by started_at desc limit $2", [deployment, max]);
    return rows.map((r) => r.body);
  }

  async deleteBefore(cutoff: Date): Promise<number> {
    return (await this.db.query("delete from failovers where started_at < $1 returning 1", [cutoff.toISOString()])).length;
  }
}
