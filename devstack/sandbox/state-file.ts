/** Both sandboxes' state files are written the same way: atomically and readable by the owner only (they hold secrets). */
import fs from "node:fs";
import path from "node:path";

/** Writes `value` as JSON through tmp + rename (mode 0600), so a reader never sees half a file. */
export function writeStateFile(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(value, null, 2), { mode: 0o600 });
  fs.renameSync(tmp, file);
}
