/** The most connections a console holds on a dev stack for connection-exhaustion; past it, maxclients is lowered for the run. Client-safe (the plan says it). */
export const HOLD_CAP = 200;
