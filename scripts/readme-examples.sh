#!/usr/bin/env bash
# Runs the README's marked examples (tests/readme-examples/test_readme_examples.py) as a new user would: starts
# scripts/run-local.sh on its DEFAULT ports (8080, 8083-8086, which the README's examples name) from an empty state
# (FRESH=1), then runs every marked example literally, in order, in one shell from the repository root, and checks what
# the README says each answers. It runs in a network namespace of its own (its own loopback: the fixed ports never
# collide with another run or a developer's run-local.sh) and a private mount namespace with a systemd-journald of its
# own (on a tmpfs), so the README's journalctl example reads the real journal of this machine's kernel log. Writes a
# JUnit XML report; exits with pytest's code. Needs root. The build inside has no network: run it after a build (CI
# runs it after the .NET tests and the pytest example, which build and restore everything).
#
# Environment: README_JUNIT_XML (artifacts/test-results/readme-examples.xml).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
python=/usr/bin/python3
junit_xml="${README_JUNIT_XML:-$root/artifacts/test-results/readme-examples.xml}"
log="$root/artifacts/readme-run-local.log"

if [ "$(id -u)" -ne 0 ]; then
  echo "readme-examples.sh: must run as root (run-local.sh writes /dev/kmsg; a private mount namespace for journald)" >&2
  exit 1
fi

if [ "${README_EXAMPLES_NAMESPACE:-}" != 1 ]; then
  if ! "$python" -c 'import pytest' 2>/dev/null || ! command -v jq >/dev/null; then
    echo "installing python3-pytest jq (Debian packages)..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-pytest jq >/dev/null
  fi
  mkdir -p "$(dirname "$junit_xml")" "$(dirname "$log")"
  exec env README_EXAMPLES_NAMESPACE=1 unshare --net --mount --propagation private "$0" "$@"
fi

# Inside network and mount namespaces of our own: loopback up; a journald of our own, its sockets and journal on tmpfs.
ip link set lo up
mount -t tmpfs readme-examples-run /run
[ -d /var/log/journal ] && mount -t tmpfs readme-examples-journal /var/log/journal
mkdir -p /run/systemd/journal /run/log/journal
/lib/systemd/systemd-journald &
journald=$!

FAULT_INJECTION_TOKEN="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export FAULT_INJECTION_TOKEN
. "$root/scripts/run-local-group.sh"
run_local_start "$log" FRESH=1
stop() {
  trap - EXIT INT TERM
  run_local_stop || true
  kill "$journald" 2>/dev/null || true
  wait "$journald" 2>/dev/null || true
}
trap stop EXIT INT TERM
run_local_wait_ready "$log"

set +e
(cd "$root/tests/readme-examples" && "$python" -m pytest -p no:cacheprovider --junitxml="$junit_xml" -o junit_family=xunit2 "$@" .)
code=$?
set -e
stop
exit "$code"
