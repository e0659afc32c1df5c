import type { ChaosCatalogue } from "./use-chaos";

/** An unfinished fault journal: the target waits for its restore, which the console retries with backoff. */
export function JournalBanner({ recovery }: { recovery: NonNullable<ChaosCatalogue["recovery"]> }) {
  if (recovery.state === "idle") return null;
  return (
    <p role="alert" data-testid="journal-recovery" className="rounded-md bg-unavailable/15 px-3 py-2 text-sm text-unavailable">
      Run {recovery.runId ?? "?"}&apos;s fault journal is not finished: it holds the originals the run changed, so no run starts until its restore succeeds.{" "}
      {recovery.state === "restoring"
        ? `Restoring now (attempt ${recovery.attempts}).`
        : `Attempt ${recovery.attempts} failed${recovery.problems.length ? `: ${recovery.problems.join("; ")}` : ""}; next at ${recovery.nextAttemptAt ?? "—"}.`}
    </p>
  );
}
