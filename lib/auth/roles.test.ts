import { describe, expect, it } from "vitest";
import { allows, describeGrants, grantsForGroups, missingGrant, roleOn, type RoleMapping } from "./roles";

const MAPPING: RoleMapping[] = [
  { group: "sre", role: "admin" },
  { group: "sre-eu", role: "operator", deployments: ["staging-eu"] },
  { group: "everyone", role: "viewer" },
];

describe("roles per deployment", () => {
  it("maps groups to grants as the issue's config says", () => {
    const eu = grantsForGroups(["sre-eu"], MAPPING, "none");
    expect(eu).toEqual([{ role: "operator", deployments: ["staging-eu"] }]);
    expect(allows(eu, "operator", "staging-eu")).toBe(true);
    expect(allows(eu, "viewer", "staging-eu")).toBe(true);
    expect(allows(eu, "operator", "sandbox")).toBe(false);
    expect(allows(eu, "viewer", "sandbox")).toBe(false);
    expect(allows(eu, "admin", null)).toBe(false);
    expect(grantsForGroups(["nobody"], MAPPING, "none")).toEqual([]);
    expect(grantsForGroups(["nobody"], MAPPING, "viewer")).toEqual([{ role: "viewer", deployments: "*" }]);
  });
  it("admin reaches every deployment, whatever list it was given", () => {
    const admin = grantsForGroups(["sre"], [{ group: "sre", role: "admin", deployments: ["a"] }], "none");
    expect(roleOn(admin, "b")).toBe("admin");
    expect(allows(admin, "admin", null)).toBe(true);
  });
  it("several groups add up, the highest role wins per deployment", () => {
    const both = grantsForGroups(["sre-eu", "everyone"], MAPPING, "none");
    expect(roleOn(both, "staging-eu")).toBe("operator");
    expect(roleOn(both, "sandbox")).toBe("viewer");
    expect(allows(both, "viewer", null)).toBe(true);
    expect(allows(both, "operator", null)).toBe(false);
  });
  it("says what is missing in words a person can act on", () => {
    expect(missingGrant("operator", "staging-eu")).toBe("operator on staging-eu needed");
    expect(missingGrant("viewer", null)).toBe("viewer on every deployment needed");
    expect(missingGrant("admin", "x")).toBe("admin needed");
    expect(describeGrants([{ role: "operator", deployments: ["staging-eu"] }])).toBe("operator on staging-eu");
    expect(describeGrants([])).toBe("no role");
  });
});
