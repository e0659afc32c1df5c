#!/usr/bin/env bash
# The guide's chaos suite, headless (the guide's ./scripts/chaos-redis.sh; also `npm run chaos`):
#   scripts/chaos-redis.sh [scenario|all] [--out DIR] [--param [scenario.]name=value]… [--local]
# Exit 0 every check held, 1 a check failed, 2 could not run. See scripts/chaos/cli.ts.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ ! -f "$root/node_modules/tsx/dist/loader.mjs" ]; then
  echo "chaos: could not run: node_modules is missing; run npm ci in $root first" >&2
  exit 2
fi
export TSX_TSCONFIG_PATH="$root/tsconfig.json"
# lib/ marks its server modules with `server-only`, which throws outside the react-server
# condition that Next's server runs under; node runs the CLI under that condition too.
# exec: Ctrl-C reaches the CLI itself, which aborts the running scenario and restores the stack.
exec node --conditions=react-server --import "$root/node_modules/tsx/dist/loader.mjs" "$root/scripts/chaos/cli.ts" "$@"
