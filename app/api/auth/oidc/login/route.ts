import { authConfig } from "@/lib/auth/auth-settings";
import { beginSignIn } from "@/lib/auth/oidc-flow";
import { refuseForeignHost } from "@/lib/http/host-allowlist";
import { problem } from "@/lib/http/responses";

export const dynamic = "force-dynamic";

/** Sign-in with the configured OIDC provider (authorization code + PKCE); `?next=/path` comes back there. */
export async function GET(request: Request) {
  const refused = refuseForeignHost(request);
  if (refused) return refused;
  if (!authConfig().oidc) return problem(404, "sign-in through an identity provider is not configured", "Set auth.oidc in the config file (docs/sign-in.md).");
  return beginSignIn(request);
}
