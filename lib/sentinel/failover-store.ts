import "server-only";
/** Failover history, newest first and bounded: read from the store at start, each new or amended record saved. */
import type { Records } from "../store/records";
import type { FailoverRecord } from "./types";

export class FailoverStore {
  constructor(
    private readonly records: Records<FailoverRecord> | null,
    private readonly max = 50,
  ) {}

  /** The stored records, newest first (bounded). */
  load(): FailoverRecord[] {
    return [...(this.records?.initial ?? [])].sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt)).slice(0, this.max);
  }

  /** An amended record (same id) replaces the stored one. */
  save(record: FailoverRecord): void {
    this.records?.save(record);
  }
}
