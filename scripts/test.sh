#!/usr/bin/env bash
# Runs every test of the solution and ends with the plain line "N passed, N failed" taken from the
# test results (TRX files). Exits non-zero on any failure. Needs root: the tests write the real /dev/kmsg,
# create mount and network namespaces, and enter them.
set -euo pipefail
cd "$(dirname "$0")/.."

results_dir="${TEST_RESULTS_DIR:-$PWD/artifacts/test-results}"
rm -rf "$results_dir"
mkdir -p "$results_dir"

if [ "$(id -u)" -ne 0 ]; then
  echo "warning: not root; the tests that need root (trait Requires=root: kernel log, namespaces, nsenter, journald) are skipped, each saying so" >&2
fi

passed=0
failed=0

# 0. The tools the tests check the product with, from Debian's packages (CI starts on a clean Debian 12): promtool
# (prometheus) for both /metrics. A test whose tool is still missing installs it itself or fails saying which package.
if ! command -v promtool >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null; } \
    || echo "warning: could not install prometheus (promtool); the metrics tests will try again" >&2
fi
# junitparser (python3-junitparser) reads the suites' JUnit reports back in SuiteReportTests, as CI tooling reads them.
if ! /usr/bin/python3 -c 'import junitparser' >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-junitparser >/dev/null; } \
    || echo "warning: could not install python3-junitparser; the JUnit report tests will fail naming it" >&2
fi
# The GPU health monitors' own parsing code (tests/monitor-code) runs with Debian's Go (golang-go) and /usr/bin/python3
# with the two modules Konduktor's files import (python3-requests, python3-colorama): MonitorCodeTests.
if { ! [ -x /usr/bin/go ] || ! /usr/bin/python3 -c 'import requests, colorama' >/dev/null 2>&1; } && [ "$(id -u)" -eq 0 ]; then
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends golang-go python3-requests python3-colorama >/dev/null; } \
    || echo "warning: could not install golang-go, python3-requests, python3-colorama; MonitorCodeTests will fail naming them" >&2
fi
# kubectl (kubernetes-client) renders every overlay of deploy/ (kubectl kustomize) for the manifest tests.
if ! command -v kubectl >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends kubernetes-client >/dev/null; } \
    || echo "warning: could not install kubernetes-client (kubectl); the manifest tests will try again" >&2
fi

# 1. The images' publish step: exactly the commands the Dockerfiles run (src/*/Dockerfile), so a green CI means the
# images' build stage succeeds. A failed publish counts as a failure and fails the run. The agent publishes as a Native
# AOT executable (its toolchain from Debian first), and every test that starts a real agent runs that executable
# (FAULT_AGENT_EXECUTABLE), so CI proves the binary that ships.
publish_dir="${PUBLISH_DIR:-$PWD/artifacts/publish}"
rm -rf "$publish_dir"
publish_failed=0
scripts/install-aot-toolchain.sh || { echo "the Native AOT toolchain is missing; the agent's publish will fail" >&2; }
for project in FaultAgent FaultApi FaultCtl; do
  if ! dotnet publish "src/$project/$project.csproj" --configuration Release --output "$publish_dir/$project"; then
    echo "publish of $project failed (the image build would fail)" >&2
    publish_failed=1
    failed=$((failed + 1))
  fi
done

if [ -x "$publish_dir/FaultAgent/FaultAgent" ]; then
  export FAULT_AGENT_EXECUTABLE="$publish_dir/FaultAgent/FaultAgent"
fi

# The OpenAPI linter (Redocly CLI) and Kiota at the versions the repository pins (tools/openapi, dotnet-tools.json): the
# lint test (tests/FaultApi.Tests/OpenApi/OpenApiLintTests.cs) runs the linter; if it could not be installed, that test
# fails saying so.
scripts/install-openapi-tools.sh || echo "warning: could not install the OpenAPI tools; the OpenAPI lint test will fail" >&2

# 2. Every .NET test.
set +e
dotnet test FaultInjection.sln --configuration Release \
  --logger "trx" --results-directory "$results_dir" \
  -- RunConfiguration.TestSessionTimeout=1500000
test_exit=$?
set -e

