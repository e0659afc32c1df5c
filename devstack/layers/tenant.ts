/** Tenant ids as the layers accept them: short, key-safe, so they can go into Redis key names. */
import { HttpError } from "../http/http-kit";

export const DEFAULT_TENANT = "t-default";
const TENANT_ID = /^[A-Za-z0-9_.-]{1,64}$/;

/** Validates a tenant id; 400 with the rule when it breaks it. */
export function tenantId(raw: unknown, fallback = DEFAULT_TENANT): string {
  const value = raw === undefined || raw === null || raw === "" ? fallback : raw;
  if (typeof value !== "string" || !TENANT_ID.test(value)) {
    throw new HttpError(400, "tenant id must be 1-64 characters of letters, digits, '.', '_' or '-'");
  }
  return value;
}
