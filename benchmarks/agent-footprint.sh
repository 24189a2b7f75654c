#!/usr/bin/env bash
# Startup and idle memory of the agent as it ships (the Native AOT executable) beside the same build run as
# `dotnet FaultAgent.dll`, side by side in one run: process start -> first GET /health 200 (polled every 5 ms), then,
# 2 s later, VmRSS and the smaps breakdown (anonymous vs the executable's / libraries' file pages). As root, from the
# repository root: benchmarks/agent-footprint.sh [runs, default 5]. Prints `uptime` first: read the figures with it.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
uptime
scripts/install-aot-toolchain.sh
dotnet publish src/FaultAgent/FaultAgent.csproj -c Release -o "$work/native" --nologo -v quiet
dotnet build src/FaultAgent/FaultAgent.csproj -c Release -o "$work/jit" --nologo -v quiet
printf 'footprint:%s\n' "$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')" > "$work/tokens"
unshare --mount --propagation private sleep infinity &
target=$!
trap 'kill $target 2>/dev/null; rm -rf "$work"' EXIT

measure() { # label program...
  local label="$1"; shift
  local state="$work/state-$RANDOM"; mkdir -p "$state"
  local t0 t1 pid
  t0=$(date +%s%N)
  "$@" --Agent:NodeName=footprint --Agent:ProcRoot="$PWD/samples/nodes/gpu-node-001/proc" --Agent:TargetPid="$target" \
    --Agent:StateDirectory="$state" --Agent:TokenFile="$work/tokens" \
    --Kestrel:Endpoints:Http:Url=http://127.0.0.1:18583 --Kestrel:Endpoints:Grpc:Url=http://127.0.0.1:18584 >"$state.log" 2>&1 &
  pid=$!
  until curl -sf http://127.0.0.1:18583/health >/dev/null 2>&1; do sleep 0.005; done
  t1=$(date +%s%N)
  sleep 2
  local rss anon file
  rss=$(awk '/^VmRSS/{print $2}' /proc/$pid/status)
  anon=$(awk '/^Pss_Anon/{print $2}' /proc/$pid/smaps_rollup)
  file=$(awk '/^Pss_File/{print $2}' /proc/$pid/smaps_rollup)
  printf '| %s | %d ms | %d MB | %d MB | %d MB |\n' "$label" $(((t1 - t0) / 1000000)) $((rss / 1024)) $((anon / 1024)) $((file / 1024))
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

echo "| agent | start to healthy | idle VmRSS | of it anonymous (Pss_Anon) | file pages (Pss_File) |"
echo "|---|---|---|---|---|"
for _ in $(seq 1 "$runs"); do
  measure "native (AOT, $(du -m "$work/native/FaultAgent" | cut -f1) MB executable)" "$work/native/FaultAgent" --contentRoot="$work/native"
  measure "dotnet FaultAgent.dll" dotnet "$work/jit/FaultAgent.dll" --contentRoot="$work/jit"
done
uptime
