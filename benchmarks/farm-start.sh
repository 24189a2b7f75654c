#!/usr/bin/env bash
# Starts benchmarks/AgentFarm alone with <count> agent apps (4 starting at a time, as the benchmark does) and prints when
# all were healthy, the farm's RSS, and its GC pause total and full collections at that point; then stops it.
# Usage (as root, after `dotnet build benchmarks/AgentFarm -c Release`): benchmarks/farm-start.sh [count (300)] [label]
# Compare two builds by running it from each tree in turns (BENCHMARKS.md, "the farm's slow start").
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-300}
label=${2:-$(git rev-parse --short HEAD)}
work=$(mktemp -d /tmp/farm-start-XXXX)
echo "fault-api:$(head -c16 /dev/urandom | od -An -tx1 | tr -d ' \n')" > "$work/token"
unshare --mount --propagation private sleep infinity &
target=$!
inotify_before=$(sysctl -n fs.inotify.max_user_instances)
sysctl -qw fs.inotify.max_user_instances=$((count * 4 + 256))
dotnet benchmarks/AgentFarm/bin/Release/net10.0/AgentFarm.dll 127.0.1.1 "$count" 39101 39102 \
  "$PWD/samples/nodes/gpu-node-001/proc" "$target" "$work/state" "$work/token" 4 300 > "$work/out" 2>&1 &
farm=$!
cleanup() {
  kill "$farm" "$target" 2>/dev/null || true
  wait "$farm" 2>/dev/null || true
  sysctl -qw fs.inotify.max_user_instances="$inotify_before"
  rm -rf "$work"
}
trap cleanup EXIT
until grep -q '^all ready' "$work/out"; do
  kill -0 "$farm" 2>/dev/null || { echo "the farm exited:"; tail -20 "$work/out"; exit 1; }
  sleep 1
done
sleep 6
echo "$label $(date -u +%H:%M) load $(cut -d' ' -f1-3 /proc/loadavg): $(grep '^all ready' "$work/out") | $(grep '^gc' "$work/out" | head -1)"
grep '^ready' "$work/out" | awk -v step=$((count / 3)) 'step > 0 && NR % step == 0'
