import { describe, expect, it } from "vitest";
import { VIEWER_LINK_ID, ViewerLinks } from "./viewer-links";

describe("ViewerLinks (this replica's fallback while the store does not answer)", () => {
  it("a link opens sessions on its one deployment up to the cap, then says it is full", () => {
    const links = new ViewerLinks();
    const now = Date.parse("2026-12-06T10:00:00Z");
    const link = links.mint(2, "staging-eu", now);
    expect(link.id).toMatch(VIEWER_LINK_ID);
    expect(link.expiresAt - now).toBe(2 * 3600_000);
    expect(links.open(link.code, "s1", 2, now)).toEqual({ kind: "opened", linkId: link.id, deployment: "staging-eu", expiresAt: link.expiresAt });
    expect(links.open(link.code, "s2", 2, now).kind).toBe("opened");
    expect(links.open(link.code, "s3", 2, now)).toEqual({ kind: "full", linkId: link.id, deployment: "staging-eu" });
    expect(links.grant("s1", now)).toEqual({ linkId: link.id, deployment: "staging-eu" });
    expect(links.grant("s3", now)).toBeNull();
    expect(links.open("no-such-code", "s4", 2, now)).toEqual({ kind: "unknown" });
  });

  it("expiry and revoke end the link and its sessions; hours are capped at 72", () => {
    const links = new ViewerLinks();
    const now = Date.parse("2026-12-06T10:00:00Z");
    const a = links.mint(1, "sandbox", now);
    links.open(a.code, "sa", 20, now);
    expect(links.grant("sa", a.expiresAt)).toBeNull();
    expect(links.open(a.code, "sb", 20, a.expiresAt)).toEqual({ kind: "unknown" });
    const b = links.mint(500, "sandbox", now);
    expect(b.expiresAt - now).toBe(72 * 3600_000);
    links.open(b.code, "sc", 20, now);
    links.revoke(b.id);
    expect(links.grant("sc", now)).toBeNull();
    expect(links.open(b.code, "sd", 20, now)).toEqual({ kind: "unknown" });
  });
});
