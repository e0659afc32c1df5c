/** The charts' palette (globals.css's status colours; SVG attributes cannot read CSS variables) and axis formats. */
export const CHART = {
  accent: "#58a6ff",
  ok: "#3fb950",
  warn: "#d29922",
  bad: "#f85149",
  muted: "#93a1b1",
  grid: "#263241",
  panel: "#18212d",
  text: "#e6edf3",
  violet: "#bc8cff",
} as const;

/** UTC clock time for the x axis; seconds only where the range is short enough to need them. */
export function clockTick(ms: number, withSeconds: boolean): string {
  return new Date(ms).toISOString().slice(11, withSeconds ? 19 : 16);
}
