import "server-only";
/** The checks every state-changing route runs first: same origin, bounded JSON body (the role check is lib/auth/access.ts). */
import { problem } from "../http/responses";

export const MAX_BODY_BYTES = 16 * 1024;

/**
 * 403 for a cross-site request (CSRF). A browser's POST must say where it comes from: an Origin
 * matching the Host, or, when it sends none, Sec-Fetch-Site: same-origin. Scripts that send
 * neither pass on to authentication only with a bearer token (a cookie alone is a browser's).
 */
export function crossOrigin(request: Request): Response | null {
  const origin = request.headers.get("origin");
  const refuse = () =>
    problem(403, "cross-origin request refused", "Operator actions are accepted only from the console's own pages or from scripts with a bearer token.");
  if (origin) {
    try {
      return new URL(origin).host === request.headers.get("host") ? null : refuse();
    } catch {
      return refuse(); // a malformed Origin is cross-origin
    }
  }
  const site = request.headers.get("sec-fetch-site");
  if (site === "same-origin") return null;
  if (site) return refuse(); // cross-site, same-site (another port or subdomain) or none: not ours
  const bearer = request.headers.get("authorization")?.startsWith("Bearer ");
  const cookie = /(?:^|;\s*)(?:__Host-)?rrc_operator=/.test(request.headers.get("cookie") ?? "");
  return cookie && !bearer
    ? problem(
        403,
        "a cookie-authenticated request must carry Origin or Sec-Fetch-Site",
        "Browsers send these by themselves; a script should use Authorization: Bearer <token>.",
      )
    : null;
}

const tooLarge = () => problem(413, `body too large: at most ${MAX_BODY_BYTES} bytes`);

/**
 * Reads a JSON body of at most MAX_BODY_BYTES. The stream is read chunk by chunk and dropped at
 * the limit, so a chunked body without Content-Length cannot make the server buffer megabytes.
 */
export async function readJsonBody(request: Request): Promise<{ ok: true; body: unknown } | { ok: false; response: Response }> {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > MAX_BODY_BYTES) return { ok: false, response: tooLarge() };
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.byteLength;
        if (size > MAX_BODY_BYTES) {
          void reader.cancel().catch(() => {});
          return { ok: false, response: tooLarge() };
        }
        chunks.push(value);
      }
    } catch {
      return { ok: false, response: problem(400, "the body could not be read") };
    }
  }
  const text = Buffer.concat(chunks).toString("utf8");
  if (!text.trim()) return { ok: true, body: {} };
  const type = (request.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  if (type !== "application/json") {
    return {
      ok: false,
      response: problem(415, `the body must be JSON, sent with Content-Type: application/json (got ${type ? `"${type.slice(0, 60)}"` : "none"})`),
    };
  }
  try {
    return { ok: true, body: JSON.parse(text) };
  } catch {
    return { ok: false, response: problem(400, "the body is not valid JSON", 'Send JSON, e.g. {"scenario":"outage","params":{}}.') };
  }
}
