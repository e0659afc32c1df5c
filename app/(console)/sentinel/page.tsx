export default function SentinelPage() {
  return (
    <div className="flex flex-col gap-2">
      <h1 className="text-2xl font-bold tracking-tight">Sentinel</h1>
      <p className="text-muted">Master, replicas, quorum, each sentinel's own view, and failover history.</p>
      <p className="rounded-md border border-line bg-panel p-4">This view is not built yet; the Overview and Timeline are live.</p>
    </div>
  );
}
