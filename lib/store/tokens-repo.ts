import "server-only";
/**
 * Named API tokens for scripts and Prometheus. Only a hash of each token is kept; every request
 * looks its token up here (no cache), so a token revoked on one replica fails on all of them at once.
 */
import crypto from "node:crypto";
import type { Role } from "../auth/roles";
import { iso } from "./json";
import type { SqlRunner } from "./sql";

export const apiTokenHash = (token: string) => crypto.createHash("sha256").update(`rrc-api-token:${token}`).digest("base64url");

export interface ApiToken {
  id: string;
  name: string;
  role: Role;
  /** null: every deployment. */
  deployments: string[] | null;
  createdBy: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
}

interface Row {
  id: string;
  name: string;
  role: Role;
  deployments: string[] | null;
  created_by: string;
  created_at: Date | string;
  expires_at: Date | string | null;
  last_used_at: Date | string | null;
}

const toToken = (r: Row): ApiToken => ({
  id: r.id,
  name: r.name,
  role: r.role,
  deployments: r.deployments,
  createdBy: r.created_by,
  createdAt: iso(r.created_at),
  expiresAt: r.expires_at ? iso(r.expires_at) : null,
  lastUsedAt: r.last_used_at ? iso(r.last_used_at) : null,
});

const COLUMNS = "id, name, role, deployments, created_by, created_at, expires_at, last_used_at";

export class TokensRepo {
  constructor(private readonly db: SqlRunner) {}

  async create(t: Omit<ApiToken, "createdAt" | "lastUsedAt">, token: string): Promise<ApiToken> {
    const [row] = await this.db.query<Row>(
      `insert into api_tokens (id, name, token_hash, role, deployments, created_by, expires_at) values ($1, $2, $3, $4, $5::jsonb, $6, $7) returning ${COLUMNS}`,
      [t.id, t.name, apiTokenHash(token), t.role, t.deployments ? JSON.stringify(t.deployments) : null, t.createdBy, t.expiresAt],
    );
    return toToken(row);
  }

  /** The live (not revoked, not expired) tokens, newest first. */
  async list(now = Date.now()): Promise<ApiToken[]> {
    const rows = await this.db.query<Row>(
      `select ${COLUMNS} from api_tokens where revoked_at is null and (expires_at is null or expires_at > $1) order by created_at desc`,
      [new Date(now).toISOString()],
    );
    return rows.map(toToken);
  }

  /** The live token this secret is, its last use noted; null when unknown, revoked or expired. */
  async use(token: string, now = Date.now()): Promise<ApiToken | null> {
    const [row] = await this.db.query<Row>(
      `update api_tokens set last_used_at = $2 where token_hash = $1 and revoked_at is null and (expires_at is null or expires_at > $2) returning ${COLUMNS}`,
      [apiTokenHash(token), new Date(now).toISOString()],
    );
    return row ? toToken(row) : null;
  }

  /** Revokes it; false when there is no live token with this id. */
  async revoke(id: string, now = Date.now()): Promise<boolean> {
    const rows = await this.db.query("update api_tokens set revoked_at = $2 where id = $1 and revoked_at is null returning id", [
      id,
      new Date(now).toISOString(),
    ]);
    return rows.length > 0;
  }
}
