#!/usr/bin/env bash
# Installs faultctl on this machine from this repository, with no package index but the NuGet feed the build already
# uses: packs FaultInjection.Client and faultctl (Release, the repository's version from Directory.Build.props) into
# artifacts/packages, then installs (or updates to) that faultctl as a .NET tool — a global one (~/.dotnet/tools, on the
# PATH of a default .NET install) unless --tool-path DIR is given. The tool comes from artifacts/packages alone (a
# NuGet.config that clears every other source), never from a package of the same name elsewhere.
#
#   scripts/install-faultctl.sh                     # then: faultctl --help
#   scripts/install-faultctl.sh --tool-path DIR     # DIR/faultctl (CI: scripts/client-tests.sh)
#   PACK_NO_BUILD=1 ...                             # pack what an earlier Release build produced (CI, after dotnet test)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
packages="$root/artifacts/packages"
tool_args=(--global)
if [ "${1:-}" = "--tool-path" ] && [ -n "${2:-}" ]; then
  tool_args=(--tool-path "$2")
elif [ $# -gt 0 ]; then
  echo "usage: $0 [--tool-path DIR]" >&2
  exit 2
fi

version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$root/Directory.Build.props" | head -n 1)
if [ -z "$version" ]; then
  echo "install-faultctl.sh: no <Version> in Directory.Build.props" >&2
  exit 1
fi

rm -rf "$packages"
mkdir -p "$packages"
build_args=()
[ "${PACK_NO_BUILD:-0}" = 1 ] && build_args=(--no-build)
for project in src/FaultInjection.Client/FaultInjection.Client.csproj src/FaultCtl/FaultCtl.csproj; do
  dotnet pack "$root/$project" --configuration Release --output "$packages" --nologo -v quiet "${build_args[@]}"
done

cat > "$packages/NuGet.config" <<CONFIG
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="faultctl-local" value="$packages" />
  </packageSources>
</configuration>
CONFIG

# "update" installs the tool when it is missing and replaces any other version.
dotnet tool update faultctl --version "$version" --configfile "$packages/NuGet.config" "${tool_args[@]}"
