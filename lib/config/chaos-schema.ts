/**
 * The `chaos` block of a deployment's config (docs/chaos-dev-stack.md): the first of
 * the three keys that make an external deployment a chaos target, and the separate credential
 * faults are sent with, so the watching credential stays read-only. The names are a contract.
 */
import { z } from "zod";
import { PasswordSource } from "./connection-schema";

const listen = z.object({ host: z.string().min(1), port: z.number().int().min(1).max(65535) });

export const ChaosConfigSchema = z
  .object({
    /** The first key: without `true` the deployment is never a chaos target. */
    allow: z.boolean().default(false),
    /** The chaos ACL user on the nodes (see chaosAclLine in lib/chaos/targets/acl.ts). */
    username: z.string().min(1).optional(),
    password: PasswordSource.default({ from: "none" }),
    /** Latency only through a fault proxy the console runs, in front of the layers' way to Redis. */
    proxy: z.object({ listen, upstream: z.literal("sentinel") }).optional(),
    /**
     * Client slots connection-exhaustion always leaves free below maxclients, under any run's own
     * `headroom`. Above 0 Redis still serves new connections, so such a run is not exercised.
     */
    connectionHeadroom: z.number().int().min(0).default(0),
  })
  .strict()
  .refine((c) => !c.allow || c.username !== undefined, {
    message: "chaos.allow needs chaos.username: faults go with their own ACL user, never the watching one",
    path: ["username"],
  });

export type ChaosConfig = z.infer<typeof ChaosConfigSchema>;
