import "server-only";
/**
 * Operator authentication: a bearer token for scripts, a signed httpOnly cookie for browsers.
 * The token comes from OPERATOR_TOKEN and never leaves the server; the cookie carries only an
 * expiry and its HMAC, so a leaked cookie reveals nothing and expires by itself.
 */
import crypto from "node:crypto";

export const SESSION_COOKIE = "rrc_operator";
const SESSION_SECONDS = 12 * 3600;

/** The configured operator token, or null when operator actions are disabled. */
export function operatorToken(): string | null {
  const t = process.env.OPERATOR_TOKEN;
  return t && t.length >= 8 ? t : null;
}

function digest(s: string): Buffer {
  return crypto.createHash("sha256").update(s).digest();
}

/** Constant-time comparison (hashing first makes the lengths equal). */
export function tokenMatches(candidate: string, token: string): boolean {
  return crypto.timingSafeEqual(digest(candidate), digest(token));
}

function sign(expires: number, token: string): string {
  return crypto.createHmac("sha256", `session:${token}`).update(String(expires)).digest("base64url");
}

/** A fresh cookie value and its lifetime. */
export function issueSession(token: string, now = Date.now()): { value: string; maxAge: number } {
  const expires = Math.floor(now / 1000) + SESSION_SECONDS;
  return { value: `${expires}.${sign(expires, token)}`, maxAge: SESSION_SECONDS };
}

export function sessionValid(value: string | undefined, token: string, now = Date.now()): boolean {
  if (!value) return false;
  const [exp, mac] = value.split(".");
  const expires = Number(exp);
  if (!Number.isInteger(expires) || !mac || expires * 1000 < now) return false;
  return tokenMatches(mac, sign(expires, token));
}

export function sessionCookie(value: string, maxAge: number): string {
  return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}`;
}

export function clearedSessionCookie(): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`;
}

function cookieFrom(request: Request, name: string): string | undefined {
  const header = request.headers.get("cookie") ?? "";
  for (const part of header.split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return v.join("=");
  }
  return undefined;
}

/** Is the request from the operator (bearer token or session cookie)? */
export function isOperator(request: Request): boolean {
  const token = operatorToken();
  if (!token) return false;
  const auth = request.headers.get("authorization");
  if (auth?.startsWith("Bearer ")) return tokenMatches(auth.slice(7).trim(), token);
  return sessionValid(cookieFrom(request, SESSION_COOKIE), token);
}
