import "server-only";
/**
 * Timeline events per deployment, newest last. The lease holder writes what it observed, each
 * replica what it did itself (chaos steps); every replica reads them.
 */
import type { TimelineEvent } from "../timeline/types";
import { toJson } from "./json";
import { leaseHeld } from "./lease-repo";
import type { SqlRunner } from "./sql";

/** A write made only while this replica holds the lease (checked by the database, in the same statement). */
export interface LeaseFence {
  lease: string;
  holder: string;
}

/** An event as the store's follow reads it: its deployment and when (in write order) it arrived. */
export interface WrittenEvent {
  deployment: string;
  written: number;
  event: TimelineEvent;
}

export class TimelineRepo {
  constructor(private readonly db: SqlRunner) {}

  /**
   * Idempotent: an event written again (a buffer flushed twice) is stored once. Ids are made by
   * each replica (time-based): another replica's event that took the same id is kept under the
   * next free one. With a fence, nothing is written unless the lease is held; how many were.
   */
  async append(deployment: string, events: TimelineEvent[], fence?: LeaseFence): Promise<number> {
    if (!events.length) return 0;
    const params = [deployment, toJson(events), ...(fence ? [fence.lease, fence.holder] : [])];
    const rows = await this.db.query<{ id: number }>(
      `insert into timeline_events (deployment, id, at, body)
       select $1, (e->>'id')::bigint, (e->>'at')::timestamptz, e from jsonb_array_elements($2::jsonb) e
       ${fence ? `where ${leaseHeld("$3", "$4")}` : ""}
       on conflict (deployment, id) do nothing returning id::float8 as id`,
      params,
    );
    if (rows.length === events.length || (fence && rows.length === 0 && !(await this.fenceHolds(fence)))) return rows.length;
    const written = new Set(rows.map((r) => r.id));
    let count = rows.length;
    for (const e of events.filter((x) => !written.has(x.id))) if (await this.keepClashing(deployment, e)) count++;
    return count;
  }

  /** The event's id was taken: by itself (written before: nothing to do) or by another replica's event (kept under a new id). */
  private async keepClashing(deployment: string, e: TimelineEvent): Promise<boolean> {
    const [same] = await this.db.query("select 1 from timeline_events where deployment = $1 and id = $2 and body->>'at' = $3 and body->>'title' = $4", [
      deployment,
      e.id,
      e.at,
      e.title,
    ]);
    if (same) return false;
    await this.db.query(
      `with next as (select greatest(max(id) + 1, $2) as id from timeline_events where deployment = $1)
       insert into timeline_events (deployment, id, at, body)
       select $1, next.id, $3::timestamptz, jsonb_set($4::jsonb, '{id}', to_jsonb(next.id)) from next`,
      [deployment, e.id, e.at, toJson(e)],
    );
    return true;
  }

  private async fenceHolds(fence: LeaseFence): Promise<boolean> {
    return (await this.db.query(`select 1 where ${leaseHeld("$1", "$2")}`, [fence.lease, fence.holder])).length > 0;
  }

  /** The newest `limit` events after `sinceId`, oldest first. */
  async list(deployment: string, sinceId = 0, limit = 5000): Promise<TimelineEvent[]> {
    const rows = await this.db.query<{ body: TimelineEvent }>(
      "select body from (select body, id from timeline_events where deployment = $1 and id > $2 order by id desc limit $3) t order by id",
      [deployment, sinceId, limit],
    );
    return rows.map((r) => r.body);
  }

  /** Events at or after `since`, oldest first (a new lease holder compares what it saw with them). */
  async listSince(deployment: string, since: string, limit = 5000): Promise<TimelineEvent[]> {
    const rows = await this.db.query<{ body: TimelineEvent }>("select body from timeline_events where deployment = $1 and at >= $2 order by id limit $3", [
      deployment,
      since,
      limit,
    ]);
    return rows.map((r) => r.body);
  }

  /** Events of one kind at or after `since`, oldest first (another replica's chaos steps). */
  async listKindSince(deployment: string, kind: TimelineEvent["kind"], since: string, limit = 500): Promise<TimelineEvent[]> {
    const rows = await this.db.query<{ body: TimelineEvent }>(
      "select body from timeline_events where deployment = $1 and at >= $2 and body->>'kind' = $3 order by at, id limit $4",
      [deployment, since, kind, limit],
    );
    return rows.map((r) => r.body);
  }

  /**
   * Every deployment's events written after `written` (the store's own counter, in the order the
   * inserts ran), oldest write first: what every replica's stream follows.
   */
  async writtenAfter(written: number, limit = 500): Promise<WrittenEvent[]> {
    return this.db.query<WrittenEvent>(
      "select deployment, written::float8 as written, body as event from timeline_events where written > $1 order by written limit $2",
      [written, limit],
    );
  }

  /** The newest write's counter (0: none yet): where a stream that starts now follows from. */
  async lastWritten(): Promise<number> {
    const [row] = await this.db.query<{ written: number | null }>("select max(written)::float8 as written from timeline_events");
    return row?.written ?? 0;
  }

  async lastId(deployment: string): Promise<number> {
    const [row] = await this.db.query<{ id: number | null }>("select max(id)::float8 as id from timeline_events where deployment = $1", [deployment]);
    return row?.id ?? 0;
  }

  /** Retention: removes events older than `cutoff`; how many went. */
  async deleteBefore(cutoff: Date): Promise<number> {
    const rows = await this.db.query("delete from timeline_events where at < $1 returning 1", [cutoff.toISOString()]);
    return rows.length;
  }
}
