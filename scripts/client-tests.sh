#!/usr/bin/env bash
# The clients' tests against the product run locally (one scripts/run-local.sh on free loopback ports for all of them):
#   1. pytest-fault-injection's own tests (src/pytest-fault-injection/tests), the plugin installed from the repository;
#   2. the pytest example (examples/pytest), which imports the plugin (no conftest.py);
#   3. faultctl (tests/faultctl), installed as a .NET tool from its packed nupkg by scripts/install-faultctl.sh;
#   4. a consumer test project (tests/client-package) restored from the PACKED FaultInjection.Client, not the project.
# Each writes a JUnit XML (1-3) or TRX (4) report into the results directory; scripts/test.sh counts them. Exits non-zero
# when any suite failed or did not report. Needs root (run-local.sh). Run after a Release build of the solution when
# PACK_NO_BUILD=1 (CI: after dotnet test).
#
# Environment: TEST_RESULTS_DIR (artifacts/test-results), PACK_NO_BUILD.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
results="${TEST_RESULTS_DIR:-$root/artifacts/test-results}"
log="$root/artifacts/client-tests-run-local.log"
tools="$root/artifacts/tools"
mkdir -p "$results" "$(dirname "$log")"
cd "$root"

# The tools under test, as a user installs them.
. "$root/scripts/python-plugin-env.sh"
plugin_env_install
rm -rf "$tools"
scripts/install-faultctl.sh --tool-path "$tools"
packages="$root/artifacts/packages"
version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props | head -n 1)

# The consumer project restores FaultInjection.Client from the packed feed only (source mapping), everything else from
# the usual feed, into a package folder of its own (a re-packed client of the same version is never read from a cache).
consumer="$root/tests/client-package"
cat > "$root/artifacts/consumer-NuGet.config" <<CONFIG
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="faultctl-local" value="$packages" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
  </packageSources>
  <packageSourceMapping>
    <packageSource key="faultctl-local"><package pattern="FaultInjection.Client" /></packageSource>
    <packageSource key="nuget.org"><package pattern="*" /></packageSource>
  </packageSourceMapping>
</configuration>
CONFIG
rm -rf "$root/artifacts/consumer-packages" "$consumer/bin" "$consumer/obj"
consumer_args=(--configuration Release -p:FaultInjectionClientVersion="$version" -p:RestorePackagesPath="$root/artifacts/consumer-packages")
dotnet restore "$consumer/ClientPackageConsumer.csproj" --configfile "$root/artifacts/consumer-NuGet.config" "${consumer_args[@]:2}"
dotnet build "$consumer/ClientPackageConsumer.csproj" --no-restore --nologo -v quiet "${consumer_args[@]}"

free_port() {
  "$plugin_python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
FAULT_INJECTION_TOKEN="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
FAULT_INJECTION_API="http://127.0.0.1:$(free_port)"
FAULTCTL="$tools/faultctl"
FAULT_INJECTION_PACKAGES="$packages"
export FAULT_INJECTION_TOKEN FAULT_INJECTION_API FAULTCTL FAULT_INJECTION_PACKAGES

. "$root/scripts/run-local-group.sh"
run_local_start "$log" API_URL="$FAULT_INJECTION_API" FRESH=1 \
  AGENT_HTTP_URL="http://127.0.0.1:$(free_port)" AGENT_GRPC_URL="http://127.0.0.1:$(free_port)" \
  SECOND_AGENT_HTTP_URL="http://127.0.0.1:$(free_port)" SECOND_AGENT_GRPC_URL="http://127.0.0.1:$(free_port)"
trap 'trap - EXIT INT TERM; run_local_stop' EXIT INT TERM
run_local_wait_ready "$log"

failed=0
run_pytest() {
  local name="$1" dir="$2"
  shift 2
  (cd "$dir" && "$plugin_python" -m pytest -p no:cacheprovider --junitxml="$results/$name.xml" -o junit_family=xunit2 "$@" .) || failed=1
}
run_pytest pytest-plugin "$root/src/pytest-fault-injection/tests"
run_pytest pytest "$root/examples/pytest"
run_pytest faultctl "$root/tests/faultctl"
dotnet test "$consumer/ClientPackageConsumer.csproj" --no-build --configuration Release \
  --logger "trx;LogFileName=client-package.trx" --results-directory "$results" || failed=1

trap - EXIT INT TERM
run_local_stop || exit 1
exit "$failed"
