#!/usr/bin/env bash
# Runs this pytest example against the product on this machine: installs the pytest-fault-injection plugin from the
# repository into artifacts/venv (scripts/python-plugin-env.sh: Debian's pytest and httpx, no package index), starts scripts/run-local.sh (its own process group, free loopback ports, a generated
# token; scripts/run-local-group.sh), waits until it is ready, runs pytest with a JUnit XML report, stops run-local (the whole process group: no
# agent, API or unshare process is left) and exits with pytest's exit code. Needs root, as run-local.sh does.
#
# Environment: PYTEST_JUNIT_XML (artifacts/test-results/pytest.xml), extra pytest arguments as this script's arguments.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
junit_xml="${PYTEST_JUNIT_XML:-$root/artifacts/test-results/pytest.xml}"
log="$root/artifacts/run-local.log"
mkdir -p "$(dirname "$junit_xml")" "$(dirname "$log")"

. "$root/scripts/python-plugin-env.sh"
plugin_env_install
python="$plugin_python"

free_port() {
  "$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
api_port=$(free_port)
agent_http_port=$(free_port)
agent_grpc_port=$(free_port)
second_agent_http_port=$(free_port)
second_agent_grpc_port=$(free_port)
FAULT_INJECTION_TOKEN="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
FAULT_INJECTION_API="http://127.0.0.1:$api_port"
export FAULT_INJECTION_TOKEN FAULT_INJECTION_API

# run-local.sh leads a process group of its own, so stopping it reaches every process it started.
. "$root/scripts/run-local-group.sh"
run_local_start "$log" API_URL="$FAULT_INJECTION_API" \
  AGENT_HTTP_URL="http://127.0.0.1:$agent_http_port" AGENT_GRPC_URL="http://127.0.0.1:$agent_grpc_port" \
  SECOND_AGENT_HTTP_URL="http://127.0.0.1:$second_agent_http_port" SECOND_AGENT_GRPC_URL="http://127.0.0.1:$second_agent_grpc_port"
trap 'trap - EXIT INT TERM; run_local_stop' EXIT INT TERM
run_local_wait_ready "$log"

set +e
(cd "$here" && "$python" -m pytest -p no:cacheprovider --junitxml="$junit_xml" -o junit_family=xunit2 "$@" .)
code=$?
set -e

trap - EXIT INT TERM
run_local_stop || exit 1
exit "$code"
