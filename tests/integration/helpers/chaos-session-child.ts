/**
 * A stand-in console for the kill -9 tests: begins a chaos session on the plain target, injects
 * one fault (argv: "memory" or "pause"), prints INJECTED and waits to be killed. Run with node's
 * react-server condition (lib/ modules import server-only).
 */
import { ChaosSession } from "../../../lib/chaos/targets/session";

const [mode, dataDir, basePort, password] = process.argv.slice(2);
const base = Number(basePort);
const node = (p: number) => ({ host: "127.0.0.1", port: p });
const res = await ChaosSession.begin({
  deployment: "devchaos",
  allow: true,
  dataDir,
  runId: `child-${process.pid}`,
  lockTtlMs: 60_000,
  nodes: [node(base), node(base + 1)],
  sentinels: [node(base + 2), node(base + 3), node(base + 4)],
  masterName: "devmaster",
  auth: { username: "rrc-chaos", password: () => password, tlsField: "redis.tls", passwordField: "chaos.password" },
  sentinelAuth: { password: () => undefined, tlsField: "redis.sentinelTls", passwordField: "redis.sentinelPassword" },
  timeoutMs: 1000,
  connectionHeadroom: 20,
});
if (!res.ok) {
  console.log(`REFUSED ${res.refusal.key}`);
  process.exit(1);
}
if (mode === "memory")
  console.log(JSON.stringify({ master: await res.session.target.master(), ...(await res.session.target.fillMemory(100, 300_000, "allkeys-lru")) }));
else await res.session.target.pause(8000, "ALL");
console.log("INJECTED");
setInterval(() => {}, 1000);
