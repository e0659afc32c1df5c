/**
 * Where `npm run demo` keeps the operator token it generated: `<data dir>/operator-token`, 0600
 * (owner only), also when the file was already there with a looser mode.
 */
import fs from "node:fs";
import path from "node:path";

/**
 * Writes the token to `<dataDir>/operator-token` with mode 0600; returns the file's path.
 * @param {string} dataDir
 * @param {string} token
 */
export function keepOperatorToken(dataDir, token) {
  const file = path.join(dataDir, "operator-token");
  fs.mkdirSync(dataDir, { recursive: true });
  // The mode of writeFileSync applies only to a new file: chmod covers one left by an older run.
  fs.writeFileSync(file, token + "\n", { mode: 0o600 });
  fs.chmodSync(file, 0o600);
  return file;
}
