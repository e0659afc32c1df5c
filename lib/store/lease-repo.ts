import "server-only";
/**
 * The lease: one replica writes what is derived from observation and takes over dead replicas'
 * runs. A row renewed by its holder; the database's clock decides expiry, so replicas' clocks
 * need not agree. A holder that stops renewing loses it after its TTL.
 */
import { iso } from "./json";
import type { SqlRunner } from "./sql";

export interface LeaseHolder {
  holder: string;
  expiresAt: string;
}

export class LeaseRepo {
  constructor(private readonly db: SqlRunner) {}

  /** Takes or renews `name` for `holder` when free, expired or already its own; who holds it after. */
  async acquire(name: string, holder: string, ttlMs: number): Promise<LeaseHolder> {
    type Row = { holder: string; expires_at: Date | string };
    const [mine] = await this.db.query<Row>(
      `insert into leases (name, holder, expires_at) values ($1, $2, now() + $3 * interval '1 millisecond')
       on conflict (name) do update set holder = excluded.holder, expires_at = excluded.expires_at
       where leases.holder = excluded.holder or leases.expires_at < now() returning holder, expires_at`,
      [name, holder, ttlMs],
    );
    // Not taken: someone else holds it, unexpired when the statement ran.
    const [row] = mine ? [mine] : await this.db.query<Row>("select holder, expires_at from leases where name = $1", [name]);
    return { holder: row.holder, expiresAt: iso(row.expires_at) };
  }

  async current(name: string): Promise<LeaseHolder | null> {
    const [row] = await this.db.query<{ holder: string; expires_at: Date | string }>(
      "select holder, expires_at from leases where name = $1 and expires_at >= now()",
      [name],
    );
    return row ? { holder: row.holder, expiresAt: iso(row.expires_at) } : null;
  }

  /** Gives it up at once (a clean shutdown), so another replica need not wait for the TTL. */
  async release(name: string, holder: string): Promise<void> {
    await this.db.query("delete from leases where name = $1 and holder = $2", [name, holder]);
  }
}
