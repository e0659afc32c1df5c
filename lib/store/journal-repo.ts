import "server-only";
/**
 * The fault journal per deployment: committed before each fault, so whichever replica is alive
 * can undo a dead one's faults. At most one journal per deployment (one run at a time).
 */
import type { JournalFile } from "../chaos/journal";
import { toJson } from "./json";
import type { SqlRunner } from "./sql";

export interface StoredJournal {
  journal: JournalFile;
  owner: string | null;
}

export class JournalRepo {
  constructor(private readonly db: SqlRunner) {}

  /** Returns once committed. Refuses (throws) when another run's journal is still there. */
  async put(journal: JournalFile, owner: string | null): Promise<void> {
    const rows = await this.db.query(
      `insert into fault_journals (deployment, run_id, owner, body, updated_at) values ($1, $2, $3, $4::jsonb, now())
       on conflict (deployment) do update set body = excluded.body, owner = excluded.owner, updated_at = now()
       where fault_journals.run_id = excluded.run_id returning 1`,
      [journal.deployment, journal.runId, owner, toJson(journal)],
    );
    if (!rows.length) throw new Error(`deployment ${journal.deployment} has another run's unfinished fault journal`);
  }

  async get(deployment: string): Promise<StoredJournal | null> {
    const [row] = await this.db.query<{ body: JournalFile; owner: string | null }>("select body, owner from fault_journals where deployment = $1", [
      deployment,
    ]);
    return row ? { journal: row.body, owner: row.owner } : null;
  }

  /**
   * Whether no live replica runs the journal's run, so `me` may undo it: its owner is gone or is
   * `me`, or its run is final, claimed by `me` or silent for staleMs; a journal without a run yet
   * (its console in the pre-flight) only once the journal itself is silent for noRunMs.
   */
  async orphaned(deployment: string, runId: string, me: string, staleMs: number, noRunMs: number): Promise<boolean> {
    const [row] = await this.db.query<{ orphaned: boolean }>(
      `select (j.owner is null or j.owner = $3 or coalesce(
         (select r.state in ('passed', 'failed', 'aborted') or r.owner is null or r.owner = $3 or r.updated_at < now() - $4 * interval '1 millisecond'
            from chaos_runs r where r.id = j.run_id),
         j.updated_at < now() - $5 * interval '1 millisecond')) as orphaned
       from fault_journals j where j.deployment = $1 and j.run_id = $2`,
      [deployment, runId, me, staleMs, noRunMs],
    );
    return row?.orphaned ?? false;
  }

  /** Everything was undone: the journal goes. */
  async finish(deployment: string, runId: string): Promise<void> {
    await this.db.query("delete from fault_journals where deployment = $1 and run_id = $2", [deployment, runId]);
  }
}
