/** jsonb in and out: written as text cast in SQL, read back already parsed by both engines. */
export const toJson = (value: unknown): string => JSON.stringify(value);

/** An ISO timestamp from a timestamptz column (a Date from both drivers, a string from a text cast). */
export const iso = (v: Date | string): string => (v instanceof Date ? v.toISOString() : new Date(v).toISOString());
