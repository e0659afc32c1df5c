import "server-only";
/**
 * The lease: one replica writes what is derived from observation and takes over dead replicas'
 * runs. A row renewed by its holder; the database's clock decides expiry, so replicas' clocks
 * need not agree. A holder that stops renewing loses it after its TTL. A released lease keeps its
 * row (expired): the next holder reads when the previous one last renewed.
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
  /** The row before this call: who held it and when they last renewed (null: never held). */
  previous: { holder: string; renewedAt: string; expired: boolean } | null;
}

type Row = { holder: string; expires_at: Date | string };
type GrantRow = Row & { prev_holder: string | null; prev_renewed: Date | string | null; prev_expired: boolean | null };

/** The SQL condition a write fenced by the lease adds: true only while `holder` holds `name`, by the database's clock. */
export const leaseHeld = (nameParam: string, holderParam: string) =>
  `exists (select 1 from leases where name = ${nameParam} and holder = ${holderParam} and expires_at > now() for share)`;

export class LeaseRepo {
  constructor(private readonly db: SqlRunner) {}

  /** Takes or renews `name` for `holder` when free, expired or already its own; who holds it after. */
  async acquire(name: string, holder: string, ttlMs: number): Promise<LeaseGrant> {
    // The CTE reads the row as it was before the upsert (one snapshot for the whole statement).
    const [mine] = await this.db.query<GrantRow>(
      `with prev as (select holder, renewed_at, expires_at < now() as expired from leases where name = $1)
       insert into leases (name, holder, expires_at, renewed_at) values ($1, $2, now() + $3 * interval '1 millisecond', now())
       on conflict (name) do update set holder = excluded.holder, expires_at = excluded.expires_at, renewed_at = excluded.renewed_at
       where leases.holder = excluded.holder or leases.expires_at < now()
       returning holder, expires_at, (select holder from prev) as prev_holder, (select renewed_at from prev) as prev_renewed,
         (select expired from prev) as prev_expired`,
      [name, holder, ttlMs],
    );
    if (mine) {
      const previous = mine.prev_holder === null ? null : { holder: mine.prev_holder, renewedAt: iso(mine.prev_renewed!), expired: !!mine.prev_expired };
      const took = !previous || previous.holder !== holder || previous.expired;
      return { holder: mine.holder, expiresAt: iso(mine.expires_at), took, previous };
    }
    // Not taken: someone else holds it, unexpired when the statement ran.
    const [row] = await this.db.query<Row>("select holder, expires_at from leases where name = $1", [name]);
    return { holder: row.holder, expiresAt: iso(row.expires_at), took: false, previous: null };
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
