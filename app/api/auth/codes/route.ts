import { guardOperatorAction } from "@/lib/auth/guard";
import { mintLoginCode } from "@/lib/auth/session";
import { json } from "@/lib/http/responses";

export const dynamic = "force-dynamic";

/**
 * A one-time login code for a browser (single use, 10 minutes): open /login#code=<code>.
 * The operator token itself never goes into a URL.
 */
export async function POST(request: Request) {
  const refused = await guardOperatorAction(request);
  if (refused) return refused;
  const minted = await mintLoginCode();
  return json({ ...minted, loginPath: `/login#code=${minted.code}` }, 201);
}
