/**
 * Tenant-facing viewer links: `/present/<code>` opens a read-only viewer session in which the
 * server redacts every answer (lib/present). A link works until it expires (shared with several
 * tenants, it may be opened several times); the session it opens ends with it. Pure, in memory:
 * this replica's own, the fallback while the store (shared by every replica) does not answer.
 */
import crypto from "node:crypto";

export const VIEWER_LINK_DEFAULT_HOURS = 8;
export const VIEWER_LINK_MAX_HOURS = 72;
const MAX_ENTRIES = 1000;

export class ViewerLinks {
  private readonly links = new Map<string, number>();
  private readonly sessions = new Map<string, number>();

  mint(hours = VIEWER_LINK_DEFAULT_HOURS, now = Date.now()): { code: string; expiresAt: string } {
    this.sweep(now);
    const code = crypto.randomBytes(16).toString("base64url");
    const expires = now + Math.min(hours, VIEWER_LINK_MAX_HOURS) * 3600_000;
    this.links.set(code, expires);
    while (this.links.size > MAX_ENTRIES) this.links.delete(this.links.keys().next().value as string);
    return { code, expiresAt: new Date(expires).toISOString() };
  }

  /** A link minted elsewhere (another replica, before a restart), as the store has it. */
  adoptLink(code: string, expiresAt: number): void {
    this.links.set(code, expiresAt);
  }

  /** A viewer session for a valid link (null when the code is unknown or expired). */
  open(code: string, now = Date.now()): { id: string; maxAgeSeconds: number; expiresAt: number } | null {
    const expires = this.links.get(code);
    if (expires === undefined || expires <= now) return null;
    const id = crypto.randomBytes(32).toString("base64url");
    this.sessions.set(id, expires);
    while (this.sessions.size > MAX_ENTRIES) this.sessions.delete(this.sessions.keys().next().value as string);
    return { id, maxAgeSeconds: Math.ceil((expires - now) / 1000), expiresAt: expires };
  }

  valid(id: string | undefined, now = Date.now()): boolean {
    const expires = id ? this.sessions.get(id) : undefined;
    return expires !== undefined && expires > now;
  }

  private sweep(now: number): void {
    for (const [k, exp] of this.links) if (exp <= now) this.links.delete(k);
    for (const [k, exp] of this.sessions) if (exp <= now) this.sessions.delete(k);
  }
}
