import type { Snapshot } from "@/lib/snapshot/types";
import { formatTime } from "../ui/format";

type Lease = NonNullable<NonNullable<Snapshot["records"]>["lease"]>;

/** Which replica writes the records: every replica samples Redis, the lease holder alone writes what is derived from it. */
export function RecordsLease({ lease, present }: { lease: Lease | undefined; present: boolean }) {
  if (!lease) return null;
  const name = (id: string) => (present ? "another replica" : id);
  return (
    <p data-testid="records-lease" data-holder={present ? undefined : (lease.holder ?? "")} data-mine={lease.mine} className="mt-1 text-sm">
      <span className="font-semibold">Records lease: </span>
      {lease.mine ? (
        <>
          held by this replica{present ? "" : ` (${lease.replica})`}
          {lease.heldSince ? ` since ${formatTime(lease.heldSince)}` : ""}: it writes incidents, timeline events and failovers, fires the schedules, and deletes
          records past retention.
        </>
      ) : lease.holder ? (
        <>
          held by {name(lease.holder)}, which writes incidents, timeline events and failovers and fires the schedules; this replica
          {present ? "" : ` (${lease.replica})`} samples Redis itself and takes over if the holder stops renewing (within 10 s).
        </>
      ) : (
        <>not known yet{lease.problem ? `: ${lease.problem}` : ""}.</>
      )}
    </p>
  );
}
