/** Display formatting: the collector never formats, components do. */
export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined) return "—";
  const units = ["B", "KB", "MB", "GB", "TB"];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 100 || i === 0 ? v.toFixed(0) : v.toFixed(1)} ${units[i]}`;
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.floor(seconds)} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${Math.floor(seconds % 60)} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
}

export function formatTime(iso: string): string {
  return new Date(iso).toISOString().slice(11, 19) + " UTC";
}

export function formatPercent(ratio: number | null | undefined, digits = 0): string {
  return ratio === null || ratio === undefined ? "—" : `${(ratio * 100).toFixed(digits)} %`;
}
