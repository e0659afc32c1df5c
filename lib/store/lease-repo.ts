import "server-only";
/**
 * The lease: one replica writes what is derived from observation and takes over dead replicas'
 * runs. A row renewed by its holder; the database's clock decides expiry, so replicas' clocks
 * need not agree. A holder that stops renewing loses it after its TTL. A released lease keeps its
 * row (expired): the next holder reads from when it must write what the previous one saw.
 *
 * `renewed_at` is that moment: the previous holder's last renewal it got the answer to. A renewal
 * can commit and its answer be lost (a client-side deadline on a loaded machine, a store coming
 * back from an outage): the holder did not learn it held past its earlier renewal, stopped
 * believing it held, and its fenced writes since were refused. Were `renewed_at` the lost
 * renewal's time, the next holder's handover would start after those sightings and nobody would
 * write them. So a renewal moves it only to the renewal the holder says it got the answer to, and
 * a take (from another, or of an expired lease) keeps it: the taker's handover covers from there.
 */
import { iso } from "./json";
import type { SqlRunner } from "./sql";

export interface LeaseHolder {
  holder: string;
  expiresAt: string;
}

export interface LeaseGrant extends LeaseHolder {
  /** True when this call took the lease (it was free, expired or another's), false for a renewal or a refusal. */
  took: boolean;
  /** The database's clock when this call ran: what the holder passes as confirmed once it has the answer. */
  at: string;
  /** The row before this call: who held it and when they last renewed (null: never held). */
  previous: { holder: string; renewedAt: string; expired: boolean } | null;
}

type Row = { holder: string; expires_at: Date | string };
type GrantRow = Row & { at: Date | string; prev_holder: string | null; prev_renewed: Date | string | null; prev_expired: boolean | null };

/** The SQL condition a write fenced by the lease adds: true only while `holder` holds `name`, by the database's clock. */
export const leaseHeld = (nameParam: string, holderParam: string) =>
  `exists (select 1 from leases where name = ${nameParam} and holder = ${holderParam} and expires_at > now() for share)`;

export class LeaseRepo {
  constructor(private readonly db: SqlRunner) {}

  /**
   * Takes or renews `name` for `holder` when free, expired or already its own; who holds it after.
   * `confirmedAt`: the `at` of the holder's last renewal it got the answer to while holding (null
   * when it does not believe it holds): where the next holder's handover starts.
   */
  async acquire(name: string, holder: string, ttlMs: number, confirmedAt: string | null = null): Promise<LeaseGrant> {
    // The CTE reads the row as it was before the upsert (one snapshot for the whole statement).
    const [mine] = await this.db.query<GrantRow>(
      `with prev as (select holder, renewed_at, expires_at < now() as expired from leases where name = $1)
       insert into leases (name, holder, expires_at, renewed_at) values ($1, $2, now() + $3 * interval '1 millisecond', now())
       on conflict (name) do update set holder = excluded.holder, expires_at = excluded.expires_at,
         renewed_at = case when leases.holder = excluded.holder and leases.expires_at >= now() and $4::timestamptz is not null
           then $4::timestamptz else leases.renewed_at end
       where leases.holder = excluded.holder or leases.expires_at < now()
       returning holder, expires_at, now() as at, (select holder from prev) as prev_holder, (select renewed_at from prev) as prev_renewed,
         (select expired from prev) as prev_expired`,
      [name, holder, ttlMs, confirmedAt],
    );
    if (mine) {
      const previous = mine.prev_holder === null ? null : { holder: mine.prev_holder, renewedAt: iso(mine.prev_renewed!), expired: !!mine.prev_expired };
      const took = !previous || previous.holder !== holder || previous.expired;
      return { holder: mine.holder, expiresAt: iso(mine.expires_at), at: iso(mine.at), took, previous };
    }
    // Not taken: someone else holds it, unexpired when the statement ran.
    const [row] = await this.db.query<Row & { at: Date | string }>("select holder, expires_at, now() as at from leases where name = $1", [name]);
    return { holder: row.holder, expiresAt: iso(row.expires_at), at: iso(row.at), took: false, previous: null };
  }

  /** Who held it last, expired or not (null: never held): a replica warming up does not take it from another (lib/store/lease.ts). */
  async lastHolder(name: string): Promise<{ holder: string; expiresAt: string; expired: boolean } | null> {
    const [row] = await this.db.query<Row & { expired: boolean }>("select holder, expires_at, expires_at < now() as expired from leases where name = $1", [
      name,
    ]);
    return row ? { holder: row.holder, expiresAt: iso(row.expires_at), expired: !!row.expired } : null;
  }

  async current(name: string): Promise<LeaseHolder | null> {
    const [row] = await this.db.query<Row>("select holder, expires_at from leases where name = $1 and expires_at >= now()", [name]);
    return row ? { holder: row.holder, expiresAt: iso(row.expires_at) } : null;
  }

  /** Gives it up at once (a clean shutdown), so another replica need not wait for the TTL. */
  async release(name: string, holder: string): Promise<void> {
    await this.db.query("update leases set expires_at = now() - interval '1 millisecond' where name = $1 and holder = $2", [name, holder]);
  }
}
