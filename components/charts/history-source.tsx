import type { HistoryResponse } from "@/lib/history/types";

/**
 * Where the charts' numbers come from: the console's own samples or Prometheus (its URL, never
 * credentials; hidden in presentation mode), and why, when Prometheus could not serve the range.
 */
export function HistorySource({ history, present }: { history: HistoryResponse | undefined; present: boolean }) {
  if (!history) return null;
  const url = history.prometheus?.url;
  const label = history.source === "prometheus" ? `Source: Prometheus${url && !present ? ` ${url}` : ""}` : "Source: in-memory samples";
  const notice = history.notice && url && present ? history.notice.split(url).join("•••") : history.notice;
  return (
    <div className="mb-3 flex flex-col gap-1 text-sm">
      <span data-testid="history-source" data-source={history.source} className="text-muted">
        {label}
      </span>
      {notice && (
        <p data-testid="history-notice" role="status" className="rounded bg-degraded/15 px-2 py-1 text-degraded">
          {notice}
        </p>
      )}
    </div>
  );
}
