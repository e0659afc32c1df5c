import { describe, expect, it } from "vitest";
import { allowedHostsFrom, hostAllowed } from "./host-allowlist";

describe("host allowlist", () => {
  it("loopback names on any port", () => {
    for (const h of ["127.0.0.1:3000", "localhost:3199", "[::1]:3000", "LOCALHOST", "127.0.0.1"]) expect(hostAllowed(h, [])).toBe(true);
  });
  it("refuses a rebinding name, a missing host and look-alikes", () => {
    for (const h of ["evil.example:3000", "127.0.0.1.evil.example:3000", "localhost.evil.example", "", "0.0.0.0:3000"]) expect(hostAllowed(h, [])).toBe(false);
    expect(hostAllowed(null, [])).toBe(false);
  });
  it("CONSOLE_ALLOWED_HOSTS: exact host:port, or a name on any port", () => {
    const allowed = allowedHostsFrom(" console.internal:3000, ops.example ");
    expect(allowed).toEqual(["console.internal:3000", "ops.example"]);
    expect(hostAllowed("console.internal:3000", allowed)).toBe(true);
    expect(hostAllowed("console.internal:4000", allowed)).toBe(false);
    expect(hostAllowed("ops.example:8443", allowed)).toBe(true);
    expect(hostAllowed("Ops.Example", allowed)).toBe(true);
    expect(hostAllowed("evil.ops.example", allowed)).toBe(false);
  });
});
