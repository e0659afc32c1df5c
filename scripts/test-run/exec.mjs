/**
 * Runs suites side by side: the first suite of a phase prints live, the others write to a log that
 * is printed whole once the phase ends, so two suites' lines never interleave.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

/** @typedef {{ live: boolean, log: string }} SuiteIo */

const baseEnv = { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: "1", NEXT_TELEMETRY_DISABLED: "1" };

/**
 * Runs a command to its end; never throws (a command that cannot start is exit 127).
 * @param {string} cmd @param {string[]} args @param {SuiteIo} io @param {Record<string, string>} [extraEnv]
 * @returns {Promise<{ code: number, seconds: string }>}
 */
export function exec(cmd, args, io, extraEnv = {}) {
  const started = Date.now();
  return new Promise((resolve) => {
    const out = io.live ? "inherit" : fs.openSync(io.log, "a");
    const child = spawn(cmd, args, { stdio: ["ignore", out, out], env: { ...baseEnv, ...extraEnv } });
    const done = (/** @type {number} */ code) => {
      if (typeof out === "number") fs.closeSync(out);
      resolve({ code, seconds: ((Date.now() - started) / 1000).toFixed(0) });
    };
    child.on("error", (err) => {
      if (typeof out === "number") fs.appendFileSync(io.log, `cannot start ${cmd}: ${err.message}\n`);
      done(127);
    });
    child.on("exit", (code, signal) => done(code ?? (signal ? 128 : 1)));
  });
}

/**
 * Runs one phase's suites at once and returns their results in the phase's order.
 * @param {import("./suites.mjs").SuiteSpec[]} specs @param {string} tmp
 * @returns {Promise<import("./suites.mjs").SuiteResult[]>}
 */
export async function runPhase(specs, tmp) {
  console.log(`\n=== ${specs.map((s) => s.name).join(" + ")} ===`);
  const ios = specs.map((s, i) => ({ live: i === 0, log: path.join(tmp, `${s.name}.log`) }));
  const results = await Promise.all(specs.map((s, i) => s.run(ios[i])));
  specs.forEach((s, i) => {
    if (ios[i].live) return;
    console.log(`\n=== ${s.name} (ran beside ${specs[0].name}) ===`);
    if (fs.existsSync(ios[i].log)) process.stdout.write(fs.readFileSync(ios[i].log, "utf8"));
  });
  return results;
}
