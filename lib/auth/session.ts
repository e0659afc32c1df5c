import "server-only";
/**
 * Operator authentication: a bearer token for scripts, a server-side session (httpOnly cookie
 * holding a random id) for browsers, one-time login codes to get one. The token comes from
 * OPERATOR_TOKEN and never leaves the server. Every failed credential — login or bearer — is
 * counted by one limiter, so no route is a free oracle for guessing the token. Sessions and codes
 * live in the store, shared by every replica and kept across restarts; while
 * the store does not answer, this replica's own (kept in memory too) still work here.
 */
import crypto from "node:crypto";
import { AttemptLimiter, clientKey, type LimitVerdict } from "./attempt-limiter";
import { LoginCodes } from "./login-codes";
import { askStore, saveNow } from "../store/instance";
import { SessionStore, tokenHash } from "./session-store";

export const MIN_OPERATOR_TOKEN_LENGTH = 32;

interface AuthState {
  limiter: AttemptLimiter;
  sessions: SessionStore;
  codes: LoginCodes;
}
const g = globalThis as typeof globalThis & { __rrcAuth?: AuthState };
/** One per server process: Next may bundle a module once per route, globalThis is shared. */
function state(): AuthState {
  g.__rrcAuth ??= { limiter: new AttemptLimiter(5, 50, 60_000), sessions: new SessionStore(), codes: new LoginCodes() };
  return g.__rrcAuth;
}

/** Why OPERATOR_TOKEN cannot be used, or null when it is fine (or unset: operator actions off). */
export function operatorTokenProblem(value = process.env.OPERATOR_TOKEN): string | null {
  if (!value) return null;
  if (value.length < MIN_OPERATOR_TOKEN_LENGTH) {
    return `OPERATOR_TOKEN is ${value.length} characters; it must be at least ${MIN_OPERATOR_TOKEN_LENGTH} (e.g. \`openssl rand -base64 32\`), or leave it unset and npm run demo generates one`;
  }
  return null;
}

/** The configured operator token, or null when operator actions are disabled. */
export function operatorToken(): string | null {
  const t = process.env.OPERATOR_TOKEN;
  return t && !operatorTokenProblem(t) ? t : null;
}

function digest(s: string): Buffer {
  return crypto.createHash("sha256").update(s).digest();
}

/** Constant-time comparison (hashing first makes the lengths equal). */
export function tokenMatches(candidate: string, token: string): boolean {
  return crypto.timingSafeEqual(digest(candidate), digest(token));
}

/** Served over HTTPS (directly, or behind a trusted proxy that says so): cookies get Secure and __Host-. */
export function isHttps(request: Request): boolean {
  if (new URL(request.url).protocol === "https:") return true;
  return process.env.TRUST_PROXY === "1" && request.headers.get("x-forwarded-proto")?.split(",").at(-1)?.trim() === "https";
}

const cookieName = (https: boolean) => (https ? "__Host-rrc_operator" : "rrc_operator");

function cookieAttrs(https: boolean, maxAge: number): string {
  return `Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${https ? "; Secure" : ""}`;
}

export function cookieFrom(request: Request, name: string): string | undefined {
  const header = request.headers.get("cookie") ?? "";
  for (const part of header.split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return v.join("=");
  }
  return undefined;
}

export function sessionIdFrom(request: Request): string | undefined {
  return cookieFrom(request, cookieName(isHttps(request)));
}

/** The session cookie (the same for every kind of session) for a new session id. */
export function sessionCookie(request: Request, id: string, maxAge: number): string {
  const https = isHttps(request);
  return `${cookieName(https)}=${id}; ${cookieAttrs(https, maxAge)}`;
}

/** A new session for the operator, as a Set-Cookie header value; in the store before it is answered. */
export async function startSession(request: Request, token: string): Promise<string> {
  const https = isHttps(request);
  const s = state().sessions.issue(token);
  await saveNow((store) => store.auth.putSession(s.id, { kind: "operator", tokenHash: tokenHash(token), expiresAt: s.expiresAt }));
  return `${cookieName(https)}=${s.id}; ${cookieAttrs(https, s.maxAge)}`;
}

/** Revokes this request's session (logout) on every replica; the Set-Cookie that clears it. */
export async function endSession(request: Request): Promise<string> {
  const id = sessionIdFrom(request);
  state().sessions.revoke(id);
  if (id) await saveNow((store) => store.auth.revokeSession(id));
  const https = isHttps(request);
  return `${cookieName(https)}=; ${cookieAttrs(https, 0)}`;
}

export function limiterClient(request: Request): string {
  return clientKey(request.headers, process.env.TRUST_PROXY === "1");
}

/**
 * Counts a failed credential; the limit verdict when its client (or everyone) is now over the
 * limit (answer 429), else null (answer 401). Never asked about a correct credential.
 */
export function failedCredential(request: Request): LimitVerdict | null {
  const limiter = state().limiter;
  const client = limiterClient(request);
  const verdict = limiter.check(client);
  limiter.fail(client);
  return verdict.limited ? verdict : null;
}

/** The store decides when it answers (a logout on another replica counts); else this replica's memory. */
async function operatorSessionValid(id: string, token: string): Promise<boolean> {
  const stored = await askStore((store) => store.auth.getSession(id));
  if (stored === undefined) return state().sessions.valid(id, token);
  return stored !== null && stored.kind === "operator" && stored.tokenHash === tokenHash(token);
}

/** Whether `id` is a live break-glass session (opened with OPERATOR_TOKEN or a one-time code). */
export async function operatorSession(id: string): Promise<boolean> {
  const token = operatorToken();
  return !!token && (await operatorSessionValid(id, token));
}

/** A one-time login code (for the operator to hand to a browser), redeemable on any replica. */
export async function mintLoginCode(): Promise<{ code: string; expiresAt: string }> {
  const minted = state().codes.mint();
  await saveNow((store) => store.auth.putLoginCode(minted.code, Date.parse(minted.expiresAt)));
  return minted;
}

/** True once per valid code, whichever replica redeems it (the store's delete is the claim). */
export async function redeemLoginCode(code: string): Promise<boolean> {
  const inMemory = state().codes.redeem(code);
  const stored = await askStore((store) => store.auth.redeemLoginCode(code));
  return stored ?? inMemory;
}
