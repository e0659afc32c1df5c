import "server-only";
/**
 * Viewer links as grants: minting one for a deployment, opening a session from it (at most
 * auth.viewerLinks.maxSessions per link), the grant a viewer cookie carries, revoking. The store
 * decides whenever it answers (a revoke on another replica counts at the next request); while it
 * does not, this replica's own links and sessions (kept in memory too) still work here.
 */
import crypto from "node:crypto";
import { askStore, saveNow } from "../store/instance";
import type { OpenOutcome } from "../store/viewer-links-repo";
import { authConfig } from "./auth-settings";
import type { ViewerGrant } from "./gateway-mark";
import { cookieFrom, isHttps } from "./session";
import { ViewerLinks } from "./viewer-links";

/** The cookie a viewer link sets: read by proxy.ts, which sends the whole session through the redacting gateway. */
export const VIEWER_COOKIE = "rrc_viewer";

/** A link's last use is written at most this often per process: a viewer's every request must not be a write. */
const TOUCH_EVERY_MS = 15_000;

const g = globalThis as typeof globalThis & { __rrcViewerLinks?: { links: ViewerLinks; touched: Map<string, number> } };
function state() {
  g.__rrcViewerLinks ??= { links: new ViewerLinks(), touched: new Map() };
  return g.__rrcViewerLinks;
}

export interface MintedLink {
  id: string;
  code: string;
  deployment: string;
  expiresAt: string;
}

/** A new link for `deployment`, made by `createdBy` (the audit trail's actor); in the store before it is answered. */
export async function mintViewerLink(hours: number, deployment: string, createdBy: string): Promise<MintedLink> {
  const link = state().links.mint(hours, deployment);
  await saveNow((store) => store.viewerLinks.create(link.code, { id: link.id, deployment, createdBy, expiresAt: link.expiresAt }, link.createdAt));
  return { id: link.id, code: link.code, deployment, expiresAt: new Date(link.expiresAt).toISOString() };
}

export type OpenedViewer = OpenOutcome & { cookie?: string };

/** Opens a viewer session for a link code: the outcome, with the Set-Cookie when a session was opened. */
export async function openViewerSession(request: Request, code: string): Promise<OpenedViewer> {
  const id = crypto.randomBytes(32).toString("base64url");
  const max = authConfig().viewerLinks.maxSessions;
  const stored = await askStore((store) => store.viewerLinks.open(code, id, max));
  const outcome = stored ?? state().links.open(code, id, max);
  if (outcome.kind !== "opened") return outcome;
  const maxAge = Math.max(1, Math.ceil((outcome.expiresAt - Date.now()) / 1000));
  // Lax: the link is opened from a mail or a chat, a cross-site navigation that Strict would strip.
  const cookie = `${VIEWER_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${isHttps(request) ? "; Secure" : ""}`;
  return { ...outcome, cookie };
}

/** The link (and its one deployment) a request's viewer cookie was opened by, or null: no session, expired, or revoked. */
export async function viewerGrant(request: Request): Promise<ViewerGrant | null> {
  const id = cookieFrom(request, VIEWER_COOKIE);
  if (!id) return null;
  const stored = await askStore((store) => store.viewerLinks.sessionGrant(id));
  const grant = stored === undefined ? state().links.grant(id) : stored;
  if (grant) touch(grant.linkId);
  return grant;
}

function touch(linkId: string): void {
  const { touched } = state();
  const now = Date.now();
  if (now - (touched.get(linkId) ?? 0) < TOUCH_EVERY_MS) return;
  touched.set(linkId, now);
  if (touched.size > 1000) touched.clear();
  void askStore((store) => store.viewerLinks.touch(linkId, now));
}

/** Revokes a live link and ends its sessions on every replica; null when there was none (or the store cannot say: undefined). */
export async function revokeViewerLink(linkId: string): Promise<{ sessionsEnded: number } | null | undefined> {
  state().links.revoke(linkId);
  state().touched.delete(linkId);
  return askStore((store) => store.viewerLinks.revoke(linkId));
}
