/**
 * `npm run audit -- verify`: walks the audit trail's hash chain in the store (DATABASE_URL, or
 * PGlite in CONSOLE_DATA_DIR / .console-data while no console holds it). Exit 0 intact, 1 with the
 * first broken entry, 2 when it could not look.
 */
import { dataDir, databaseUrl } from "../lib/collector/instance";
import { openStore } from "../lib/store/store";

async function main(): Promise<number> {
  const [command] = process.argv.slice(2);
  if (command !== "verify") {
    console.error("usage: npm run audit -- verify");
    return 2;
  }
  let store;
  try {
    store = await openStore({ dataDir: dataDir(), databaseUrl: databaseUrl(), timeoutMs: 10_000 });
  } catch (err) {
    console.error(`audit: cannot open the store: ${(err as Error).message}`);
    return 2;
  }
  try {
    const { checked, broken } = await store.audit.verify();
    if (broken) {
      console.log(`audit: the chain is broken at entry ${broken.seq}: ${broken.reason} (${checked} entries checked)`);
      return 1;
    }
    console.log(`audit: the chain is intact (${checked} entries)`);
    return 0;
  } finally {
    await store.close().catch(() => {});
  }
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`audit: ${err.message}`);
    process.exit(2);
  },
);
