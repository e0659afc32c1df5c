/** Checks before `up`: binaries present, ports free. Each failure says how to fix it. */
import { execFileSync } from "node:child_process";
import net from "node:net";
import { PORT_OFFSETS, type PortName, type StackSettings } from "./settings";

/** Those of `binaries` not on the PATH. */
export function missingBinaries(binaries: string[]): string[] {
  return binaries.filter((bin) => {
    try {
      execFileSync("sh", ["-c", `command -v ${bin}`], { stdio: "ignore" });
      return false;
    } catch {
      return true;
    }
  });
}

export function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen({ port, host: "127.0.0.1", exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** The named ports of the stack that something else already listens on. */
export async function takenPorts(settings: StackSettings): Promise<{ name: PortName; port: number }[]> {
  const entries = Object.entries(PORT_OFFSETS) as [PortName, number][];
  const checks = await Promise.all(
    entries.map(async ([name, off]) => ({ name, port: settings.basePort + off, free: await portFree(settings.basePort + off) })),
  );
  return checks.filter((c) => !c.free).map(({ name, port }) => ({ name, port }));
}
