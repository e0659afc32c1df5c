import "server-only";
/**
 * The console's records in one database: PGlite in the data dir by default, PostgreSQL when a
 * URL is given. Opening applies the migrations; the typed repositories are all anyone else sees.
 */
import path from "node:path";
import { AuditRepo } from "./audit-repo";
import { AuthRepo } from "./auth-repo";
import { openPglite } from "./engine-pglite";
import { openPostgres } from "./engine-postgres";
import { ReplicasRepo } from "./replicas-repo";
import { FailoversRepo } from "./failovers-repo";
import { IncidentsRepo } from "./incidents-repo";
import { JournalRepo } from "./journal-repo";
import { LeaseRepo } from "./lease-repo";
import { migrate } from "./migrations";
import { RunsRepo } from "./runs-repo";
import { SchedulesRepo } from "./schedules-repo";
import type { SqlEngine } from "./sql";
import { TimelineRepo } from "./timeline-repo";
import { TokensRepo } from "./tokens-repo";
import { ViewerLinksRepo } from "./viewer-links-repo";

export interface StoreOptions {
  /** The console's data dir: PGlite keeps its cluster in `<dataDir>/store`. */
  dataDir: string | null;
  /** PostgreSQL instead of PGlite. */
  databaseUrl?: string | null;
  timeoutMs?: number;
}

export class Store {
  readonly timeline: TimelineRepo;
  readonly incidents: IncidentsRepo;
  readonly failovers: FailoversRepo;
  readonly runs: RunsRepo;
  readonly journals: JournalRepo;
  readonly auth: AuthRepo;
  readonly leases: LeaseRepo;
  readonly schedules: SchedulesRepo;
  readonly tokens: TokensRepo;
  readonly audit: AuditRepo;
  readonly replicas: ReplicasRepo;
  readonly viewerLinks: ViewerLinksRepo;

  constructor(readonly db: SqlEngine) {
    this.timeline = new TimelineRepo(db);
    this.incidents = new IncidentsRepo(db);
    this.failovers = new FailoversRepo(db);
    this.runs = new RunsRepo(db);
    this.journals = new JournalRepo(db);
    this.auth = new AuthRepo(db);
    this.leases = new LeaseRepo(db);
    this.schedules = new SchedulesRepo(db);
    this.tokens = new TokensRepo(db);
    this.audit = new AuditRepo(db);
    this.replicas = new ReplicasRepo(db);
    this.viewerLinks = new ViewerLinksRepo(db);
  }

  get engine(): SqlEngine["kind"] {
    return this.db.kind;
  }

  /** Throws unless the database answers now. */
  async ping(): Promise<void> {
    await this.db.query("select 1");
  }

  close(): Promise<void> {
    return this.db.close();
  }
}

/** Where PGlite keeps the store inside a data dir. */
export const pgliteDir = (dataDir: string) => path.join(dataDir, "store");

/** Opens the engine and brings its schema up to date; throws with the reason when it cannot. */
export async function openStore(opts: StoreOptions): Promise<Store> {
  const db = opts.databaseUrl ? openPostgres(opts.databaseUrl, opts.timeoutMs) : await openPglite(opts.dataDir && pgliteDir(opts.dataDir), opts.timeoutMs);
  try {
    await migrate(db);
  } catch (err) {
    await db.close().catch(() => {});
    throw new Error(`migrations failed: ${(err as Error).message}`);
  }
  return new Store(db);
}
