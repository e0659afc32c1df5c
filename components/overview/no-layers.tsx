/** What the Layers section says when the config names no layer: why it is empty, and how to fill it. */
export function NoLayers() {
  return (
    <div data-testid="no-layers" className="rounded-lg border border-line bg-panel p-4 text-sm">
      <p className="font-semibold">No layers configured for this deployment: the console watches Redis only.</p>
      <p className="mt-1 text-muted">
        To judge the gateway layers against the guide&apos;s failure contract, add them to the config —{" "}
        <code className="font-mono">{`"layers": [{"id": "L1", "url": "http://…"}]`}</code> — and the address they reach Redis through,{" "}
        <code className="font-mono">{`"redis": {"layerAddress": {"host": "…", "port": 6379}}`}</code>, which the console checks with ROLE (a replica there means
        every write fails).
      </p>
    </div>
  );
}
