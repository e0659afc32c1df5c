/**
 * One-time login codes: what `npm run demo` prints instead of the operator token. A code is
 * single use and expires after 10 minutes; it travels in a URL fragment (never sent to a
 * server, so never in a request log) and is exchanged for a session cookie. Pure, in memory.
 */
import crypto from "node:crypto";

export const LOGIN_CODE_TTL_MS = 10 * 60_000;
const MAX_CODES = 100;

export class LoginCodes {
  private readonly codes = new Map<string, number>();

  /** A fresh code (128 random bits: unguessable, so redeeming needs no rate limit). */
  mint(now = Date.now()): { code: string; expiresAt: string } {
    for (const [c, exp] of this.codes) if (exp <= now) this.codes.delete(c);
    const code = crypto.randomBytes(16).toString("base64url");
    this.codes.set(code, now + LOGIN_CODE_TTL_MS);
    while (this.codes.size > MAX_CODES) this.codes.delete(this.codes.keys().next().value as string);
    return { code, expiresAt: new Date(now + LOGIN_CODE_TTL_MS).toISOString() };
  }

  /** True once per valid code: redeeming consumes it. */
  redeem(code: string, now = Date.now()): boolean {
    const exp = this.codes.get(code);
    if (exp === undefined) return false;
    this.codes.delete(code);
    return exp > now;
  }
}
