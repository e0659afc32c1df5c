import "server-only";
/**
 * The one deployment something is for (a viewer link): `?deployment=` or the body's `deployment`.
 * Unlike a read, it is not silently the default: when the console watches several, leaving it
 * out is a 400 naming them; a single-deployment console's one deployment needs no naming.
 */
import { getDeployments } from "../collector/instance";
import { problem } from "../http/responses";

export function namedDeployment(request: Request, fromBody: unknown, what: string): { ok: true; name: string } | { ok: false; response: Response } {
  const known = getDeployments().names();
  const query = new URL(request.url).searchParams.getAll("deployment");
  if (query.length > 1) return { ok: false, response: problem(400, "invalid query: deployment is given more than once; give it once") };
  if (fromBody !== undefined && typeof fromBody !== "string") return { ok: false, response: problem(400, `invalid ${what}: deployment must be a string`) };
  if (query[0] !== undefined && fromBody !== undefined && query[0] !== fromBody) {
    return {
      ok: false,
      response: problem(400, `invalid ${what}: ?deployment=${query[0].slice(0, 100)} and the body's deployment "${fromBody.slice(0, 100)}" differ`),
    };
  }
  const name = query[0] ?? fromBody;
  const hint = `Known deployments: ${known.join(", ")}.`;
  if (name === undefined) {
    if (known.length === 1) return { ok: true, name: known[0] };
    return {
      ok: false,
      response: problem(400, `invalid ${what}: name its deployment, one of ${known.join(", ")}`, `Send {"deployment": "${known[0]}"} (or ?deployment=).`),
    };
  }
  if (!known.includes(name)) return { ok: false, response: problem(400, `invalid ${what}: no deployment "${name.slice(0, 100)}"`, hint) };
  return { ok: true, name };
}
