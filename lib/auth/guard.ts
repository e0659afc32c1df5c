import "server-only";
/** The checks every state-changing route runs first: same origin, operator, bounded body. */
import { problem } from "../http/responses";
import { isOperator, operatorToken } from "./session";

export const MAX_BODY_BYTES = 16 * 1024;

/** 403 when a browser sends a cross-origin request (CSRF); scripts without Origin pass on to auth. */
export function crossOrigin(request: Request): Response | null {
  const origin = request.headers.get("origin");
  if (!origin) return null;
  const host = request.headers.get("host");
  try {
    if (new URL(origin).host === host) return null;
  } catch {
    /* a malformed Origin is cross-origin */
  }
  return problem(403, "cross-origin request refused", "Operator actions are accepted only from the console's own pages or from scripts with a bearer token.");
}

/** 401 unless the request carries the operator token or a valid session. */
export function requireOperator(request: Request): Response | null {
  if (!operatorToken()) {
    return problem(401, "operator actions are disabled: OPERATOR_TOKEN is not set", "Start the console with OPERATOR_TOKEN=<secret> (npm run demo generates one).");
  }
  if (!isOperator(request)) {
    return problem(401, "operator login required", "Log in at /login, or send Authorization: Bearer <OPERATOR_TOKEN>.");
  }
  return null;
}

/** Reads a JSON body of at most MAX_BODY_BYTES; a Response when it is too big or not JSON. */
export async function readJsonBody(request: Request): Promise<{ ok: true; body: unknown } | { ok: false; response: Response }> {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > MAX_BODY_BYTES) return { ok: false, response: problem(413, `body too large: at most ${MAX_BODY_BYTES} bytes`) };
  let text: string;
  try {
    text = await request.text();
  } catch {
    return { ok: false, response: problem(400, "the body could not be read") };
  }
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) return { ok: false, response: problem(413, `body too large: at most ${MAX_BODY_BYTES} bytes`) };
  if (!text.trim()) return { ok: true, body: {} };
  try {
    return { ok: true, body: JSON.parse(text) };
  } catch {
    return { ok: false, response: problem(400, "the body is not valid JSON", 'Send JSON, e.g. {"scenario":"outage","params":{}}.') };
  }
}

/** Origin + operator checks together, for state-changing routes. */
export function guardOperatorAction(request: Request): Response | null {
  return crossOrigin(request) ?? requireOperator(request);
}