tests_failed=0
found=0
for trx in "$results_dir"/*.trx; do
  [ -e "$trx" ] || continue
  found=1
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  e=$(sed -n 's/.* error="\([0-9]*\)".*/\1/p' <<<"$counters")
  t=$(sed -n 's/.* timeout="\([0-9]*\)".*/\1/p' <<<"$counters")
  a=$(sed -n 's/.* aborted="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0}))
  tests_failed=$((tests_failed + ${f:-0} + ${e:-0} + ${t:-0} + ${a:-0}))
done

if [ "$tests_failed" -ne 0 ]; then
  # What failed, with its message and stack, from the reports themselves (a class fixture's cleanup failure counts
  # as a failure in the report while dotnet test's own summary says "Passed!").
  python3 scripts/trx-failures.py "$results_dir"/*.trx || true
fi

if [ "$found" -eq 0 ] || { [ "$test_exit" -ne 0 ] && [ "$tests_failed" -eq 0 ]; }; then
  # The build failed or a test host crashed before writing its results: count that as a failure.
  tests_failed=$((tests_failed + 1))
fi
failed=$((failed + tests_failed))

# 3. and 4. The clients against the product run locally (scripts/client-tests.sh, one run-local.sh on free ports: the
# pytest plugin's own tests, the pytest example, faultctl installed from its packed nupkg, and a consumer project of the
# PACKED FaultInjection.Client), then the README's marked examples run literally against run-local.sh on its default
# ports (scripts/readme-examples.sh); their counts join the total. A suite that did not report (run-local did not come
# up, pytest crashed) counts as a failure.
junit_passed=0
junit_failed=0
# count_junit FILE: adds a JUnit XML report's counts; returns 1 when it counts a failure, 2 when there is no report.
count_junit() {
  local suite tests failures errors skipped
  suite=$(grep -o '<testsuite [^>]*>' "$1" 2>/dev/null | head -n 1)
  [ -n "$suite" ] || return 2
  tests=$(sed -n 's/.* tests="\([0-9]*\)".*/\1/p' <<<"$suite")
  failures=$(sed -n 's/.* failures="\([0-9]*\)".*/\1/p' <<<"$suite")
  errors=$(sed -n 's/.* errors="\([0-9]*\)".*/\1/p' <<<"$suite")
  skipped=$(sed -n 's/.* skipped="\([0-9]*\)".*/\1/p' <<<"$suite")
  junit_passed=$((junit_passed + ${tests:-0} - ${failures:-0} - ${errors:-0} - ${skipped:-0}))
  junit_failed=$((junit_failed + ${failures:-0} + ${errors:-0}))
  [ $((${failures:-0} + ${errors:-0})) -eq 0 ]
}
# count_trx FILE: the same for a TRX report.
count_trx() {
  local counters p f e t a
  counters=$(grep -o '<Counters [^>]*>' "$1" 2>/dev/null | head -n 1)
  [ -n "$counters" ] || return 2
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  e=$(sed -n 's/.* error="\([0-9]*\)".*/\1/p' <<<"$counters")
  t=$(sed -n 's/.* timeout="\([0-9]*\)".*/\1/p' <<<"$counters")
  a=$(sed -n 's/.* aborted="\([0-9]*\)".*/\1/p' <<<"$counters")
  junit_passed=$((junit_passed + ${p:-0}))
  junit_failed=$((junit_failed + ${f:-0} + ${e:-0} + ${t:-0} + ${a:-0}))
  [ $((${f:-0} + ${e:-0} + ${t:-0} + ${a:-0})) -eq 0 ]
}
# run_suites COMMAND... -- REPORT...: runs the command and counts each of its reports (JUnit XML, or .trx); a missing
# report counts as a failure, and so does a failed command whose reports show no failure.
run_suites() {
  local command=() code clean=1 counted report
  while [ "$1" != "--" ]; do command+=("$1"); shift; done
  shift
  rm -f "$@"
  set +e
  "${command[@]}"
  code=$?
  set -e
  for report in "$@"; do
    counted=0
    case "$report" in
      *.trx) count_trx "$report" || counted=$? ;;
      *) count_junit "$report" || counted=$? ;;
    esac
    [ "$counted" -eq 0 ] || clean=0
    if [ "$counted" -eq 2 ]; then
      echo "no test report $report" >&2
      junit_failed=$((junit_failed + 1))
    fi
  done
  if [ "$code" -ne 0 ] && [ "$clean" -eq 1 ]; then
    junit_failed=$((junit_failed + 1))
  fi
}
run_suites env PACK_NO_BUILD=1 TEST_RESULTS_DIR="$results_dir" scripts/client-tests.sh -- \
  "$results_dir/pytest-plugin.xml" "$results_dir/pytest.xml" "$results_dir/faultctl.xml" "$results_dir/client-package.trx" \
  "$results_dir/kiota-client.trx"
run_suites env README_JUNIT_XML="$results_dir/readme-examples.xml" scripts/readme-examples.sh -- "$results_dir/readme-examples.xml"
passed=$((passed + junit_passed))
failed=$((failed + junit_failed))

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$test_exit" -eq 0 ]
