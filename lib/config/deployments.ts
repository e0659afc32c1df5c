/**
 * A config file names one deployment (the original single-object form) or several under
 * `{"deployments": [...]}`. Pure: the devstack's layout comes in as a function, so this can be
 * tested without a sandbox.
 */
import { z } from "zod";
import { ConsoleConfigSchema, describeConfigError, type ConsoleConfig } from "./schema";

/** The name as a directory name: a deployment's timeline and failover history live under it. */
export function deploymentSlug(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, "_").slice(0, 64);
}

/**
 * `{"source": "devstack", "devstack": {"dir": …}}` without `redis`: the sandbox in that dir, as
 * its state file describes it, so a multi-deployment file need not repeat its ports.
 */
function expandDevstackShorthand(entry: unknown, devstackLayout: DevstackLayout): unknown {
  const e = entry as { source?: unknown; redis?: unknown; devstack?: { dir?: unknown; kind?: unknown } } | null;
  if (!e || typeof e !== "object" || e.source !== "devstack" || e.redis !== undefined || typeof e.devstack?.dir !== "string") return entry;
  const base = devstackLayout(e.devstack.dir, e.devstack.kind === "cluster" ? "cluster" : "sentinel");
  return { ...base, ...e, redis: base.redis, devstack: { ...base.devstack, ...e.devstack } };
}

/** The sandbox's layout in a dir, as a config: the Sentinel sandbox's or (kind "cluster") the cluster sandbox's. */
type DevstackLayout = (dir: string, kind: "sentinel" | "cluster") => ConsoleConfig;

const DeploymentsFile = z.object({ deployments: z.array(z.unknown()).min(1, "name at least one deployment") });

/** Validates a parsed config file into one config per deployment (the first is the default); the error names the field. */
export function parseDeployments(raw: unknown, devstackLayout: DevstackLayout): { ok: true; configs: ConsoleConfig[] } | { ok: false; error: string } {
  const many = raw !== null && typeof raw === "object" && "deployments" in raw;
  let entries: unknown[];
  if (many) {
    const file = DeploymentsFile.safeParse(raw);
    if (!file.success) return { ok: false, error: describeConfigError(file.error) };
    entries = file.data.deployments;
  } else entries = [raw];

  const configs: ConsoleConfig[] = [];
  for (const [i, entry] of entries.entries()) {
    const parsed = ConsoleConfigSchema.safeParse(expandDevstackShorthand(entry, devstackLayout));
    if (!parsed.success) return { ok: false, error: (many ? `deployments.${i}: ` : "") + describeConfigError(parsed.error) };
    configs.push(parsed.data);
  }

  const seen = new Map<string, string>();
  for (const c of configs) {
    const slug = deploymentSlug(c.deployment);
    const clash = seen.get(slug);
    if (clash !== undefined) {
      return {
        ok: false,
        error:
          clash === c.deployment
            ? `deployments: the name "${c.deployment}" is used twice; give each deployment its own "deployment" name`
            : `deployments: "${clash}" and "${c.deployment}" would share a data directory; rename one`,
      };
    }
    seen.set(slug, c.deployment);
  }
  const sandboxes = configs.filter((c) => c.source === "devstack");
  if (sandboxes.length > 1) {
    return {
      ok: false,
      error: `deployments: only one deployment may be the devstack sandbox (chaos acts on one sandbox); ${sandboxes.map((c) => `"${c.deployment}"`).join(" and ")} both say source "devstack" — make the others "external"`,
    };
  }
  return { ok: true, configs };
}
