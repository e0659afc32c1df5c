import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { keepOperatorToken } from "./operator-token.mjs";

let dir = "";
afterEach(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

describe("keepOperatorToken", () => {
  it("writes the token at 0600, also over a file left world-readable", () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "rrc-token-"));
    const data = path.join(dir, ".console-data");
    fs.mkdirSync(data);
    fs.writeFileSync(path.join(data, "operator-token"), "old\n", { mode: 0o644 });
    const file = keepOperatorToken(data, "a".repeat(43));
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(file, "utf8")).toBe(`${"a".repeat(43)}\n`);
  });
  it("creates the data dir and a new file at 0600 whatever the umask", () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "rrc-token-"));
    const old = process.umask(0o000);
    try {
      const file = keepOperatorToken(path.join(dir, "fresh"), "b".repeat(43));
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    } finally {
      process.umask(old);
    }
  });
});
