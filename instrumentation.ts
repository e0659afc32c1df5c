/** Starts the one collector of this server process before the first request (Node runtime only). */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") await import("./instrumentation-node");
}
