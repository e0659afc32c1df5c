import "server-only";
/** The replicas sharing the store, each with the hash of the OPERATOR_TOKEN it accepts (never the token). */
import type { SqlRunner } from "./sql";

export interface TokenAgreement {
  /** Replicas seen within the window, this one included. */
  replicas: number;
  /** How many of them accept another OPERATOR_TOKEN than this one (or none where this one has one). */
  differing: number;
}

export class ReplicasRepo {
  constructor(private readonly db: SqlRunner) {}

  /** Says this replica is alive with its token's hash; how the replicas seen within windowMs agree with it. */
  async announce(id: string, tokenHash: string | null, windowMs: number): Promise<TokenAgreement> {
    await this.db.query(
      `insert into replicas (id, operator_token_hash, seen_at) values ($1, $2, now())
       on conflict (id) do update set operator_token_hash = excluded.operator_token_hash, seen_at = now()`,
      [id, tokenHash],
    );
    await this.db.query("delete from replicas where seen_at < now() - interval '1 day'");
    const [row] = await this.db.query<TokenAgreement>(
      `select count(*)::int as replicas, (count(*) filter (where operator_token_hash is distinct from $1))::int as differing
       from replicas where seen_at > now() - $2 * interval '1 millisecond'`,
      [tokenHash, windowMs],
    );
    return row ?? { replicas: 1, differing: 0 };
  }
}
