#!/usr/bin/env bash
# Runs this pytest example against the product on this machine: installs the Debian packages it needs when missing
# (python3-pytest, python3-httpx), starts scripts/run-local.sh (its own process group, free loopback ports, a generated
# token), waits for the API's /ready, runs pytest with a JUnit XML report, stops run-local (the whole process group: no
# agent, API or unshare process is left) and exits with pytest's exit code. Needs root, as run-local.sh does.
#
# Environment: PYTEST_JUNIT_XML (artifacts/test-results/pytest.xml), extra pytest arguments as this script's arguments.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
python=/usr/bin/python3
junit_xml="${PYTEST_JUNIT_XML:-$root/artifacts/test-results/pytest.xml}"
log="$root/artifacts/run-local.log"
mkdir -p "$(dirname "$junit_xml")" "$(dirname "$log")"

if ! "$python" -c 'import pytest, httpx' 2>/dev/null; then
  echo "installing python3-pytest python3-httpx (Debian packages)..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-pytest python3-httpx >/dev/null
fi

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

# setsid: run-local.sh leads a process group of its own, so stopping it reaches every process it started.
setsid env API_URL="$FAULT_INJECTION_API" \
  AGENT_HTTP_URL="http://127.0.0.1:$agent_http_port" AGENT_GRPC_URL="http://127.0.0.1:$agent_grpc_port" \
  SECOND_AGENT_HTTP_URL="http://127.0.0.1:$second_agent_http_port" SECOND_AGENT_GRPC_URL="http://127.0.0.1:$second_agent_grpc_port" \
  "$root/scripts/run-local.sh" >"$log" 2>&1 &
group=$!

stop() {
  trap - EXIT INT TERM
  kill -TERM -- "-$group" 2>/dev/null || true
  local deadline=$((SECONDS + 30))
  while kill -0 -- "-$group" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.2; done
  if kill -0 -- "-$group" 2>/dev/null; then
    echo "run.sh: run-local.sh's processes did not stop on SIGTERM; killing them" >&2
    kill -KILL -- "-$group" 2>/dev/null || true
  fi
  wait "$group" 2>/dev/null || true
}
trap stop EXIT INT TERM

# The build is part of run-local.sh: allow it time on a busy machine, but stop waiting if it exits.
deadline=$((SECONDS + 900))
until curl -fsS "$FAULT_INJECTION_API/ready" >/dev/null 2>&1; do
  if ! kill -0 "$group" 2>/dev/null || [ "$SECONDS" -ge "$deadline" ]; then
    echo "run.sh: the local API did not become ready; run-local.sh's output:" >&2
    cat "$log" >&2
    exit 1
  fi
  sleep 0.5
done

set +e
(cd "$here" && "$python" -m pytest -p no:cacheprovider --junitxml="$junit_xml" -o junit_family=xunit2 "$@" .)
code=$?
set -e

stop
if pgrep -g "$group" >/dev/null 2>&1; then
  echo "run.sh: processes of run-local.sh are still running: $(pgrep -g "$group" | tr '\n' ' ')" >&2
  exit 1
fi
exit "$code"
