/**
 * `auth` at the top of the config file (beside `deployments`, or beside a single deployment's
 * fields): sign-in through the team's OIDC provider and the roles its groups map to. Applies to
 * every deployment. The names are a contract (docs/sign-in.md).
 */
import { z } from "zod";
import { ROLES } from "../auth/roles";
import { PasswordSource } from "./connection-schema";

const SecretSource = z.discriminatedUnion(
  "from",
  PasswordSource.options.filter((o) => o.shape.from.value !== "devstack-state") as [
    (typeof PasswordSource.options)[0],
    (typeof PasswordSource.options)[1],
    (typeof PasswordSource.options)[2],
  ],
);

export const OidcConfigSchema = z.strictObject({
  issuer: z.string().url("auth.oidc.issuer must be the provider's issuer URL, e.g. https://idp.example/realms/sre"),
  clientId: z.string().min(1, "auth.oidc.clientId is required"),
  /** Absent or {"from": "none"}: a public client (PKCE alone). */
  clientSecret: SecretSource.default({ from: "none" }),
  scopes: z.array(z.string().min(1)).min(1).default(["openid", "profile", "email", "groups"]),
  /** The ID token / userinfo claim that lists the person's groups. */
  groupsClaim: z.string().min(1).default("groups"),
  /** What the login page's button says: "Sign in with <name>". */
  name: z.string().min(1).max(60).default("single sign-on"),
  /** Every call to the provider gives up after this long: a slow IdP must not hang the console. */
  timeoutMs: z.number().int().min(500).max(30_000).default(5000),
  /** How often a signed-in person's groups are read again (refresh token); at most 15 minutes, fractions allowed (0.05: every 3 s, as the tests use). */
  refreshMinutes: z
    .number({ message: "auth.oidc.refreshMinutes must be a number of minutes" })
    .min(0.05, "auth.oidc.refreshMinutes must be at least 0.05 (3 s)")
    .max(15, "auth.oidc.refreshMinutes is at most 15: a person removed from a group must lose the role within 15 minutes")
    .default(15),
});

export const AuthConfigSchema = z.strictObject({
  oidc: OidcConfigSchema.optional(),
  roles: z
    .array(
      z.strictObject({
        group: z.string().min(1),
        role: z.enum(ROLES, { message: `role must be one of ${ROLES.join(", ")}` }),
        deployments: z.array(z.string().min(1)).min(1, "list at least one deployment, or leave deployments out for all").optional(),
      }),
    )
    .default([]),
  defaultRole: z.enum(["none", ...ROLES]).default("none"),
  viewerLinks: z.strictObject({ maxSessions: z.number().int().min(1).max(1000).default(20) }).default({ maxSessions: 20 }),
});

export type AuthConfig = z.infer<typeof AuthConfigSchema>;
export type OidcConfig = z.infer<typeof OidcConfigSchema>;
export const DEFAULT_AUTH_CONFIG: AuthConfig = AuthConfigSchema.parse({});
