"use client";

/** A page that failed to render still says what happened and offers a retry; no stack trace. */
export default function ConsoleError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div role="alert" className="flex max-w-2xl flex-col gap-3 rounded-lg border-2 border-unavailable/60 bg-panel p-6">
      <h1 className="text-xl font-bold">This view failed to render</h1>
      <p className="text-muted">
        The console itself is still serving; live data may be fine on the other pages. {error.digest ? `Reference: ${error.digest}.` : ""}
      </p>
      <button type="button" onClick={reset} className="self-start rounded-md bg-accent px-4 py-1.5 font-semibold text-bg">
        Try again
      </button>
    </div>
  );
}
