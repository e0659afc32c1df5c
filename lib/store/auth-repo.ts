import "server-only";
/**
 * Sessions and one-time login codes (viewer links: viewer-links-repo.ts), shared by every replica. Only SHA-256 hashes
 * of the ids and codes are stored: reading the database opens no session.
 */
import crypto from "node:crypto";
import { iso } from "./json";
import type { Grant } from "../auth/roles";
import type { SqlRunner } from "./sql";

export const secretHash = (secret: string) => crypto.createHash("sha256").update(`rrc-store:${secret}`).digest("base64url");

/** Who a person's session is, as the identity provider last said (never a token). */
export interface SessionPerson {
  subject: string;
  email?: string;
  name?: string;
  groups: string[];
  grants: Grant[];
}

export interface StoredSession {
  kind: "operator" | "viewer" | "oidc";
  tokenHash: string | null;
  expiresAt: number;
  person?: SessionPerson | null;
  /** When the provider was last asked for this person's groups. */
  checkedAt?: number | null;
}

export class AuthRepo {
  constructor(private readonly db: SqlRunner) {}

  async putSession(id: string, s: StoredSession): Promise<void> {
    await this.db.query("insert into sessions (id_hash, kind, token_hash, expires_at) values ($1, $2, $3, $4) on conflict (id_hash) do nothing", [
      secretHash(id),
      s.kind,
      s.tokenHash,
      new Date(s.expiresAt).toISOString(),
    ]);
  }

  /** The session, or null when unknown or expired. */
  async getSession(id: string, now = Date.now()): Promise<StoredSession | null> {
    const [row] = await this.db.query<{
      kind: StoredSession["kind"];
      token_hash: string | null;
      expires_at: Date | string;
      person: SessionPerson | null;
      checked_at: Date | string | null;
    }>("select kind, token_hash, expires_at, person, checked_at from sessions where id_hash = $1 and expires_at > $2", [
      secretHash(id),
      new Date(now).toISOString(),
    ]);
    if (!row) return null;
    return {
      kind: row.kind,
      tokenHash: row.token_hash,
      expiresAt: Date.parse(iso(row.expires_at)),
      person: row.person,
      checkedAt: row.checked_at ? Date.parse(iso(row.checked_at)) : null,
    };
  }

  /** A person's session (signed in through the OIDC provider); the provider's tokens stay in the store. */
  async putPersonSession(
    id: string,
    s: { person: SessionPerson; refreshToken: string | null; idToken: string | null; expiresAt: number; checkedAt: number },
  ): Promise<void> {
    await this.db.query(
      "insert into sessions (id_hash, kind, token_hash, expires_at, person, refresh_token, id_token, checked_at) values ($1, 'oidc', null, $2, $3::jsonb, $4, $5, $6)",
      [secretHash(id), new Date(s.expiresAt).toISOString(), JSON.stringify(s.person), s.refreshToken, s.idToken, new Date(s.checkedAt).toISOString()],
    );
  }

  /** The provider's tokens of a person's session (for a refresh, and the logout's id_token_hint). */
  async personTokens(id: string): Promise<{ refreshToken: string | null; idToken: string | null } | null> {
    const [row] = await this.db.query<{ refresh_token: string | null; id_token: string | null }>(
      "select refresh_token, id_token from sessions where id_hash = $1 and kind = 'oidc'",
      [secretHash(id)],
    );
    return row ? { refreshToken: row.refresh_token, idToken: row.id_token } : null;
  }

  /**
   * Claims the next look at the provider for a session whose roles were last read at `checkedAt`:
   * true for one caller across every replica (the others keep the current roles meanwhile).
   */
  async claimRecheck(id: string, checkedAt: number, now = Date.now()): Promise<boolean> {
    const rows = await this.db.query("update sessions set checked_at = $3 where id_hash = $1 and checked_at = $2 returning id_hash", [
      secretHash(id),
      new Date(checkedAt).toISOString(),
      new Date(now).toISOString(),
    ]);
    return rows.length > 0;
  }

  /** The person's roles as the provider said them just now (and its new tokens, when it rotated them). */
  async updatePerson(id: string, person: SessionPerson, tokens: { refreshToken: string | null; idToken: string | null }): Promise<void> {
    await this.db.query(
      "update sessions set person = $2::jsonb, refresh_token = coalesce($3, refresh_token), id_token = coalesce($4, id_token) where id_hash = $1",
      [secretHash(id), JSON.stringify(person), tokens.refreshToken, tokens.idToken],
    );
  }

  async revokeSession(id: string): Promise<void> {
    await this.db.query("delete from sessions where id_hash = $1", [secretHash(id)]);
  }

  async putLoginCode(code: string, expiresAt: number): Promise<void> {
    await this.db.query("insert into login_codes (code_hash, expires_at) values ($1, $2)", [secretHash(code), new Date(expiresAt).toISOString()]);
  }

  /** True once per valid code, on whichever replica redeems it first: the delete is the claim. */
  async redeemLoginCode(code: string, now = Date.now()): Promise<boolean> {
    const rows = await this.db.query<{ expires_at: Date | string }>("delete from login_codes where code_hash = $1 returning expires_at", [secretHash(code)]);
    return rows.length > 0 && Date.parse(iso(rows[0].expires_at)) > now;
  }

  /** Expired sessions, codes and links go. */
  async sweep(now = Date.now()): Promise<void> {
    const at = new Date(now).toISOString();
    for (const table of ["sessions", "login_codes", "viewer_links"]) await this.db.query(`delete from ${table} where expires_at <= $1`, [at]);
  }
}
