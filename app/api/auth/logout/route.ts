import { crossOrigin } from "@/lib/auth/guard";
import { clearedSessionCookie } from "@/lib/auth/session";
import { json } from "@/lib/http/responses";

export const dynamic = "force-dynamic";

export function POST(request: Request) {
  return crossOrigin(request) ?? json({ operator: false }, 200, { "Set-Cookie": clearedSessionCookie() });
}
