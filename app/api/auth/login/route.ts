import { z } from "zod";
import { tooManyAttempts } from "@/lib/auth/answers";
import { audit } from "@/lib/auth/audit";
import { BREAK_GLASS } from "@/lib/auth/identify";
import { crossOrigin, readJsonBody } from "@/lib/auth/guard";
import { failedCredential, operatorToken, redeemLoginCode, startSession, tokenMatches } from "@/lib/auth/session";
import { refuseForeignHost } from "@/lib/http/host-allowlist";
import { badRequest, json, problem } from "@/lib/http/responses";

export const dynamic = "force-dynamic";

const Body = z.union([
  z.strictObject({ token: z.string({ message: "token is required" }).min(1, "token is required").max(512, "token is too long") }),
  z.strictObject({ code: z.string().min(1, "code is required").max(64, "code is too long") }),
]);

/** Exchanges the operator token, or a one-time login code, for an httpOnly session cookie. */
export async function POST(request: Request) {
  const refused = refuseForeignHost(request) ?? crossOrigin(request);
  if (refused) return refused;
  const token = operatorToken();
  if (!token)
    return problem(
      401,
      "operator login is disabled: OPERATOR_TOKEN is not set",
      "Start the console with OPERATOR_TOKEN=<secret> (npm run demo generates one).",
    );
  const read = await readJsonBody(request);
  if (!read.ok) return read.response;
  const parsed = Body.safeParse(read.body);
  if (!parsed.success) return badRequest(parsed.error, 'login: send {"token"} or {"code"}');
  const cookie = { "Set-Cookie": "" };
  if ("code" in parsed.data) {
    // Codes are 128 random bits and single use: no limiter, so guessers cannot lock this path.
    if (!(await redeemLoginCode(parsed.data.code)))
      return problem(
        401,
        "this login code is unknown, used or expired",
        "Ask for a new one: npm run demo prints one, or POST /api/auth/codes with the bearer token.",
      );
  } else {
    // A correct token always works; only a wrong one meets the limiter.
    if (!tokenMatches(parsed.data.token, token)) {
      const limited = failedCredential(request);
      return limited ? tooManyAttempts(limited.retryAfterMs) : problem(401, "wrong operator token");
    }
  }
  cookie["Set-Cookie"] = await startSession(request, token);
  await audit(request, BREAK_GLASS, { action: "sign-in", outcome: "code" in parsed.data ? "ok: one-time code" : "ok: operator token" });
  return json({ operator: true }, 200, cookie);
}
