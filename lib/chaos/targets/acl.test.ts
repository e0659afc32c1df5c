import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { chaosAclLine } from "./acl";

describe("the chaos user's ACL line", () => {
  it("is the one docs/chaos-dev-stack.md prints, for a Sentinel and for a Redis Cluster dev stack", () => {
    const doc = fs.readFileSync(path.join(import.meta.dirname, "../../../docs/chaos-dev-stack.md"), "utf8");
    const lines = doc.split("\n").filter((l) => l.startsWith("user rrc-chaos "));
    expect(lines).toEqual([chaosAclLine("rrc-chaos", "CHAOS_PASSWORD"), chaosAclLine("rrc-chaos", "CHAOS_PASSWORD", { cluster: true })]);
  });
});
