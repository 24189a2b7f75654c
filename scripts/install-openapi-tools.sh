#!/usr/bin/env bash
# The OpenAPI tools at the versions the repository pins, installed into the repository itself so a fresh machine, a
# developer and CI lint and generate with the same ones:
#   - the Redocly CLI (npm; tools/openapi/package.json + package-lock.json) into tools/openapi/node_modules, with the
#     machine's Node.js and npm (npm's own cache keeps the download for the next clone);
#   - Kiota (a .NET tool; dotnet-tools.json at the root) through `dotnet tool restore` (NuGet's cache keeps it).
# Each is skipped when the pinned version is already there. Used by scripts/test.sh (before the lint test) and
# scripts/client-tests.sh (Kiota generates a client from the served document).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tools="$root/tools/openapi"

if ! command -v npm >/dev/null 2>&1; then
  echo "install-openapi-tools.sh: npm is missing; the Redocly CLI needs Node.js >= 20.19 with npm" >&2
  exit 1
fi
pinned=$(sed -n 's/.*"@redocly\/cli": "\([^"]*\)".*/\1/p' "$tools/package.json")
installed=$(sed -n 's/^  "version": "\([^"]*\)".*/\1/p' "$tools/node_modules/@redocly/cli/package.json" 2>/dev/null || true)
if [ "$installed" != "$pinned" ] || [ ! -x "$tools/node_modules/.bin/redocly" ]; then
  echo "installing the Redocly CLI $pinned into tools/openapi"
  (cd "$tools" && npm ci --no-audit --no-fund --prefer-offline --loglevel=error)
fi

(cd "$root" && dotnet tool restore >/dev/null)
