/**
 * How the console connects to a deployment's Redis nodes and Sentinels: ACL users, password
 * sources, TLS. The names are a contract (people write these into their config files); the
 * nodes' and the sentinels' credentials are independent, since Sentinel `requirepass` and the
 * master's ACL are different secrets.
 */
import { z } from "zod";

export const PasswordSource = z.discriminatedUnion("from", [
  z.object({ from: z.literal("none") }),
  z.object({ from: z.literal("env"), name: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, "env var name, e.g. REDIS_PASSWORD") }),
  /** A mounted secret: read at start, re-read when the file changes (a rotated secret takes effect on the next connect). */
  z.object({ from: z.literal("file"), path: z.string().min(1, "path of the file that holds the password") }),
  z.object({ from: z.literal("devstack-state") }),
]);

/** Present means TLS. Paths are PEM files, read once at start; a missing one stops the start. */
export const TlsOptions = z
  .object({
    ca: z.string().min(1).optional(),
    cert: z.string().min(1).optional(),
    key: z.string().min(1).optional(),
    /** The name the certificate must carry when the address is an IP or an alias (SNI and the host-name check). */
    servername: z.string().min(1).optional(),
    /** Skips certificate verification: for a first try only, never for production. */
    insecureSkipVerify: z.boolean().default(false),
  })
  .strict()
  .refine((t) => !t.cert === !t.key, { message: "cert and key go together (client certificate and its private key)" });

/** The connection fields of the config's `redis` block. */
export const RedisConnection = {
  /** The ACL user for the nodes; without it, `AUTH password` (the default user). */
  username: z.string().min(1).optional(),
  password: PasswordSource.default({ from: "none" }),
  tls: TlsOptions.optional(),
  sentinelUsername: z.string().min(1).optional(),
  sentinelPassword: PasswordSource.default({ from: "none" }),
  sentinelTls: TlsOptions.optional(),
};

export type PasswordSourceConfig = z.infer<typeof PasswordSource>;
export type TlsConfig = z.infer<typeof TlsOptions>;
