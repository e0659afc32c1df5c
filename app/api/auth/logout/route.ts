import { crossOrigin } from "@/lib/auth/guard";
import { endSession } from "@/lib/auth/session";
import { refuseForeignHost } from "@/lib/http/host-allowlist";
import { json } from "@/lib/http/responses";

export const dynamic = "force-dynamic";

/** Ends the session on the server (the cookie alone would outlive a stateless logout). */
export async function POST(request: Request) {
  return refuseForeignHost(request) ?? crossOrigin(request) ?? json({ operator: false }, 200, { "Set-Cookie": await endSession(request) });
}
