import "server-only";
/**
 * PGlite (PostgreSQL compiled to WebAssembly) in the data dir: the default, nothing to install.
 * Initialising a new cluster costs seconds of CPU (initdb in WASM), so it is done once per
 * machine and PGlite version into a template that each new data dir copies (about a second).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { QUERY_TIMEOUT_MS, statementName, withDeadline, type SqlEngine, type SqlParam, type SqlRunner } from "./sql";

/** Opens (creating when new) the embedded database in `dir`; `null` keeps it in memory. */
export async function openPglite(dir: string | null, timeoutMs = QUERY_TIMEOUT_MS): Promise<SqlEngine> {
  const db = await create(dir);
  const run = (q: Pick<PGlite, "query" | "exec">): SqlRunner => ({
    async query<R extends object>(text: string, params: SqlParam[] = []) {
      const res = await withDeadline(q.query<R>(text, params), timeoutMs, `PGlite (${statementName(text)})`);
      return res.rows;
    },
    async exec(text: string) {
      await withDeadline(q.exec(text), timeoutMs, `PGlite (${statementName(text)})`);
    },
  });
  return {
    kind: "pglite",
    query: (text, params) => run(db).query(text, params),
    exec: (text) => run(db).exec(text),
    transaction: (fn) => db.transaction((tx) => fn(run(tx))),
    close: () => db.close(),
  };
}

const templateDir = () => path.join(os.tmpdir(), `rrc-pglite-template-${process.getuid?.() ?? "user"}`);

async function create(dir: string | null): Promise<PGlite> {
  if (!dir || fs.existsSync(path.join(dir, "PG_VERSION"))) return PGlite.create(dir ?? undefined);
  await seedFromTemplate(dir);
  try {
    return await PGlite.create(dir);
  } catch {
    // A template left by another PGlite version: made again, from scratch.
    fs.rmSync(templateDir(), { recursive: true, force: true });
    fs.rmSync(dir, { recursive: true, force: true });
    await seedFromTemplate(dir);
    return PGlite.create(dir);
  }
}

/** Copies an empty initialised cluster into `dir`, making the template first when this machine has none. */
async function seedFromTemplate(dir: string): Promise<void> {
  const template = templateDir();
  if (!fs.existsSync(path.join(template, "PG_VERSION"))) {
    // Built aside and renamed: consoles starting at once never copy a half-made template.
    const building = `${template}.${process.pid}.${Date.now()}`;
    const db = await PGlite.create(building);
    await db.close();
    try {
      fs.renameSync(building, template);
    } catch {
      fs.rmSync(building, { recursive: true, force: true }); // another process made it first
    }
  }
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  fs.cpSync(template, dir, { recursive: true });
}
