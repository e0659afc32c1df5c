import "server-only";
/** Timeline events per deployment, newest last. The lease holder writes them; every replica reads them. */
import type { TimelineEvent } from "../timeline/types";
import { toJson } from "./json";
import type { SqlRunner } from "./sql";

export class TimelineRepo {
  constructor(private readonly db: SqlRunner) {}

  /** Idempotent: an event written again (a buffer flushed twice) is stored once. */
  async append(deployment: string, events: TimelineEvent[]): Promise<void> {
    if (!events.length) return;
    await this.db.query(
      `insert into timeline_events (deployment, id, at, body)
       select $1, (e->>'id')::bigint, (e->>'at')::timestamptz, e from jsonb_array_elements($2::jsonb) e
       on conflict (deployment, id) do nothing`,
      [deployment, toJson(events)],
    );
  }

  /** The newest `limit` events after `sinceId`, oldest first. */
  async list(deployment: string, sinceId = 0, limit = 5000): Promise<TimelineEvent[]> {
    const rows = await this.db.query<{ body: TimelineEvent }>(
      "select body from (select body, id from timeline_events where deployment = $1 and id > $2 order by id desc limit $3) t order by id",
      [deployment, sinceId, limit],
    );
    return rows.map((r) => r.body);
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
