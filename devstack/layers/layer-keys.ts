/**
 * The layers' key names. On the Sentinel sandbox they stay exactly as they always were
 * (`l1:rl:t-1`); on a cluster each key carries the hash tag its class has in CLUSTER_KEY_CLASSES
 * (`l1:rl:{t-1}`), so every multi-key operation (a MULTI, an MGET) stays on one slot and never
 * gets CROSSSLOT.
 */
import { CLUSTER_KEY_CLASSES, taggedKey, type ClusterKeyTag } from "../../lib/contract/cluster-keys";

/** What a key is about: the ids its hash tag may be taken from. */
export interface KeySubject {
  tenant?: string;
  session?: string;
  /** The prompt's tag: the semantic (normalized) hash, shared by its exact and semantic cache entries. */
  prompt?: string;
}

/** `prefix` + `name` as the sandbox names it; `subject` says what the key belongs to. */
export type KeyNaming = (prefix: string, name: string, subject: KeySubject) => string;

/**
 * The stand-ins' exceptions to the contract's classes, each with its reason. The HITL queue is
 * per tenant here (GET /hitl/:tenant reads it; its RPUSH + LTRIM touch only that key), so it is
 * tagged by tenant, not by session as CLUSTER_KEY_CLASSES says.
 */
const STAND_IN_TAGS: Record<string, ClusterKeyTag> = { "l3:hitl:": "tenant" };

/** The tag kind of the key class `prefix` belongs to (the longest class prefix it starts with). */
export function keyClassTag(prefix: string): ClusterKeyTag {
  const own = Object.keys(STAND_IN_TAGS).find((p) => prefix.startsWith(p));
  if (own) return STAND_IN_TAGS[own];
  const cls = Object.values(CLUSTER_KEY_CLASSES)
    .filter((c) => prefix.startsWith(c.prefix))
    .sort((a, b) => b.prefix.length - a.prefix.length)[0];
  return cls?.tag ?? "none";
}

/** The Sentinel sandbox's names, unchanged: `l1:rl:t-1`, `l2:cache:<sha>`, `cp:tenant:t-1`. */
export const sentinelKeys: KeyNaming = (prefix, name) => `${prefix}${name}`;

/** The cluster's names: `l1:rl:{t-1}`, `l2:cache:{<prompt tag>}:<sha>`, `l3:session:{<id>}`; throws when the class's id is missing. */
export const clusterKeys: KeyNaming = (prefix, name, subject) => {
  const kind = keyClassTag(prefix);
  if (kind === "none") return `${prefix}${name}`;
  const tag = subject[kind];
  if (!tag) throw new Error(`key ${prefix}${name}: its class is tagged by ${kind} on a cluster, but no ${kind} was given`);
  return name === tag ? taggedKey(prefix, tag) : taggedKey(prefix, tag, `:${name}`);
};
