/**
 * Test certificates made with Debian's `openssl` in a temp dir: a CA, a server certificate for
 * 127.0.0.1/localhost signed by it, and a second CA that trusts nothing here (for the wrong-CA case).
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export interface TestCerts {
  dir: string;
  ca: string;
  cert: string;
  key: string;
  /** A CA that did not sign the server certificate. */
  otherCa: string;
  remove(): void;
}

function openssl(args: string[], cwd: string): void {
  execFileSync("openssl", args, { cwd, stdio: ["ignore", "ignore", "pipe"], timeout: 30_000 });
}

function makeCa(dir: string, name: string): void {
  openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", `${name}.key`, "-out", `${name}.pem`, "-days", "2", "-subj", `/CN=${name}`], dir);
}

export function makeTestCerts(): TestCerts {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rrc-tls-"));
  makeCa(dir, "ca");
  makeCa(dir, "other-ca");
  openssl(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost"], dir);
  fs.writeFileSync(path.join(dir, "server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n");
  openssl(["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "server.ext"], dir);
  for (const f of fs.readdirSync(dir)) fs.chmodSync(path.join(dir, f), 0o600);
  const p = (f: string) => path.join(dir, f);
  return { dir, ca: p("ca.pem"), cert: p("server.pem"), key: p("server.key"), otherCa: p("other-ca.pem"), remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
