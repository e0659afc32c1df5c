import type { SettingStatus, SettingVerdict } from "@/lib/config/baseline";

const STYLE: Record<SettingStatus, { icon: string; label: string; tone: string }> = {
  ok: { icon: "●", label: "ok", tone: "text-ok" },
  drift: { icon: "▲", label: "drift", tone: "text-degraded" },
  recommendation: { icon: "◆", label: "consider", tone: "text-accent" },
  unknown: { icon: "?", label: "unread", tone: "text-unknown" },
};

/** One node's value for one setting, with its verdict in words and shape (not colour alone). */
export function SettingCell({ verdict, testId }: { verdict: SettingVerdict | undefined; testId: string }) {
  const status = verdict?.status ?? "unknown";
  const s = STYLE[status];
  return (
    <td data-testid={testId} data-status={status} className="px-3 py-2 align-top">
      <span className="block font-mono break-all">{verdict?.value ?? "—"}</span>
      <span className={`text-xs font-semibold uppercase ${s.tone}`}>
        <span aria-hidden>{s.icon}</span> {s.label}
      </span>
      {verdict?.from === "info" && (
        <span data-testid={`${testId}-from`} title="CONFIG GET is refused on this node: the value is what INFO states" className="ml-2 text-xs text-muted">
          from INFO
        </span>
      )}
    </td>
  );
}
