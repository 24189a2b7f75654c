#!/usr/bin/env bash
# Builds and runs the product on this machine, with no GPU and no cluster: one agent for a simulated node
# (gpu-node-001: 8 GPUs described by real /proc information files kept in samples/) and the FaultApi on
# 127.0.0.1:8080 in static routing. Agent routes: HTTP/1.1 JSON on 127.0.0.1:8083, gRPC on 127.0.0.1:8084.
# Runs until interrupted, then stops everything it started.
#
# As root the agent writes the machine's real kernel log (see it with `dmesg`). The "host PID 1" whose mount namespace
# it enters is a process this script starts itself (unshare --mount ... sleep), never the machine's own PID 1.
#
# Environment: FAULT_INJECTION_TOKEN (generated and printed when unset), NODE_NAME (gpu-node-001),
# API_URL (http://127.0.0.1:8080), AGENT_HTTP_URL (http://127.0.0.1:8083), AGENT_GRPC_URL (http://127.0.0.1:8084),
# CONFIGURATION (Release). SIGTERM/SIGINT stop everything it started (no build server is left behind either).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

node_name="${NODE_NAME:-gpu-node-001}"
api_url="${API_URL:-http://127.0.0.1:8080}"
agent_http_url="${AGENT_HTTP_URL:-http://127.0.0.1:8083}"
agent_grpc_url="${AGENT_GRPC_URL:-http://127.0.0.1:8084}"
configuration="${CONFIGURATION:-Release}"
local_dir="$root/.local"
state_dir="$local_dir/state/$node_name"
out_dir="$local_dir/bin"

if [ "$(id -u)" -ne 0 ]; then
  echo "run-local.sh: must run as root (the agent enters a mount namespace and writes /dev/kmsg)" >&2
  exit 1
fi

mkdir -p "$state_dir" "$out_dir"
chmod 700 "$local_dir"

if [ -z "${FAULT_INJECTION_TOKEN:-}" ]; then
  FAULT_INJECTION_TOKEN="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  echo "FAULT_INJECTION_TOKEN=$FAULT_INJECTION_TOKEN   (generated; export it to reuse)"
fi
export FAULT_INJECTION_TOKEN
umask 077
printf 'local:%s\n' "$FAULT_INJECTION_TOKEN" > "$local_dir/api-tokens"
printf '%s\n' "$FAULT_INJECTION_TOKEN" > "$local_dir/agent-token"
umask 022

echo "building..."
dotnet build src/FaultAgent/FaultAgent.csproj --configuration "$configuration" --nologo -v quiet --disable-build-servers -o "$out_dir/agent"
dotnet build src/FaultApi/FaultApi.csproj --configuration "$configuration" --nologo -v quiet --disable-build-servers -o "$out_dir/api"

pids=()
cleanup() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

# The stand-in for the host's PID 1: a process in a mount namespace of its own.
unshare --mount --propagation private sleep infinity &
target_pid=$!
pids+=("$target_pid")
for _ in $(seq 1 100); do
  [ "$(readlink /proc/$target_pid/ns/mnt 2>/dev/null)" != "$(readlink /proc/self/ns/mnt)" ] && break
  sleep 0.05
done

# --contentRoot: each process reads its own appsettings.json (Kestrel protocols, defaults), not the caller's directory.
dotnet "$out_dir/agent/FaultAgent.dll" \
  --contentRoot="$out_dir/agent" \
  --Agent:NodeName="$node_name" \
  --Agent:ProcRoot="$root/samples/nodes/$node_name/proc" \
  --Agent:TargetPid="$target_pid" \
  --Agent:StateDirectory="$state_dir" \
  --Agent:TokenFile="$local_dir/agent-token" \
  --Kestrel:Endpoints:Http:Url="$agent_http_url" \
  --Kestrel:Endpoints:Http:Protocols=Http1 \
  --Kestrel:Endpoints:Grpc:Url="$agent_grpc_url" \
  --Kestrel:Endpoints:Grpc:Protocols=Http2 &
pids+=("$!")

dotnet "$out_dir/api/FaultApi.dll" \
  --contentRoot="$out_dir/api" \
  --urls "$api_url" \
  --Routing:Mode=Static \
  --Routing:Static:Nodes:"$node_name"="$agent_grpc_url" \
  --Auth:TokenFile="$local_dir/api-tokens" \
  --Agents:TokenFile="$local_dir/agent-token" \
  --Stop:StateFile="$local_dir/stop-state.json" &
pids+=("$!")

# Wait (up to 120 s on a busy machine) for the agent's health and the API's readiness (the API's /ready does not wait
# for the agent: a caller arriving first got 503 "agent unavailable"), giving up early if a process died.
deadline=$((SECONDS + 120))
until curl -fsS "$agent_http_url/health" >/dev/null 2>&1 && curl -fsS "$api_url/ready" >/dev/null 2>&1; do
  for pid in "${pids[@]}"; do
    kill -0 "$pid" 2>/dev/null || { echo "run-local.sh: process $pid exited before the API was ready" >&2; exit 1; }
  done
  [ "$SECONDS" -lt "$deadline" ] || break
  sleep 0.2
done
curl -fsS "$agent_http_url/health" >/dev/null || { echo "run-local.sh: the agent did not become healthy" >&2; exit 1; }
curl -fsS "$api_url/ready" >/dev/null || { echo "run-local.sh: the API did not become ready" >&2; exit 1; }

cat <<MSG

Ready: API $api_url, agent for $node_name on $agent_http_url (HTTP) / $agent_grpc_url (gRPC).
Try:
  curl -s -X POST $api_url/api/v1/faults/gpu/inject/xid-79 \\
    -H "Authorization: Bearer \$FAULT_INJECTION_TOKEN" -H "Content-Type: application/json" \\
    -d '{"node_name": "$node_name", "gpu_id": 0}'
  dmesg | grep Xid
Press Ctrl-C to stop.
MSG
# Run until interrupted or until one of the children stops (then say which, and stop the rest).
while true; do
  for pid in "${pids[@]}"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "run-local.sh: process $pid ($(tr '\0' ' ' < /proc/$pid/cmdline 2>/dev/null || echo exited)) stopped; shutting down" >&2
      exit 1
    fi
  done
  sleep 1
done
