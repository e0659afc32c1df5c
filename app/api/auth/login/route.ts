import { z } from "zod";
import { crossOrigin, readJsonBody } from "@/lib/auth/guard";
import { LoginLimiter } from "@/lib/auth/login-limiter";
import { issueSession, operatorToken, sessionCookie, tokenMatches } from "@/lib/auth/session";
import { badRequest, json, problem } from "@/lib/http/responses";

export const dynamic = "force-dynamic";

const limiter = new LoginLimiter();
const Body = z.strictObject({ token: z.string({ message: "token is required" }).min(1, "token is required").max(512, "token is too long") });

/** Exchanges the operator token for an httpOnly session cookie. */
export async function POST(request: Request) {
  const refused = crossOrigin(request);
  if (refused) return refused;
  // X-Forwarded-For is spoofable: honour it only behind a proxy the operator vouches for.
  const client = (process.env.TRUST_PROXY === "1" && request.headers.get("x-forwarded-for")?.split(",")[0].trim()) || "direct";
  const wait = limiter.retryAfter(client);
  if (wait > 0) return json({ error: `too many failed logins: try again in ${Math.ceil(wait / 1000)} s` }, 429, { "Retry-After": String(Math.ceil(wait / 1000)) });
  const token = operatorToken();
  if (!token) return problem(401, "operator login is disabled: OPERATOR_TOKEN is not set", "Start the console with OPERATOR_TOKEN=<secret> (npm run demo generates one).");
  const read = await readJsonBody(request);
  if (!read.ok) return read.response;
  const parsed = Body.safeParse(read.body);
  if (!parsed.success) return badRequest(parsed.error, "login");
  if (!tokenMatches(parsed.data.token, token)) {
    limiter.fail(client);
    return problem(401, "wrong operator token");
  }
  limiter.succeed(client);
  const session = issueSession(token);
  return json({ operator: true }, 200, { "Set-Cookie": sessionCookie(session.value, session.maxAge) });
}
