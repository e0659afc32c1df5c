import "server-only";
/**
 * Viewer links as grants (issue 27, item 5): each for one deployment, made by someone, opened
 * by at most a configured number of sessions, revocable. Only the hash of a link's code and of
 * its sessions' ids is kept; every viewer request is checked here, so a revoked link's sessions
 * end on every replica at the next request.
 */
import { iso } from "./json";
import { secretHash } from "./auth-repo";
import type { SqlRunner } from "./sql";

export interface ViewerLinkRow {
  id: string;
  deployment: string;
  createdBy: string;
  createdAt: string;
  expiresAt: string;
  /** Sessions the link opened (each lives until the link expires or is revoked). */
  sessions: number;
  lastUsedAt: string | null;
}

/** What opening a link came to: a session on its deployment, a link already opened `max` times, or no live link. */
export type OpenOutcome =
  { kind: "opened"; linkId: string; deployment: string; expiresAt: number } | { kind: "full"; linkId: string; deployment: string } | { kind: "unknown" };

interface Row {
  link_id: string;
  deployment: string;
  created_by: string | null;
  created_at: Date | string;
  expires_at: Date | string;
  sessions_opened: number;
  last_used_at: Date | string | null;
}

const toLink = (r: Row): ViewerLinkRow => ({
  id: r.link_id,
  deployment: r.deployment,
  createdBy: r.created_by ?? "unknown",
  createdAt: iso(r.created_at),
  expiresAt: iso(r.expires_at),
  sessions: Number(r.sessions_opened),
  lastUsedAt: r.last_used_at ? iso(r.last_used_at) : null,
});

const COLUMNS = "link_id, deployment, created_by, created_at, expires_at, sessions_opened, last_used_at";
/** A link that grants something: one deployment, not revoked, not expired (links minted before grants had no deployment). */
const LIVE = "revoked_at is null and deployment is not null and expires_at > $2";

export class ViewerLinksRepo {
  constructor(private readonly db: SqlRunner) {}

  async create(code: string, link: { id: string; deployment: string; createdBy: string; expiresAt: number }, now = Date.now()): Promise<void> {
    await this.db.query("insert into viewer_links (code_hash, link_id, deployment, created_by, created_at, expires_at) values ($1, $2, $3, $4, $5, $6)", [
      secretHash(code),
      link.id,
      link.deployment,
      link.createdBy,
      new Date(now).toISOString(),
      new Date(link.expiresAt).toISOString(),
    ]);
  }

  /**
   * Opens a session `sessionId` for the link `code`, unless it has opened `max` already: the
   * counter's update is the claim (one row lock), so replicas opening at once never exceed it.
   */
  async open(code: string, sessionId: string, max: number, now = Date.now()): Promise<OpenOutcome> {
    const at = new Date(now).toISOString();
    const [claimed] = await this.db.query<Row>(
      `update viewer_links set sessions_opened = sessions_opened + 1, last_used_at = $2
       where code_hash = $1 and ${LIVE} and sessions_opened < $3 returning ${COLUMNS}`,
      [secretHash(code), at, max],
    );
    if (!claimed) {
      const [full] = await this.db.query<Row>(`select ${COLUMNS} from viewer_links where code_hash = $1 and ${LIVE}`, [secretHash(code), at]);
      return full ? { kind: "full", linkId: full.link_id, deployment: full.deployment } : { kind: "unknown" };
    }
    const expiresAt = Date.parse(iso(claimed.expires_at));
    await this.db.query("insert into sessions (id_hash, kind, token_hash, expires_at, link_hash) values ($1, 'viewer', null, $2, $3)", [
      secretHash(sessionId),
      new Date(expiresAt).toISOString(),
      secretHash(code),
    ]);
    return { kind: "opened", linkId: claimed.link_id, deployment: claimed.deployment, expiresAt };
  }

  /** The live link a viewer session was opened by, or null (unknown, expired, revoked). */
  async sessionGrant(sessionId: string, now = Date.now()): Promise<{ linkId: string; deployment: string } | null> {
    const [row] = await this.db.query<{ link_id: string; deployment: string }>(
      `select l.link_id, l.deployment from sessions s join viewer_links l on l.code_hash = s.link_hash
       where s.id_hash = $1 and s.kind = 'viewer' and s.expires_at > $2 and l.revoked_at is null and l.deployment is not null and l.expires_at > $2`,
      [secretHash(sessionId), new Date(now).toISOString()],
    );
    return row ? { linkId: row.link_id, deployment: row.deployment } : null;
  }

  /** A session of the link read something now. */
  async touch(linkId: string, now = Date.now()): Promise<void> {
    await this.db.query("update viewer_links set last_used_at = $2 where link_id = $1", [linkId, new Date(now).toISOString()]);
  }

  /** The live links, newest first. */
  async list(now = Date.now()): Promise<ViewerLinkRow[]> {
    const rows = await this.db.query<Row>(`select ${COLUMNS} from viewer_links where ${LIVE.replaceAll("$2", "$1")} order by created_at desc`, [
      new Date(now).toISOString(),
    ]);
    return rows.map(toLink);
  }

  /** One live link, or null. */
  async get(linkId: string, now = Date.now()): Promise<ViewerLinkRow | null> {
    const [row] = await this.db.query<Row>(`select ${COLUMNS} from viewer_links where link_id = $1 and ${LIVE}`, [linkId, new Date(now).toISOString()]);
    return row ? toLink(row) : null;
  }

  /** Revokes a live link and ends its sessions (every replica reads them here); how many ended, or null when there was no live link. */
  async revoke(linkId: string, now = Date.now()): Promise<{ sessionsEnded: number } | null> {
    const [row] = await this.db.query<{ code_hash: string }>(`update viewer_links set revoked_at = $2 where link_id = $1 and ${LIVE} returning code_hash`, [
      linkId,
      new Date(now).toISOString(),
    ]);
    if (!row) return null;
    const ended = await this.db.query("delete from sessions where link_hash = $1 returning id_hash", [row.code_hash]);
    return { sessionsEnded: ended.length };
  }
}
