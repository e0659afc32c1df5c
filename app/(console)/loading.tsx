/** Shown while a page's server data loads: the real shell stays, the content area says so. */
export default function Loading() {
  return (
    <div className="flex flex-col gap-4" aria-busy="true">
      <div className="h-8 w-48 animate-pulse rounded bg-panel-2" />
      <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
        {[0, 1, 2, 3].map((i) => (
          <div key={i} className="h-48 animate-pulse rounded-lg border border-line bg-panel" />
        ))}
      </div>
    </div>
  );
}
