import "server-only";
/** Turns a config's `tls` block into Node TLS options, reading its PEM files once, at start. */
import fs from "node:fs";
import type { ConnectionOptions } from "node:tls";
import type { TlsConfig } from "../config/connection-schema";

function readPem(path: string, field: string): Buffer {
  try {
    return fs.readFileSync(path);
  } catch (err) {
    throw new Error(`${field}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

/** Node TLS options for `tls` (config path `field`, e.g. "redis.tls"); throws naming the field of a missing file. */
export function tlsOptions(tls: TlsConfig, field: string): ConnectionOptions {
  const out: ConnectionOptions = { rejectUnauthorized: !tls.insecureSkipVerify };
  if (tls.ca) out.ca = [readPem(tls.ca, `${field}.ca`)];
  if (tls.cert) out.cert = readPem(tls.cert, `${field}.cert`);
  if (tls.key) out.key = readPem(tls.key, `${field}.key`);
  if (tls.servername) out.servername = tls.servername;
  return out;
}
