/**
 * How the layers' keys are placed on a Redis Cluster, shared by the sandbox's layers (which
 * build their keys with it) and the console (which says which layer's keys live on which shard).
 * Redis Cluster puts a key on slot CRC16(key) mod 16384, hashing only the part between the first
 * `{` and the next `}` when there is one (a hash tag). Keys one operation touches together must
 * share a tag, or the command fails with CROSSSLOT.
 */

export const CLUSTER_SLOTS = 16384;

/** CRC16-CCITT (XMODEM), the one Redis Cluster uses (src/crc16.c): polynomial 0x1021, initial 0. */
const CRC16_TABLE = (() => {
  const t = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i << 8;
    for (let b = 0; b < 8; b++) c = c & 0x8000 ? ((c << 1) ^ 0x1021) & 0xffff : (c << 1) & 0xffff;
    t[i] = c;
  }
  return t;
})();

export function crc16(data: Buffer): number {
  let crc = 0;
  for (const byte of data) crc = ((crc << 8) & 0xffff) ^ CRC16_TABLE[((crc >> 8) ^ byte) & 0xff];
  return crc;
}

/** The part of a key that is hashed: the hash tag when it has a non-empty one, else the whole key. */
export function hashedPart(key: string): string {
  const open = key.indexOf("{");
  if (open < 0) return key;
  const close = key.indexOf("}", open + 1);
  if (close < 0 || close === open + 1) return key;
  return key.slice(open + 1, close);
}

/** The slot a key lives on (Redis's keyHashSlot). */
export function hashSlot(key: string): number {
  return crc16(Buffer.from(hashedPart(key), "utf8")) % CLUSTER_SLOTS;
}

/**
 * What a key class is tagged with on a cluster: `tenant` (all of one tenant's keys of that class
 * on one shard), `session` (a session's keys together), `prompt` (the exact and semantic cache
 * entries of a prompt together), or `none` (single-key operations, spread over every shard).
 */
export type ClusterKeyTag = "tenant" | "session" | "prompt" | "none";

export interface ClusterKeyClass {
  prefix: string;
  tag: ClusterKeyTag;
  /** Which operation needs the tag, or why none is needed. */
  why: string;
}

/** Per key prefix (failure-contract.ts keyPrefixes), how the layers tag it on a cluster. */
export const CLUSTER_KEY_CLASSES: Record<string, ClusterKeyClass> = {
  "l1:rl:": { prefix: "l1:rl:", tag: "tenant", why: "one MULTI reads the tenant's config and updates its sliding window" },
  "l1:tenant:": { prefix: "l1:tenant:", tag: "tenant", why: "read in the same MULTI as the tenant's window" },
  "l2:cache:": { prefix: "l2:cache:", tag: "prompt", why: "one MGET reads the exact and the semantic entry of a prompt" },
  "l2:semantic:": { prefix: "l2:semantic:", tag: "prompt", why: "read in the same MGET as the exact entry" },
  "l2:budget:": { prefix: "l2:budget:", tag: "tenant", why: "one counter per tenant" },
  "l3:session:": { prefix: "l3:session:", tag: "session", why: "one MULTI writes a session with its A2A state and HITL queue entry" },
  "l3:a2a:": { prefix: "l3:a2a:", tag: "session", why: "read in the same MULTI as the session" },
  "l3:hitl:": { prefix: "l3:hitl:", tag: "tenant", why: "one approval queue per tenant (GET /hitl/:tenant)" },
  "l3:policy:": { prefix: "l3:policy:", tag: "tenant", why: "one hash per tenant" },
  "cp:": { prefix: "cp:", tag: "tenant", why: "a tenant's metadata, settings and webhooks in one MULTI" },
};

/** A key of `prefix` tagged with `tag` on a cluster: `l1:rl:{t-1}`, `l3:session:{abc}`, `l3:hitl:{abc}:queue`. */
export function taggedKey(prefix: string, tag: string, rest = ""): string {
  return `${prefix}{${tag}}${rest}`;
}
