/** CLUSTER INFO and CLUSTER NODES parsing, shared with the console: lib/redis/cluster-info.ts. */
export * from "../../lib/redis/cluster-info";
