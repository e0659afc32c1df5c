/**
 * What a sandbox setting may be. Each value ends up in redis.conf or sentinel.conf, so a
 * newline in one would add a config line of the caller's choosing (`bind 0.0.0.0`): every
 * value is checked against what Redis accepts there, and memory is capped to what this machine has.
 */
import os from "node:os";
import { z } from "zod";

const MEMORY_UNITS: Record<string, number> = { "": 1, b: 1, k: 1000, kb: 1024, m: 1000 ** 2, mb: 1024 ** 2, g: 1000 ** 3, gb: 1024 ** 3 };

/** Bytes of a Redis memory value ("64mb", "1gb", "1048576"), or null when it is not one. */
export function memoryBytes(value: string): number | null {
  const m = /^(\d{1,15})(b|k|kb|m|mb|g|gb)?$/i.exec(value);
  return m ? Number(m[1]) * MEMORY_UNITS[(m[2] ?? "").toLowerCase()] : null;
}

/** The largest sandbox maxmemory: half of this machine's memory, so a fill cannot starve it. */
export const maxSandboxMemory = () => Math.floor(os.totalmem() / 2);

const whole = (name: string, min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, `${name} must be a whole number`)
    .refine((v) => Number(v) >= min && Number(v) <= max, `${name} must be from ${min} to ${max}`);

export const RedisSettingsSchema = z.object({
  appendonly: z.enum(["yes", "no"], { error: "appendonly must be yes or no" }),
  appendfsync: z.enum(["always", "everysec", "no"], { error: "appendfsync must be always, everysec or no" }),
  maxmemory: z.string().refine(
    (v) => {
      const bytes = memoryBytes(v);
      return bytes !== null && bytes >= 1024 ** 2 && bytes <= maxSandboxMemory();
    },
    `maxmemory must be a size such as 64mb, from 1mb to ${Math.floor(maxSandboxMemory() / 1024 ** 2)}mb (half of this machine's memory)`,
  ),
  "maxmemory-policy": z.enum(
    ["noeviction", "allkeys-lru", "allkeys-lfu", "allkeys-random", "volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl"],
    {
      error: "maxmemory-policy must be one of Redis's policies, e.g. allkeys-lru",
    },
  ),
  save: z.string().regex(/^(\d{1,9} \d{1,9})( \d{1,9} \d{1,9})*$|^$/, 'save must be pairs of "seconds changes", e.g. "900 1", or empty'),
  "tcp-keepalive": whole("tcp-keepalive", 0, 86_400),
  timeout: whole("timeout", 0, 86_400),
  maxclients: whole("maxclients", 64, 10_000),
});

export const SentinelSettingsSchema = z.object({
  quorum: whole("quorum", 1, 3),
  "down-after-milliseconds": whole("down-after-milliseconds", 100, 3_600_000),
  "failover-timeout": whole("failover-timeout", 1000, 3_600_000),
  "parallel-syncs": whole("parallel-syncs", 1, 16),
});

/** How the layers address Redis (devstack/proxy/addressing.ts). */
export const LayerAddressingSetting = z.enum(["follow", "pinned"], { error: 'layer-addressing must be "follow" or "pinned"' });

/**
 * Which client models the layers use: "apisix-redisrs" (L1 like APISIX's limit-count plugin, L2/L3/CP
 * like redis-rs ConnectionManager, as the guide's platform) or "ioredis-tuned" (the earlier model,
 * tuned for the failure contract). devstack/layers/client-models.ts documents both.
 */
export const LayerClientSetting = z.enum(["apisix-redisrs", "ioredis-tuned"], { error: 'layer-client must be "apisix-redisrs" or "ioredis-tuned"' });

export const MasterName = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, "master-name must be 1-64 letters, digits, dots, dashes or underscores");

/** An on/off setting: true/false, 1/0, yes/no (flags read a bare `--tls` as "true"). */
export const OnOff = (name: string) =>
  z
    .enum(["true", "false", "1", "0", "yes", "no"], { error: `${name} must be true or false (or 1/0)` })
    .transform((v) => v === "true" || v === "1" || v === "yes");

/** Validates one group of settings; throws an Error naming the bad setting and what it may be. */
export function checkSettings<T extends z.ZodTypeAny>(schema: T, values: unknown, where: string): z.infer<T> {
  const parsed = schema.safeParse(values);
  if (parsed.success) return parsed.data;
  throw new Error(`${where}: ${parsed.error.issues.map((i) => i.message).join("; ")}`);
}
