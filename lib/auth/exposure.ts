import "server-only";
/**
 * Whether the console can be reached from elsewhere: then every read needs a session or a token
 * (issue 27, item 4). It can when it listens on a non-loopback address, when names other than
 * loopback may address it (CONSOLE_ALLOWED_HOSTS), behind a trusted proxy (TRUST_PROXY=1), or
 * when people sign in through an identity provider (auth.oidc). On loopback alone, reads stay
 * open as they always were: the demo.
 */
import { authConfig } from "./auth-settings";
import { exposureReasons } from "./exposure-reasons";

export function exposedReasons(): string[] {
  return exposureReasons({
    listenHost: process.env.RRC_LISTEN_HOST,
    allowedHosts: process.env.CONSOLE_ALLOWED_HOSTS,
    trustProxy: process.env.TRUST_PROXY,
    oidc: !!authConfig().oidc,
  });
}

/** True when reads need a credential. */
export function readsNeedCredential(): boolean {
  return exposedReasons().length > 0;
}
