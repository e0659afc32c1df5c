import "server-only";
/**
 * Every replica must accept the same OPERATOR_TOKEN (issue 26): the break-glass token is read
 * from the environment (a Secret every replica mounts), and a session it opened is refused by a
 * replica whose token differs, so behind a load balancer a person would be let in on one request
 * and out on the next. Each replica says which token it accepts (its salted hash, as sessions keep
 * it) every 10 s; /api/ready names a disagreement and the log says it once.
 */
import { askStore, storeState } from "./instance";
import type { TokenAgreement } from "./replicas-repo";

const EVERY_MS = 10_000;
/** Replicas not seen for this long are gone (a rolling deploy's old ones). */
const WINDOW_MS = 30_000;

const KEY = Symbol.for("redis-resilience-console.token-agreement");
type WithAgreement = typeof globalThis & { [KEY]?: { last: TokenAgreement | null; timer: NodeJS.Timeout | null } };
const state = () => ((globalThis as WithAgreement)[KEY] ??= { last: null, timer: null });

/** Starts saying this replica's token hash (null: no OPERATOR_TOKEN) to the store; once per process. */
export function startTokenAgreement(tokenHash: string | null): void {
  const s = state();
  if (s.timer) return;
  const look = async () => {
    const a = await askStore((store) => store.replicas.announce(storeState().replicaId, tokenHash, WINDOW_MS));
    if (!a) return;
    if (a.differing && !s.last?.differing) console.error(`[store] ${problem(a)}`);
    s.last = a;
  };
  void look();
  s.timer = setInterval(() => void look(), EVERY_MS);
  s.timer.unref();
}

function problem(a: TokenAgreement): string {
  return (
    `${a.differing} of the ${a.replicas} replicas seen in the last ${WINDOW_MS / 1000} s accept another OPERATOR_TOKEN than this one: ` +
    "the break-glass token and the sessions it opens work only on some of them; give every replica the same OPERATOR_TOKEN (one Secret)"
  );
}

/** How the replicas agree on OPERATOR_TOKEN, for /api/ready; null until the store was asked once. */
export function tokenAgreement(): (TokenAgreement & { problem: string | null }) | null {
  const a = state().last;
  return a ? { ...a, problem: a.differing ? problem(a) : null } : null;
}
