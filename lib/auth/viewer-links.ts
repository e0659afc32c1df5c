/**
 * Tenant-facing viewer links: `/present/<code>` opens a read-only viewer session on the link's
 * one deployment, in which the server redacts every answer (lib/present). A link works until it
 * expires or is revoked, for at most `maxSessions` sessions (shared with several tenants); the
 * sessions it opened end with it. Pure, in memory: this replica's own, the fallback while the
 * store (shared by every replica, lib/store/viewer-links-repo.ts) does not answer.
 */
import crypto from "node:crypto";
import type { OpenOutcome } from "../store/viewer-links-repo";

export const VIEWER_LINK_DEFAULT_HOURS = 8;
export const VIEWER_LINK_MAX_HOURS = 72;
const MAX_ENTRIES = 1000;

export const newViewerLinkId = () => `vl_${crypto.randomBytes(6).toString("hex")}`;
export const VIEWER_LINK_ID = /^vl_[0-9a-f]{12}$/;

interface Link {
  id: string;
  deployment: string;
  expiresAt: number;
  opened: number;
}

export class ViewerLinks {
  private readonly links = new Map<string, Link>();
  private readonly sessions = new Map<string, { code: string; expiresAt: number }>();

  mint(hours = VIEWER_LINK_DEFAULT_HOURS, deployment: string, now = Date.now()): { code: string; id: string; createdAt: number; expiresAt: number } {
    this.sweep(now);
    const code = crypto.randomBytes(16).toString("base64url");
    const link = { id: newViewerLinkId(), deployment, expiresAt: now + Math.min(hours, VIEWER_LINK_MAX_HOURS) * 3600_000, opened: 0 };
    this.links.set(code, link);
    while (this.links.size > MAX_ENTRIES) this.links.delete(this.links.keys().next().value as string);
    return { code, id: link.id, createdAt: now, expiresAt: link.expiresAt };
  }

  /** A session `id` for the link `code`, unless it is unknown, expired, or has opened `max` sessions. */
  open(code: string, id: string, max: number, now = Date.now()): OpenOutcome {
    const link = this.links.get(code);
    if (!link || link.expiresAt <= now) return { kind: "unknown" };
    if (link.opened >= max) return { kind: "full", linkId: link.id, deployment: link.deployment };
    link.opened++;
    this.sessions.set(id, { code, expiresAt: link.expiresAt });
    while (this.sessions.size > MAX_ENTRIES) this.sessions.delete(this.sessions.keys().next().value as string);
    return { kind: "opened", linkId: link.id, deployment: link.deployment, expiresAt: link.expiresAt };
  }

  /** The live link a session was opened by, or null. */
  grant(id: string, now = Date.now()): { linkId: string; deployment: string } | null {
    const s = this.sessions.get(id);
    const link = s && this.links.get(s.code);
    if (!s || !link || s.expiresAt <= now || link.expiresAt <= now) return null;
    return { linkId: link.id, deployment: link.deployment };
  }

  /** Forgets a link here (revoked in the store: its sessions are refused there already). */
  revoke(linkId: string): void {
    for (const [code, link] of this.links) if (link.id === linkId) this.links.delete(code);
  }

  private sweep(now: number): void {
    for (const [k, link] of this.links) if (link.expiresAt <= now) this.links.delete(k);
    for (const [k, s] of this.sessions) if (s.expiresAt <= now) this.sessions.delete(k);
  }
}
