import { describe, expect, it } from "vitest";
import { chainHash, firstBreak, GENESIS, type ChainRow } from "./audit-chain";

function chain(entries: unknown[]): ChainRow[] {
  let prev = GENESIS;
  return entries.map((entry, i) => {
    const hash = chainHash(prev, i + 1, entry);
    const row = { seq: i + 1, entry, prevHash: prev, hash };
    prev = hash;
    return row;
  });
}

describe("the audit trail's hash chain", () => {
  const rows = chain([
    { action: "sign-in", actor: "a" },
    { action: "token.created", actor: "b" },
    { action: "run.started", actor: "c" },
  ]);
  it("holds for an untouched trail, whatever the key order the database gives back", () => {
    expect(firstBreak(rows)).toBeNull();
    expect(firstBreak([{ ...rows[0], entry: { actor: "a", action: "sign-in" } }, ...rows.slice(1)])).toBeNull();
  });
  it("finds an edited entry, a removed one, and a forged link", () => {
    expect(firstBreak([rows[0], { ...rows[1], entry: { action: "token.created", actor: "mallory" } }, rows[2]])).toMatchObject({ seq: 2 });
    expect(firstBreak([rows[0], rows[2]])).toMatchObject({ seq: 3, reason: expect.stringMatching(/entry 2 is missing/) });
    expect(firstBreak([rows[0], { ...rows[1], prevHash: GENESIS }, rows[2]])).toMatchObject({ seq: 2 });
  });
});
