import "server-only";
/**
 * The store's schema, one list of versioned migrations for both engines, applied in order at
 * start. Never edit a released migration: add the next version. Tokens and audit (access) and
 * schedules (continuous verification) come as later versions; every record table carries its
 * deployment so one database serves every deployment of every replica.
 */
import type { SqlEngine } from "./sql";

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "records",
    sql: `
      create table timeline_events (
        deployment text not null, id bigint not null, at timestamptz not null, body jsonb not null,
        primary key (deployment, id));
      create index timeline_events_at on timeline_events (at);

      create table incidents (
        deployment text not null, id text not null, opened_at timestamptz not null, state text not null,
        body jsonb not null, primary key (deployment, id));
      -- The fold's counter and when it last wrote: an incident left open longer ago ended unobserved.
      create table incident_folds (deployment text primary key, seq integer not null, saved_at timestamptz not null);

      create table failovers (
        deployment text not null, id text not null, started_at timestamptz not null, body jsonb not null,
        primary key (deployment, id));

      create table chaos_runs (
        id text primary key, deployment text not null, started_at timestamptz not null, state text not null,
        -- The replica running it (null once final): another takes it over when this one stops.
        owner text, body jsonb not null, updated_at timestamptz not null default now());
      create index chaos_runs_deployment on chaos_runs (deployment, started_at);
      -- Asked from any replica, acted on by the owner.
      create table chaos_aborts (run_id text primary key, asked_at timestamptz not null default now());

      create table fault_journals (
        deployment text primary key, run_id text not null, owner text, body jsonb not null,
        updated_at timestamptz not null default now());

      -- Only hashes of session ids and codes: a copy of the database opens no session.
      create table sessions (
        id_hash text primary key, kind text not null check (kind in ('operator', 'viewer')),
        token_hash text, expires_at timestamptz not null);
      create index sessions_expires on sessions (expires_at);
      create table login_codes (code_hash text primary key, expires_at timestamptz not null);
      create table viewer_links (code_hash text primary key, expires_at timestamptz not null);

      create table leases (name text primary key, holder text not null, expires_at timestamptz not null);
      create table imports (source text primary key, imported_at timestamptz not null default now(), detail jsonb not null);
    `,
  },
  {
    version: 2,
    name: "lease-renewals",
    // A new holder writes what it saw itself since the previous holder's last renewal (issue 26, part 4).
    sql: `alter table leases add column renewed_at timestamptz not null default now();`,
  },
  {
    version: 3,
    name: "schedules",
    sql: `
      create table schedules (
        id text primary key, deployment text not null, body jsonb not null,
        created_at timestamptz not null default now(), updated_at timestamptz not null default now());
      create index schedules_deployment on schedules (deployment);
      -- One row per slot a schedule reached: the primary key is what makes a slot fire once,
      -- whichever replica holds the lease when it comes.
      create table schedule_slots (
        schedule_id text not null, slot timestamptz not null, outcome text not null, run_id text, reason text,
        decided_at timestamptz not null default now(), primary key (schedule_id, slot));
      create table notifications (
        id bigserial primary key, at timestamptz not null default now(), deployment text not null,
        ok boolean not null, event jsonb not null, outcomes jsonb not null);
      create index notifications_at on notifications (at);
    `,
  },
  {
    version: 4,
    name: "access",
    sql: `
      -- People signed in through the team's OIDC provider: who, their grants, and when the
      -- provider was last asked (the refresh token stays here, never in a cookie or an answer).
      alter table sessions drop constraint sessions_kind_check;
      alter table sessions add constraint sessions_kind_check check (kind in ('operator', 'viewer', 'oidc'));
      alter table sessions add column person jsonb;
      alter table sessions add column refresh_token text;
      alter table sessions add column id_token text;
      alter table sessions add column checked_at timestamptz;
      alter table sessions add column link_hash text;
      alter table sessions add column created_at timestamptz not null default now();
      alter table sessions add column last_used_at timestamptz;

      -- Viewer links as grants: one deployment each, who made them, revocable.
      alter table viewer_links add column link_id text;
      alter table viewer_links add column deployment text;
      alter table viewer_links add column created_by text;
      alter table viewer_links add column created_at timestamptz not null default now();
      alter table viewer_links add column revoked_at timestamptz;

      -- Named API tokens: only the hash is kept; a revoked one is refused on the next request.
      create table api_tokens (
        id text primary key, name text not null, token_hash text not null unique, role text not null,
        deployments jsonb, created_by text not null, created_at timestamptz not null default now(),
        expires_at timestamptz, last_used_at timestamptz, revoked_at timestamptz);

      -- Append-only: each entry carries the SHA-256 of the one before (npm run audit -- verify).
      create table audit_log (
        seq bigint primary key, at timestamptz not null, entry jsonb not null,
        prev_hash text not null, hash text not null);
      create index audit_log_at on audit_log (at);
    `,
  },
  {
    version: 5,
    name: "replicas",
    // Each replica says it is alive and which OPERATOR_TOKEN it accepts (the salted SHA-256 its
    // sessions keep already): replicas that disagree are said, not found out at the load balancer.
    sql: `create table replicas (id text primary key, operator_token_hash text, seen_at timestamptz not null default now());`,
  },
  {
    version: 6,
    name: "viewer-link-sessions",
    sql: `
      -- How many sessions a link opened (the cap counts here, one row lock per open, so two
      -- replicas cannot both open the last one) and when one of them last read something.
      alter table viewer_links add column sessions_opened integer not null default 0;
      alter table viewer_links add column last_used_at timestamptz;
      create unique index viewer_links_link_id on viewer_links (link_id);
      create index sessions_link_hash on sessions (link_hash);
    `,
  },
  {
    version: 7,
    name: "timeline-written-order",
    // The order events reached the store, whatever their ids (time-based, made by each replica:
    // a new holder's handover writes events seen seconds ago): every replica's stream follows
    // the store by it (lib/store/timeline-follow.ts). The partial index serves the fleet's open
    // incidents, read for every deployment in one query.
    sql: `
      alter table timeline_events add column written bigserial;
      create index timeline_events_written on timeline_events (written);
      create index incidents_open on incidents (deployment) where state = 'open';
    `,
  },
];

/** Applies every migration not yet applied, each in its own transaction; replicas starting at once wait on one lock. */
export async function migrate(db: SqlEngine, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  await db.transaction(async (tx) => {
    await tx.query("select pg_advisory_xact_lock(727126)");
    await tx.exec(
      "create table if not exists schema_migrations (version integer primary key, name text not null, applied_at timestamptz not null default now())",
    );
  });
  const applied: number[] = [];
  for (const m of migrations) {
    const done = await db.transaction(async (tx) => {
      await tx.query("select pg_advisory_xact_lock(727126)");
      const [row] = await tx.query<{ version: number }>("select version from schema_migrations where version = $1", [m.version]);
      if (row) return false;
      await tx.exec(m.sql);
      await tx.query("insert into schema_migrations (version, name) values ($1, $2)", [m.version, m.name]);
      return true;
    });
    if (done) applied.push(m.version);
  }
  return applied;
}

/** The newest version this code knows (what /api/ready expects the database to be at). */
export const SCHEMA_VERSION = MIGRATIONS.at(-1)!.version;
