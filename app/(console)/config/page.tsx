export default function ConfigPage() {
  return (
    <div className="flex flex-col gap-2">
      <h1 className="text-2xl font-bold tracking-tight">Config</h1>
      <p className="text-muted">Each node's settings audited against the guide's production column.</p>
      <p className="rounded-md border border-line bg-panel p-4">This view is not built yet; the Overview and Timeline are live.</p>
    </div>
  );
}
