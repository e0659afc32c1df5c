import { tooManyAttempts } from "@/lib/auth/guard";
import { checkOperator, operatorToken } from "@/lib/auth/session";
import { refuseForeignHost } from "@/lib/http/host-allowlist";
import { json } from "@/lib/http/responses";

export const dynamic = "force-dynamic";

/** Whether this browser is logged in as the operator (never the token itself); a bearer guess counts as one. */
export async function GET(request: Request) {
  const refused = refuseForeignHost(request);
  if (refused) return refused;
  const check = await checkOperator(request);
  if (!check.operator && check.limited) return tooManyAttempts(check.limited.retryAfterMs);
  return json({ operator: check.operator, loginEnabled: operatorToken() !== null });
}
