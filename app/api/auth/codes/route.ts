import { authorizeAction } from "@/lib/auth/access";
import { mintLoginCode } from "@/lib/auth/session";
import { json } from "@/lib/http/responses";

export const dynamic = "force-dynamic";

/**
 * A one-time login code for a browser (single use, 10 minutes): open /login#code=<code>.
 * The operator token itself never goes into a URL. Admin only: the code opens a break-glass session.
 */
export async function POST(request: Request) {
  const allowed = await authorizeAction(request, "admin");
  if (!allowed.ok) return allowed.response;
  const minted = await mintLoginCode();
  return json({ ...minted, loginPath: `/login#code=${minted.code}` }, 201);
}
