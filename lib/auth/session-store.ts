/**
 * Server-side operator sessions: the cookie carries only a random id, so logout (or a new
 * operator token) revokes it at once, which a signed stateless cookie cannot do. Pure, in memory:
 * this replica's own sessions, what it falls back to while the store (shared by every replica,
 * surviving restarts) does not answer. A session under another operator token is not valid.
 */
import crypto from "node:crypto";

export const SESSION_SECONDS = 12 * 3600;
const MAX_SESSIONS = 1000;

interface Session {
  expiresAt: number;
  /** Hash of the operator token the session was issued under: a rotated token ends it. */
  tokenHash: string;
}

export const tokenHash = (token: string) => crypto.createHash("sha256").update(`operator:${token}`).digest("base64url");

export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  issue(token: string, now = Date.now()): { id: string; maxAge: number; expiresAt: number } {
    this.sweep(now);
    const id = crypto.randomBytes(32).toString("base64url");
    this.sessions.set(id, { expiresAt: now + SESSION_SECONDS * 1000, tokenHash: tokenHash(token) });
    while (this.sessions.size > MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value as string);
    return { id, maxAge: SESSION_SECONDS, expiresAt: now + SESSION_SECONDS * 1000 };
  }

  valid(id: string | undefined, token: string, now = Date.now()): boolean {
    if (!id) return false;
    const s = this.sessions.get(id);
    if (!s) return false;
    if (s.expiresAt <= now || s.tokenHash !== tokenHash(token)) {
      this.sessions.delete(id);
      return false;
    }
    return true;
  }

  revoke(id: string | undefined): void {
    if (id) this.sessions.delete(id);
  }

  private sweep(now: number): void {
    for (const [id, s] of this.sessions) if (s.expiresAt <= now) this.sessions.delete(id);
  }
}
