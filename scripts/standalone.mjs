#!/usr/bin/env node
/**
 * Assembles the deployable console from a build with `output: "standalone"`: Next's standalone
 * server dir (the compiled app and only the node_modules it needs), plus what Next leaves out of
 * it (the static files, public/) and the console's own server (scripts/serve.mjs: the snapshot's
 * fast path, the store's clean shutdown). Usage: `node scripts/standalone.mjs <out-dir>`, then
 * `node <out-dir>/scripts/serve.mjs -H 0.0.0.0 -p 3000` anywhere, no repo or npm needed.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const out = process.argv[2];
if (!out) {
  console.error("usage: node scripts/standalone.mjs <out-dir>");
  process.exit(2);
}
const distName = process.env.NEXT_DIST_DIR || ".next";
const dist = path.resolve(root, distName);
const standalone = path.join(dist, "standalone");
if (!fs.existsSync(path.join(standalone, distName, "BUILD_ID"))) {
  console.error(`no standalone build in ${standalone}: run \`npx next build\` first (next.config.js sets output: "standalone")`);
  process.exit(1);
}
const target = path.resolve(out);
fs.rmSync(target, { recursive: true, force: true });
fs.cpSync(standalone, target, { recursive: true, verbatimSymlinks: true });
fs.cpSync(path.join(dist, "static"), path.join(target, distName, "static"), { recursive: true });
if (fs.existsSync(path.join(root, "public"))) fs.cpSync(path.join(root, "public"), path.join(target, "public"), { recursive: true });
fs.mkdirSync(path.join(target, "scripts"), { recursive: true });
fs.copyFileSync(path.join(root, "scripts", "serve.mjs"), path.join(target, "scripts", "serve.mjs"));
// Next's own server.js would skip the console's fast path and clean shutdown: serve.mjs is the entry.
// The instrumentation's trace takes in the sources and test fixtures (the data dir's file reads in
// lib/store/import-files.ts look like reads of the project to the tracer; the route-keyed
// outputFileTracingExcludes does not apply to it): the compiled server needs none of them.
for (const unused of ["server.js", "app", "lib", "tests", "tsconfig.json", "tsconfig.scripts.json", "package-lock.json"])
  fs.rmSync(path.join(target, unused), { recursive: true, force: true });
console.log(`[standalone] the console is in ${target}: node ${path.join(target, "scripts", "serve.mjs")} -H 0.0.0.0 -p 3000`);
