/** Memory by key class, as GET /api/keyspace serves it. Client-safe. */
import type { keyClassOf } from "../contract/failure-contract";

export type KeyClass = ReturnType<typeof keyClassOf>;

export interface PrefixStats {
  prefix: string;
  sampledKeys: number;
  meanBytes: number | null;
  estimatedKeys: number;
  estimatedBytes: number | null;
}

export interface KeyClassStats {
  keyClass: KeyClass;
  /** What the class holds, in the guide's words. */
  holds: string;
  sampledKeys: number;
  meanBytes: number | null;
  estimatedKeys: number;
  estimatedBytes: number | null;
  /** Share of all keys (0-1), from the sample. */
  keyShare: number;
  /** Evictions attributed to this class (estimated) since the sampler began watching. */
  evictions: number;
  prefixes: PrefixStats[];
  /** A few sampled key names; omitted in presentation mode. */
  exampleKeys?: string[];
}

export interface GuideSizing {
  what: string;
  prefix: string;
  guideBytes: number;
  measuredBytes: number | null;
  sampledKeys: number;
}

export interface ScaleTrigger {
  id: "tenants" | "sessions" | "memory";
  /** The guide's trigger, in its words. */
  label: string;
  value: number | null;
  threshold: number;
  unit: "count" | "bytes";
  /** How the value was obtained. */
  basis: string;
}

export interface KeyspaceReport {
  at: string | null;
  state: "warming-up" | "ok" | "no-master" | "error";
  error?: string;
  master: string | null;
  dbsize: number | null;
  usedMemory: number | null;
  sample: {
    keys: number;
    passes: number;
    fullWalks: number;
    passSeconds: number;
    keysPerPass: number;
    recheckPerPass: number;
    maxAgeSeconds: number;
    memoryUsage: boolean;
  };
  classes: KeyClassStats[];
  evictions: {
    /** evicted_keys growth on the master(s) while watched. */
    observed: number;
    attributed: number;
    /** Not yet matched to a class (no sampled key vanished early yet). */
    pending: number;
    unattributed: number;
    since: string | null;
    method: string;
  };
  sizing: GuideSizing[];
  scaleTriggers: ScaleTrigger[];
}
