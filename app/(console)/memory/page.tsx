export default function MemoryPage() {
  return (
    <div className="flex flex-col gap-2">
      <h1 className="text-2xl font-bold tracking-tight">Memory</h1>
      <p className="text-muted">Memory and eviction charts per node, the guide's alert rules and memory by key class.</p>
      <p className="rounded-md border border-line bg-panel p-4">This view is not built yet; the Overview and Timeline are live.</p>
    </div>
  );
}
