/**
 * Certificates made with Debian's `openssl`: a CA and a server certificate for
 * 127.0.0.1/localhost signed by it. The TLS sandbox (`stack up --tls`) makes them in its stack
 * dir; the integration tests make them in a temp dir, with a second CA that trusts nothing here
 * (for the wrong-CA case).
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export interface CertFiles {
  dir: string;
  ca: string;
  cert: string;
  key: string;
}

export interface TestCerts extends CertFiles {
  /** A CA that did not sign the server certificate. */
  otherCa: string;
  remove(): void;
}

function openssl(args: string[], cwd: string): void {
  execFileSync("openssl", args, { cwd, stdio: ["ignore", "ignore", "pipe"], timeout: 30_000 });
}

function makeCa(dir: string, name: string, days: number): void {
  openssl(
    ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", `${name}.key`, "-out", `${name}.pem`, "-days", String(days), "-subj", `/CN=${name}`],
    dir,
  );
}

/** Writes ca.pem, server.pem and server.key (and their by-products) into `dir`, every file 0600. */
export function makeCerts(dir: string, opts: { days?: number; otherCa?: boolean } = {}): CertFiles {
  const days = opts.days ?? 2;
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  makeCa(dir, "ca", days);
  if (opts.otherCa) makeCa(dir, "other-ca", days);
  openssl(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost"], dir);
  fs.writeFileSync(path.join(dir, "server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n");
  openssl(
    [
      "x509",
      "-req",
      "-in",
      "server.csr",
      "-CA",
      "ca.pem",
      "-CAkey",
      "ca.key",
      "-CAcreateserial",
      "-out",
      "server.pem",
      "-days",
      String(days),
      "-extfile",
      "server.ext",
    ],
    dir,
  );
  for (const f of fs.readdirSync(dir)) fs.chmodSync(path.join(dir, f), 0o600);
  const p = (f: string) => path.join(dir, f);
  return { dir, ca: p("ca.pem"), cert: p("server.pem"), key: p("server.key") };
}

export function makeTestCerts(): TestCerts {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rrc-tls-"));
  const files = makeCerts(dir, { otherCa: true });
  return { ...files, otherCa: path.join(dir, "other-ca.pem"), remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
