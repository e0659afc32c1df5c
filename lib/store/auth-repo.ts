import "server-only";
/**
 * Sessions, one-time login codes and viewer links, shared by every replica. Only SHA-256 hashes
 * of the ids and codes are stored: reading the database opens no session.
 */
import crypto from "node:crypto";
import { iso } from "./json";
import type { SqlRunner } from "./sql";

export const secretHash = (secret: string) => crypto.createHash("sha256").update(`rrc-store:${secret}`).digest("base64url");

export interface StoredSession {
  kind: "operator" | "viewer";
  tokenHash: string | null;
  expiresAt: number;
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
    const [row] = await this.db.query<{ kind: "operator" | "viewer"; token_hash: string | null; expires_at: Date | string }>(
      "select kind, token_hash, expires_at from sessions where id_hash = $1 and expires_at > $2",
      [secretHash(id), new Date(now).toISOString()],
    );
    return row ? { kind: row.kind, tokenHash: row.token_hash, expiresAt: Date.parse(iso(row.expires_at)) } : null;
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

  async putViewerLink(code: string, expiresAt: number): Promise<void> {
    await this.db.query("insert into viewer_links (code_hash, expires_at) values ($1, $2)", [secretHash(code), new Date(expiresAt).toISOString()]);
  }

  /** When the link expires, or null when unknown or expired. */
  async viewerLinkExpiry(code: string, now = Date.now()): Promise<number | null> {
    const [row] = await this.db.query<{ expires_at: Date | string }>("select expires_at from viewer_links where code_hash = $1 and expires_at > $2", [
      secretHash(code),
      new Date(now).toISOString(),
    ]);
    return row ? Date.parse(iso(row.expires_at)) : null;
  }

  /** Expired sessions, codes and links go. */
  async sweep(now = Date.now()): Promise<void> {
    const at = new Date(now).toISOString();
    for (const table of ["sessions", "login_codes", "viewer_links"]) await this.db.query(`delete from ${table} where expires_at <= $1`, [at]);
  }
}
