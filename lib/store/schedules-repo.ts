import "server-only";
/**
 * Schedules, the slots they reached and the notifications sent about them. A slot is claimed by
 * inserting its row: the primary key lets exactly one replica claim it, so a slot fires once
 * even when the lease moves between two looks.
 */
import type { Schedule, SlotOutcome, SlotRecord } from "../verification/schedule";
import type { DeliveryOutcome } from "../verification/notifier";
import type { VerificationEvent } from "../verification/notification";
import { iso, toJson } from "./json";
import type { SqlRunner } from "./sql";

type Body = Omit<Schedule, "id" | "deployment" | "createdAt" | "updatedAt">;
type Row = { id: string; deployment: string; body: Body; created_at: Date | string; updated_at: Date | string };
type SlotRow = { schedule_id: string; slot: Date | string; outcome: SlotOutcome; run_id: string | null; reason: string | null; decided_at: Date | string };

const fromRow = (r: Row): Schedule => ({ ...r.body, id: r.id, deployment: r.deployment, createdAt: iso(r.created_at), updatedAt: iso(r.updated_at) });
const slotFromRow = (r: SlotRow): SlotRecord => ({
  scheduleId: r.schedule_id,
  slot: iso(r.slot),
  outcome: r.outcome,
  runId: r.run_id,
  reason: r.reason,
  decidedAt: iso(r.decided_at),
});

export interface NotificationRecord {
  id: number;
  at: string;
  deployment: string;
  ok: boolean;
  event: VerificationEvent;
  outcomes: DeliveryOutcome[];
}

export class SchedulesRepo {
  constructor(private readonly db: SqlRunner) {}

  async list(deployment?: string): Promise<Schedule[]> {
    const rows = deployment
      ? await this.db.query<Row>("select * from schedules where deployment = $1 order by created_at", [deployment])
      : await this.db.query<Row>("select * from schedules order by created_at");
    return rows.map(fromRow);
  }

  async get(id: string): Promise<Schedule | null> {
    const [row] = await this.db.query<Row>("select * from schedules where id = $1", [id]);
    return row ? fromRow(row) : null;
  }

  async create(id: string, deployment: string, body: Body): Promise<Schedule> {
    const [row] = await this.db.query<Row>("insert into schedules (id, deployment, body) values ($1, $2, $3::jsonb) returning *", [
      id,
      deployment,
      toJson(body),
    ]);
    return fromRow(row);
  }

  async update(id: string, body: Body): Promise<Schedule | null> {
    const [row] = await this.db.query<Row>("update schedules set body = $2::jsonb, updated_at = now() where id = $1 returning *", [id, toJson(body)]);
    return row ? fromRow(row) : null;
  }

  async remove(id: string): Promise<boolean> {
    return (await this.db.query("delete from schedules where id = $1 returning id", [id])).length > 0;
  }

  /** Claims `slot` with its outcome; false when another replica (or an earlier look) already did. */
  async claimSlot(scheduleId: string, slot: string, outcome: SlotOutcome, reason: string | null = null): Promise<boolean> {
    const rows = await this.db.query(
      "insert into schedule_slots (schedule_id, slot, outcome, reason) values ($1, $2, $3, $4) on conflict do nothing returning slot",
      [scheduleId, slot, outcome, reason],
    );
    return rows.length > 0;
  }

  /** What became of a claimed slot: the run it started, or why none did. */
  async settleSlot(scheduleId: string, slot: string, outcome: SlotOutcome, runId: string | null, reason: string | null): Promise<void> {
    await this.db.query("update schedule_slots set outcome = $3, run_id = $4, reason = $5, decided_at = now() where schedule_id = $1 and slot = $2", [
      scheduleId,
      slot,
      outcome,
      runId,
      reason,
    ]);
  }

  /** Newest first. */
  async slots(scheduleId: string, limit = 20): Promise<SlotRecord[]> {
    const rows = await this.db.query<SlotRow>("select * from schedule_slots where schedule_id = $1 order by slot desc limit $2", [scheduleId, limit]);
    return rows.map(slotFromRow);
  }

  async lastSlot(scheduleId: string): Promise<string | null> {
    const [row] = await this.db.query<{ slot: Date | string }>("select max(slot) as slot from schedule_slots where schedule_id = $1", [scheduleId]);
    return row?.slot ? iso(row.slot) : null;
  }

  async recordNotification(deployment: string, event: VerificationEvent, outcomes: DeliveryOutcome[]): Promise<void> {
    await this.db.query("insert into notifications (deployment, ok, event, outcomes) values ($1, $2, $3::jsonb, $4::jsonb)", [
      deployment,
      outcomes.every((o) => o.ok),
      toJson(event),
      toJson(outcomes),
    ]);
  }

  /** Each schedule's latest slot that started a run: name -> slot (rrc_schedule_last_run_timestamp_seconds). */
  async lastStarted(): Promise<Map<string, string>> {
    const rows = await this.db.query<{ name: string; slot: Date | string }>(
      "select s.body->>'name' as name, max(x.slot) as slot from schedule_slots x join schedules s on s.id = x.schedule_id where x.outcome = 'started' group by s.body->>'name'",
    );
    return new Map(rows.map((r) => [r.name, iso(r.slot)]));
  }

  /** Whether people were already told that this verdict (claim, measured at) expired. */
  async expiryTold(deployment: string, claim: string, measuredAt: string): Promise<boolean> {
    const rows = await this.db.query(
      "select 1 from notifications where deployment = $1 and event->>'kind' = 'claim-expired' and event->>'claim' = $2 and event->>'measuredAt' = $3 limit 1",
      [deployment, claim, measuredAt],
    );
    return rows.length > 0;
  }

  /** Newest first; `failedOnly` for the Schedules page's "not delivered" list. */
  async notifications(deployment: string, failedOnly: boolean, limit = 20): Promise<NotificationRecord[]> {
    type N = { id: string | number; at: Date | string; deployment: string; ok: boolean; event: VerificationEvent; outcomes: DeliveryOutcome[] };
    const rows = await this.db.query<N>(`select * from notifications where deployment = $1 ${failedOnly ? "and not ok" : ""} order by id desc limit $2`, [
      deployment,
      limit,
    ]);
    return rows.map((r) => ({ id: Number(r.id), at: iso(r.at), deployment: r.deployment, ok: r.ok, event: r.event, outcomes: r.outcomes }));
  }
}
