/** A page-level warning: `page` (red) for what stops the platform, `warn` (amber) for what weakens it. */
export function Banner({ tone, testId, title, children }: { tone: "page" | "warn"; testId: string; title: string; children?: React.ReactNode }) {
  const style = tone === "page" ? "border-unavailable/70 bg-unavailable/10" : "border-degraded/60 bg-degraded/10";
  return (
    <section role="alert" data-testid={testId} className={`rounded-lg border-2 px-4 py-3 ${style}`}>
      <h2 className={`text-lg font-semibold ${tone === "page" ? "text-unavailable" : "text-degraded"}`}>{title}</h2>
      {children && <div className="text-sm">{children}</div>}
    </section>
  );
}
