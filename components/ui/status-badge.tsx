import type { LayerStatus } from "@/lib/contract/failure-contract";

const STYLES: Record<LayerStatus, string> = {
  ok: "bg-ok/15 text-ok ring-ok/40",
  degraded: "bg-degraded/15 text-degraded ring-degraded/40",
  unavailable: "bg-unavailable/15 text-unavailable ring-unavailable/40",
  unknown: "bg-unknown/15 text-unknown ring-unknown/40",
};

const ICONS: Record<LayerStatus, string> = { ok: "●", degraded: "▲", unavailable: "✖", unknown: "?" };

/** A status in words, colour and shape (colour alone fails on projectors and for colour-blind readers). */
export function StatusBadge({ status, label, testId }: { status: LayerStatus; label?: string; testId?: string }) {
  return (
    <span
      data-testid={testId}
      data-status={status}
      // The Element Timing API reports when a known status was first painted: `npm run bench`'s
      // "first data on screen" (a harness polling the page waits on its scripts; the eye does not).
      {...(status !== "unknown" && testId ? { elementtiming: testId } : {})}
      className={`inline-flex items-center gap-1.5 rounded-md px-2 py-0.5 text-sm font-semibold tracking-wide uppercase ring-1 ${STYLES[status]}`}
    >
      <span aria-hidden>{ICONS[status]}</span>
      {label ?? status}
    </span>
  );
}
