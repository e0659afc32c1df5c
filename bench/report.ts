/** The results as a table on stdout, each headline number beside its goal. */

export interface Goal {
  key: string;
  label: string;
  value: number | null;
  unit: string;
  /** The value must be at most this. */
  max: number | null;
  /** The value must be at least this (a ratio). */
  min?: number | null;
}

export function goalTable(goals: Goal[]): string {
  const rows = goals.map((g) => {
    const value = g.value === null ? "n/a" : `${g.value} ${g.unit}`.trim();
    const min = g.min ?? null;
    const goal = min !== null ? `≥ ${min} ${g.unit}`.trim() : g.max === null ? "" : `≤ ${g.max} ${g.unit}`.trim();
    const met =
      g.max === null && min === null ? "" : g.value === null ? "NOT MEASURED" : (min !== null ? g.value >= min : g.value <= g.max!) ? "met" : "NOT MET";
    return [g.label, value, goal, met];
  });
  const header = ["measure", "value", "goal", ""];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) =>
    "  " +
    r
      .map((c, i) => c.padEnd(widths[i]))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}
