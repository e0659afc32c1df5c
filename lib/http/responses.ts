/** Uniform JSON answers for route handlers: an error always says what to do, never a stack trace. */
import type { z } from "zod";

export const NO_STORE = { "Cache-Control": "no-store" } as const;

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { ...NO_STORE, ...headers } });
}

export function problem(status: number, error: string, hint?: string): Response {
  return json(hint ? { error, hint } : { error }, status);
}

/** A 400 that names each bad field. */
export function badRequest(err: z.ZodError, what: string): Response {
  const details = err.issues.map((i) => `${i.path.join(".") || what}: ${i.message}`);
  return json({ error: `invalid ${what}: ${details.join("; ")}` }, 400);
}

/** Validates URL search params against a zod object schema. */
export function parseQuery<T extends z.ZodTypeAny>(schema: T, url: string): { ok: true; data: z.infer<T> } | { ok: false; response: Response } {
  const params = Object.fromEntries(new URL(url).searchParams);
  const parsed = schema.safeParse(params);
  return parsed.success ? { ok: true, data: parsed.data } : { ok: false, response: badRequest(parsed.error, "query") };
}
