import type { BaselineRow } from "@/lib/config/audit-types";
import type { SettingVerdict } from "@/lib/config/baseline";
import { SettingCell } from "./setting-cell";

export interface AuditColumn {
  id: string;
  label: string;
  sublabel: string;
  settings: SettingVerdict[];
}

const SOURCE: Record<BaselineRow["source"], string> = {
  "guide-table": "guide, Key Production Settings",
  "guide-compose": "guide, production docker-compose",
  "guide-sentinel": "guide, sentinel.conf",
  recommendation: "recommendation beyond the guide",
};

/** Settings as rows, nodes (or sentinels) as columns, with the guide's columns and reasons beside them. */
export function SettingsTable({
  rows,
  columns,
  devDefaultLabel,
  testId,
}: {
  rows: BaselineRow[];
  columns: AuditColumn[];
  devDefaultLabel: string;
  testId: string;
}) {
  return (
    <div className="overflow-x-auto rounded-lg border border-line">
      <table data-testid={testId} className="w-full text-sm">
        <thead className="bg-panel-2 text-left text-muted">
          <tr>
            <th className="px-3 py-2 font-medium">Setting</th>
            <th className="px-3 py-2 font-medium">Production</th>
            <th className="px-3 py-2 font-medium">{devDefaultLabel}</th>
            {columns.map((c) => (
              <th key={c.id} className="px-3 py-2 font-medium">
                <span className="text-text">{c.label}</span> <span className="font-normal">{c.sublabel}</span>
              </th>
            ))}
            <th className="px-3 py-2 font-medium">Why it matters</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-line">
          {rows.map((r) => (
            <tr key={r.name} data-testid={`setting-${r.name}`} className={r.source === "recommendation" ? "bg-accent/5" : undefined}>
              <td className="px-3 py-2 align-top font-mono font-semibold">{r.name}</td>
              <td className="px-3 py-2 align-top font-mono">{r.production}</td>
              <td className="px-3 py-2 align-top font-mono text-muted">{r.devDefault}</td>
              {columns.map((c) => (
                <SettingCell key={c.id} verdict={c.settings.find((s) => s.name === r.name)} testId={`setting-${r.name}-${c.id}`} />
              ))}
              <td className="max-w-md px-3 py-2 align-top">
                <span>{r.why}</span>
                {r.note && <span className="mt-1 block text-xs text-muted">{r.note}</span>}
                <span className="mt-1 block text-xs text-muted italic">{SOURCE[r.source]}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
