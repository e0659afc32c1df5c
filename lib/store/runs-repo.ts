import "server-only";
/**
 * Chaos runs with their reports, the claims scorecard read from them, and the aborts any
 * replica may ask for. A running run names its owner (the replica running it).
 */
import { scorecard } from "../chaos/scorecard";
import type { ChaosRun, ScorecardEntry } from "../chaos/types";
import { toJson } from "./json";
import type { SqlRunner } from "./sql";

const FINAL = ["passed", "failed", "aborted"];

export class RunsRepo {
  constructor(private readonly db: SqlRunner) {}

  /** Saves the run; a final run has no owner any more. */
  async save(deployment: string, run: ChaosRun, owner: string | null): Promise<void> {
    await this.db.query(
      `insert into chaos_runs (id, deployment, started_at, state, owner, body, updated_at) values ($1, $2, $3, $4, $5, $6::jsonb, now())
       on conflict (id) do update set state = excluded.state, owner = excluded.owner, body = excluded.body, updated_at = now()`,
      [run.id, deployment, run.startedAt, run.state, FINAL.includes(run.state) ? null : owner, toJson(run)],
    );
  }

  async get(id: string): Promise<ChaosRun | null> {
    const [row] = await this.db.query<{ body: ChaosRun }>("select body from chaos_runs where id = $1", [id]);
    return row?.body ?? null;
  }

  /** Newest first. */
  async list(deployment: string, limit = 200): Promise<ChaosRun[]> {
    const rows = await this.db.query<{ body: ChaosRun }>("select body from chaos_runs where deployment = $1 order by started_at desc limit $2", [
      deployment,
      limit,
    ]);
    return rows.map((r) => r.body);
  }

  /** Runs not final, with the replica running each. */
  async unfinished(deployment: string): Promise<{ run: ChaosRun; owner: string | null }[]> {
    const rows = await this.db.query<{ body: ChaosRun; owner: string | null }>(
      "select body, owner from chaos_runs where deployment = $1 and state not in ('passed', 'failed', 'aborted') order by started_at",
      [deployment],
    );
    return rows.map((r) => ({ run: r.body, owner: r.owner }));
  }

  /** The guide's claims with the latest verdicts of this deployment's runs. */
  async scorecard(deployment: string): Promise<ScorecardEntry[]> {
    return scorecard(await this.list(deployment));
  }

  /** The replica running a run says it is alive (every second): a silent one's run is taken over. */
  async heartbeat(runId: string, owner: string): Promise<void> {
    await this.db.query("update chaos_runs set updated_at = now() where id = $1 and owner = $2", [runId, owner]);
  }

  /**
   * Claims the deployment's unfinished runs whose replica has been silent for staleMs, for
   * `claimant`: the conditional UPDATE lets one replica win each; the runs as last saved.
   */
  async claimStale(deployment: string, claimant: string, staleMs: number): Promise<ChaosRun[]> {
    const rows = await this.db.query<{ body: ChaosRun }>(
      `update chaos_runs set owner = $2, updated_at = now()
       where deployment = $1 and state not in ('passed', 'failed', 'aborted') and owner is not null and owner <> $2
         and updated_at < now() - $3 * interval '1 millisecond' returning body`,
      [deployment, claimant, staleMs],
    );
    return rows.map((r) => r.body);
  }

  /** Any replica asks; the run's owner sees it on its next look and stops. */
  async askAbort(runId: string): Promise<void> {
    await this.db.query("insert into chaos_aborts (run_id) values ($1) on conflict do nothing", [runId]);
  }

  async abortAsked(runId: string): Promise<boolean> {
    return (await this.db.query("select 1 from chaos_aborts where run_id = $1", [runId])).length > 0;
  }

  async deleteBefore(cutoff: Date): Promise<number> {
    await this.db.query("delete from chaos_aborts where asked_at < $1", [cutoff.toISOString()]);
    const rows = await this.db.query("delete from chaos_runs where started_at < $1 and state in ('passed', 'failed', 'aborted') returning 1", [
      cutoff.toISOString(),
    ]);
    return rows.length;
  }
}
