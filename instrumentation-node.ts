import { operatorTokenProblem } from "./lib/auth/session";
import { getCollector } from "./lib/collector/instance";

try {
  const weakToken = operatorTokenProblem();
  if (weakToken) throw new Error(weakToken);
  getCollector();
} catch (err) {
  // A bad config must stop the start with a message naming the field, not serve a broken console.
  console.error(`[console] cannot start: ${(err as Error).message}`);
  process.exit(1);
}
