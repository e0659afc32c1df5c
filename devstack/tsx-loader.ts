/**
 * The tsx loader as a file URL, for `node --import` in the supervisors we spawn: they run with
 * their sandbox dir as cwd, where a bare `--import tsx` would not resolve when that dir is
 * outside the repo (`--dir /tmp/…`).
 */
export const TSX_LOADER = import.meta.resolve("tsx");
