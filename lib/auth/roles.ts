/**
 * Roles and grants: `viewer` reads, `operator` also acts (chaos runs, plans, aborts, incident
 * notes, viewer links), `admin` also manages tokens and reads the audit trail, on every
 * deployment. Each grant is on all deployments ("*") or a list. Pure: the one place that says
 * whether a set of grants allows something, shared by the server's guard and the UI.
 */
export const ROLES = ["viewer", "operator", "admin"] as const;
export type Role = (typeof ROLES)[number];

export interface Grant {
  role: Role;
  /** "*": every deployment, now and later. */
  deployments: "*" | string[];
}

const RANK: Record<Role, number> = { viewer: 1, operator: 2, admin: 3 };

/** The highest role the grants give on `deployment` (null: none). Admin is always on every deployment. */
export function roleOn(grants: readonly Grant[], deployment: string): Role | null {
  let best: Role | null = null;
  for (const g of grants) {
    const covers = g.role === "admin" || g.deployments === "*" || g.deployments.includes(deployment);
    if (covers && (!best || RANK[g.role] > RANK[best])) best = g.role;
  }
  return best;
}

/** Whether the grants give at least `need` on `deployment`; `deployment` null: on the console as a whole (admin only counts there for admin). */
export function allows(grants: readonly Grant[], need: Role, deployment: string | null): boolean {
  if (deployment === null) return grants.some((g) => RANK[g.role] >= RANK[need] && (g.role === "admin" || g.deployments === "*"));
  const role = roleOn(grants, deployment);
  return role !== null && RANK[role] >= RANK[need];
}

/** What a 403 says is missing, e.g. "operator on staging-eu needed". */
export function missingGrant(need: Role, deployment: string | null): string {
  if (need === "admin") return "admin needed";
  return deployment === null ? `${need} on every deployment needed` : `${need} on ${deployment} needed`;
}

/** One line for people: "operator on staging-eu, viewer on every deployment". */
export function describeGrants(grants: readonly Grant[]): string {
  if (grants.length === 0) return "no role";
  return grants.map((g) => `${g.role} on ${g.role === "admin" || g.deployments === "*" ? "every deployment" : g.deployments.join(", ")}`).join("; ");
}

/** A group → role mapping of the config's `auth.roles`. */
export interface RoleMapping {
  group: string;
  role: Role;
  deployments?: string[];
}

/** The grants a person's groups give (several groups add up); `defaultRole` for everyone signed in, "none" for nothing. */
export function grantsForGroups(groups: readonly string[], mapping: readonly RoleMapping[], defaultRole: Role | "none"): Grant[] {
  const grants: Grant[] = mapping
    .filter((m) => groups.includes(m.group))
    .map((m) => ({ role: m.role, deployments: m.role === "admin" || !m.deployments ? "*" : [...m.deployments] }));
  if (defaultRole !== "none") grants.push({ role: defaultRole, deployments: "*" });
  return grants;
}

export const isRole = (s: unknown): s is Role => typeof s === "string" && (ROLES as readonly string[]).includes(s);
