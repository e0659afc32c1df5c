import { z } from "zod";

/** A run id as the API accepts it in a path. */
export const RunId = z.string().regex(/^[0-9a-z-]{1,80}$/, "run ids are lowercase letters, digits and dashes");
