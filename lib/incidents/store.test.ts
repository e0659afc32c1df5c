import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { IncidentStore } from "./store";
import type { Incident } from "./types";

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** A file as a console leaves it when it stops with an incident open, last written `agoMs` ago. */
function leftOpen(agoMs: number): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rrc-incidents-"));
  dirs.push(dir);
  const file = path.join(dir, "incidents.json");
  const startedAt = new Date(Date.now() - agoMs - 60_000).toISOString();
  const open: Partial<Incident> = { id: "x-1", state: "open", startedAt, recoveredAt: null, closedAt: null, durationMs: null, details: [], layers: [] };
  fs.writeFileSync(file, JSON.stringify({ incidents: [open], seq: 1 }));
  const lastLook = new Date(Date.now() - agoMs);
  fs.utimesSync(file, lastLook, lastLook);
  return file;
}

describe("an incident left open by a stopped console", () => {
  it("is closed at the file's last write after a long stop, and the file says so", () => {
    const file = leftOpen(3 * 3600_000);
    const store = new IncidentStore(file, () => 60_000);
    expect(store.open()).toBeNull();
    const saved = JSON.parse(fs.readFileSync(file, "utf8")) as { incidents: Incident[] };
    expect(saved.incidents[0].state).toBe("closed");
    expect(saved.incidents[0].durationMs).toBeGreaterThanOrEqual(59_000);
    expect(saved.incidents[0].durationMs).toBeLessThan(120_000);
  });

  it("continues after a restart of a few seconds", () => {
    const store = new IncidentStore(leftOpen(5_000), () => 60_000);
    expect(store.open()?.id).toBe("x-1");
  });
});
