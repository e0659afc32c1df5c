import { describe, expect, it } from "vitest";
import type { IncidentRecords } from "../store/records";
import { IncidentStore } from "./store";
import type { Incident } from "./types";

/** The store's records as a console leaves them when it stops with an incident open, last saved `agoMs` ago. */
function leftOpen(agoMs: number): IncidentRecords & { saves: { seq: number; incidents: Incident[] }[] } {
  const startedAt = new Date(Date.now() - agoMs - 60_000).toISOString();
  const open = { id: "x-1", state: "open", startedAt, recoveredAt: null, closedAt: null, durationMs: null, details: [], layers: [] } as unknown as Incident;
  const saves: { seq: number; incidents: Incident[] }[] = [];
  return {
    saved: { seq: 1, incidents: [open], savedAt: new Date(Date.now() - agoMs).toISOString() },
    saves,
    save: (seq, incidents) => void saves.push({ seq, incidents: structuredClone(incidents) }),
  };
}

describe("an incident left open by a stopped console", () => {
  it("is closed at the last save after a long stop, and the store is told so", () => {
    const records = leftOpen(3 * 3600_000);
    const store = new IncidentStore(records, () => 60_000);
    expect(store.open()).toBeNull();
    const saved = records.saves.at(-1)!;
    expect(saved.seq).toBe(1);
    expect(saved.incidents[0].state).toBe("closed");
    expect(saved.incidents[0].durationMs).toBeGreaterThanOrEqual(59_000);
    expect(saved.incidents[0].durationMs).toBeLessThan(120_000);
  });

  it("continues after a restart of a few seconds, saving nothing yet", () => {
    const records = leftOpen(5_000);
    const store = new IncidentStore(records, () => 60_000);
    expect(store.open()?.id).toBe("x-1");
    expect(records.saves).toEqual([]);
  });
});
