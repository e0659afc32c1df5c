import { isOperator, operatorToken } from "@/lib/auth/session";
import { json } from "@/lib/http/responses";

export const dynamic = "force-dynamic";

/** Whether this browser is logged in as the operator (never the token itself). */
export function GET(request: Request) {
  return json({ operator: isOperator(request), loginEnabled: operatorToken() !== null });
}
