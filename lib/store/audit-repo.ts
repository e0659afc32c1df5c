import "server-only";
/**
 * The audit trail, append-only: one transaction per entry takes the chain's lock, reads the last
 * hash and inserts the next (lib/store/audit-chain.ts), so replicas appending at once keep one chain.
 */
import { chainHash, firstBreak, GENESIS, type ChainRow } from "./audit-chain";
import { iso } from "./json";
import type { SqlEngine, SqlParam, SqlRunner } from "./sql";

export interface AuditEntry {
  at: string;
  /** "ada@example.com (sub 1234)", "token deploy-bot", "viewer link vl_…", "OPERATOR_TOKEN", "anonymous". */
  actor: string;
  role: string | null;
  deployment: string | null;
  /** e.g. "sign-in", "denied", "token.created", "run.started". */
  action: string;
  target: string | null;
  outcome: string;
  client: string;
  requestId: string;
}

/** An entry as GET /api/audit lists it: with its place in the chain and its hash. */
export type ListedAuditEntry = AuditEntry & { seq: number; hash: string };

export interface AuditQuery {
  since?: string;
  actor?: string;
  action?: string;
  deployment?: string;
  limit?: number;
}

const AUDIT_LOCK = 727127;

export class AuditRepo {
  constructor(private readonly db: SqlEngine) {}

  async append(entry: AuditEntry): Promise<number> {
    return this.db.transaction(async (tx: SqlRunner) => {
      await tx.query("select pg_advisory_xact_lock($1)", [AUDIT_LOCK]);
      const [last] = await tx.query<{ seq: string | number; hash: string }>("select seq, hash from audit_log order by seq desc limit 1");
      const seq = last ? Number(last.seq) + 1 : 1;
      const prev = last?.hash ?? GENESIS;
      await tx.query("insert into audit_log (seq, at, entry, prev_hash, hash) values ($1, $2, $3::jsonb, $4, $5)", [
        seq,
        entry.at,
        JSON.stringify(entry),
        prev,
        chainHash(prev, seq, entry),
      ]);
      return seq;
    });
  }

  /** Entries matching the query, oldest first (at most `limit`, default 1000, the newest of them). */
  async list(q: AuditQuery = {}): Promise<ListedAuditEntry[]> {
    const where: string[] = [];
    const args: SqlParam[] = [];
    const add = (sql: string, v: SqlParam) => {
      args.push(v);
      where.push(sql.replace("?", `$${args.length}`));
    };
    if (q.since) add("at >= ?", q.since);
    if (q.actor) add("entry->>'actor' ilike ?", `%${q.actor.replace(/[%_\\]/g, (c) => `\\${c}`)}%`);
    if (q.action) add("entry->>'action' = ?", q.action);
    if (q.deployment) add("entry->>'deployment' = ?", q.deployment);
    args.push(Math.min(q.limit ?? 1000, 10_000));
    const rows = await this.db.query<{ seq: string | number; entry: AuditEntry; hash: string }>(
      `select seq, entry, hash from (select seq, entry, hash from audit_log ${where.length ? `where ${where.join(" and ")}` : ""} order by seq desc limit $${args.length}) newest order by seq`,
      args,
    );
    return rows.map((r) => ({ ...r.entry, seq: Number(r.seq), hash: r.hash }));
  }

  /** Who started a chaos run and who aborted it, as the trail recorded them (the run record itself names no person). */
  async runActors(runId: string): Promise<{ startedBy: string | null; abortedBy: string | null }> {
    const rows = await this.db.query<{ action: string; actor: string }>(
      `select entry->>'action' as action, entry->>'actor' as actor from audit_log
       where entry->>'action' in ('run.started', 'run.aborted') and entry->>'outcome' = 'ok' and (entry->>'target' = $1 or entry->>'target' like $2)
       order by seq`,
      [runId, `${runId} %`],
    );
    return { startedBy: rows.find((r) => r.action === "run.started")?.actor ?? null, abortedBy: rows.find((r) => r.action === "run.aborted")?.actor ?? null };
  }

  /** Walks the whole chain; the first broken entry, or null when intact, and how many were checked. */
  async verify(): Promise<{ checked: number; broken: { seq: number; reason: string } | null }> {
    const rows = await this.db.query<{ seq: string | number; entry: unknown; prev_hash: string; hash: string; at: Date | string }>(
      "select seq, entry, prev_hash, hash, at from audit_log order by seq",
    );
    const chain: ChainRow[] = rows.map((r) => ({ seq: Number(r.seq), entry: r.entry, prevHash: r.prev_hash, hash: r.hash }));
    const broken = firstBreak(chain);
    if (!broken) {
      // The row's own time column must agree with the hashed entry's.
      const moved = rows.find((r) => iso(r.at) !== (r.entry as AuditEntry).at);
      if (moved) return { checked: rows.length, broken: { seq: Number(moved.seq), reason: "its time column was changed" } };
    }
    return { checked: rows.length, broken };
  }
}
