export default function ChaosPage() {
  return (
    <div className="flex flex-col gap-2">
      <h1 className="text-2xl font-bold tracking-tight">Chaos</h1>
      <p className="text-muted">Sandboxed chaos scenarios that check the guide's claims against what the layers really do.</p>
      <p className="rounded-md border border-line bg-panel p-4">This view is not built yet; the Overview and Timeline are live.</p>
    </div>
  );
}
