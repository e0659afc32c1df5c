import "server-only";
/** The config file's `auth`, read once per server process (a bad one stops the start: instrumentation reads it first). */
import { loadAuthConfig } from "../config/load";
import type { AuthConfig } from "../config/auth-schema";

const g = globalThis as typeof globalThis & { __rrcAuthConfig?: AuthConfig };

export function authConfig(): AuthConfig {
  g.__rrcAuthConfig ??= loadAuthConfig();
  return g.__rrcAuthConfig;
}
