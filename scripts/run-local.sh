#!/usr/bin/env bash
# Builds and runs the product on this machine, with no GPU and no cluster: one agent per simulated node and the FaultApi
# on 127.0.0.1:8080 in static routing. The simulated nodes are in samples/nodes/<node>/ (samples/nodes/README.md):
#   gpu-node-001  8x H100 80GB HBM3 + 4 NVSwitches (agent HTTP/1.1 JSON 127.0.0.1:8083, gRPC 127.0.0.1:8084)
#   gpu-node-002  8x H200 + 4 NVSwitches, with running processes (agent HTTP 127.0.0.1:8085, gRPC 127.0.0.1:8086)
# Each node has the /proc tree its agent discovers GPUs and NVSwitches in, its node labels (labels: key=value lines,
# given to the API as Routing:Static:Labels, so node_selector works), and stand-in nvidia-smi / nvidia-bug-report.sh
# (samples/stand-in-tools/) that answer from the node's real captures, and a stand-in dcgmi playing the node's DCGM
# hostengine (its GPUs are the node's, its field values in .local/tools/<node>/dcgm-state.json: every start is a fresh
# hostengine, as after a restart). They are installed in .local/tools/<node>/ and the agent's Agent:Tools:* and
# Agent:Dcgm:DcgmiPath settings point there: nothing is installed over a real tool.
# Runs until interrupted, then stops everything it started.
#
# As root the agents write the machine's real kernel log (see it with `dmesg`). The "host PID 1" whose mount namespace
# they enter is a process this script starts itself (unshare --mount ... sleep), never the machine's own PID 1.
#
# Environment: FAULT_INJECTION_TOKEN (the callers' token; generated and printed when unset), NODE_NAME (gpu-node-001),
# SECOND_NODE_NAME (gpu-node-002; empty: one node), API_URL (http://127.0.0.1:8080), AGENT_HTTP_URL
# (http://127.0.0.1:8083), AGENT_GRPC_URL (http://127.0.0.1:8084), SECOND_AGENT_HTTP_URL (http://127.0.0.1:8085),
# SECOND_AGENT_GRPC_URL (http://127.0.0.1:8086), FRESH (1: start from an empty state: no faults, no bug reports, the
# emergency stop released), CONFIGURATION (Release), FAULT_AGENT_EXECUTABLE (unset: publish the Native AOT agent into
# .local/bin/agent; set: run that executable). State lives in .local/: the callers' tokens (api-tokens), the
# agents' own token (agent-token: the API presents it, the agents accept it as "fault-api" from agent-tokens; a
# caller's token is refused there), each node's
# state (state/<node>) and tools (tools/<node>), the binaries (bin). SIGTERM/SIGINT stop everything it started (no build
# server is left behind either).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

api_url="${API_URL:-http://127.0.0.1:8080}"
configuration="${CONFIGURATION:-Release}"
local_dir="$root/.local"
out_dir="$local_dir/bin"
# Each node: name, agent HTTP URL, agent gRPC URL.
nodes=("${NODE_NAME:-gpu-node-001}" "${AGENT_HTTP_URL:-http://127.0.0.1:8083}" "${AGENT_GRPC_URL:-http://127.0.0.1:8084}")
second_node="${SECOND_NODE_NAME-gpu-node-002}"
if [ -n "$second_node" ]; then
  nodes+=("$second_node" "${SECOND_AGENT_HTTP_URL:-http://127.0.0.1:8085}" "${SECOND_AGENT_GRPC_URL:-http://127.0.0.1:8086}")
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "run-local.sh: must run as root (the agents enter a mount namespace and write /dev/kmsg)" >&2
  exit 1
fi

for ((i = 0; i < ${#nodes[@]}; i += 3)); do
  if [ ! -d "samples/nodes/${nodes[i]}/proc" ]; then
    echo "run-local.sh: no simulated node '${nodes[i]}' (samples/nodes/ has: $(cd samples/nodes && ls -d */ | tr -d / | tr '\n' ' '))" >&2
    exit 1
  fi
done

mkdir -p "$local_dir" "$out_dir"
chmod 700 "$local_dir"
if [ "${FRESH:-0}" = 1 ]; then
  rm -rf "$local_dir/state" "$local_dir/stop-state.json"
fi

if [ -z "${FAULT_INJECTION_TOKEN:-}" ]; then
  FAULT_INJECTION_TOKEN="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  echo "FAULT_INJECTION_TOKEN=$FAULT_INJECTION_TOKEN   (generated; export it to reuse)"
fi
export FAULT_INJECTION_TOKEN
umask 077
printf 'local:%s\n' "$FAULT_INJECTION_TOKEN" > "$local_dir/api-tokens"
# The agents' own credential: the API presents agent-token (a bare token); the agents accept it as fault-api.
agent_token="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
printf '%s\n' "$agent_token" > "$local_dir/agent-token"
printf 'fault-api:%s\n' "$agent_token" > "$local_dir/agent-tokens"
umask 022

echo "building..."
# The agent as it ships: one Native AOT executable (the toolchain from Debian when missing). FAULT_AGENT_EXECUTABLE
# names one already published (scripts/test.sh publishes it once for the whole CI run).
if [ -n "${FAULT_AGENT_EXECUTABLE:-}" ]; then
  agent_executable="$FAULT_AGENT_EXECUTABLE"
else
  scripts/install-aot-toolchain.sh
  dotnet publish src/FaultAgent/FaultAgent.csproj --configuration "$configuration" --nologo -v quiet --disable-build-servers -o "$out_dir/agent"
  agent_executable="$out_dir/agent/FaultAgent"
fi
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

api_args=()
for ((i = 0; i < ${#nodes[@]}; i += 3)); do
  node="${nodes[i]}" http_url="${nodes[i + 1]}" grpc_url="${nodes[i + 2]}"
  sample="$root/samples/nodes/$node"
  tools="$local_dir/tools/$node"
  state="$local_dir/state/$node"
  # The node's stand-in tools with the data they answer from; proc/ for the bug report's GPU information section.
  rm -rf "$tools"
  mkdir -p "$tools" "$state"
  install -m 0755 samples/stand-in-tools/nvidia-smi samples/stand-in-tools/nvidia-bug-report.sh samples/stand-in-tools/dcgmi "$tools/"
  cp "$sample"/nvidia-smi/* "$tools/"
  ln -s "$sample/proc" "$tools/proc"

  # --contentRoot: each process reads its own appsettings.json (Kestrel protocols, defaults), not the caller's directory.
  "$agent_executable" \
    --contentRoot="$(dirname "$agent_executable")" \
    --Agent:NodeName="$node" \
    --Agent:ProcRoot="$sample/proc" \
    --Agent:TargetPid="$target_pid" \
    --Agent:StateDirectory="$state" \
    --Agent:TokenFile="$local_dir/agent-tokens" \
    --Agent:Tools:NvidiaSmiPath="$tools/nvidia-smi" \
    --Agent:Tools:NvidiaBugReportPath="$tools/nvidia-bug-report.sh" \
    --Agent:Dcgm:DcgmiPath="$tools/dcgmi" \
    --Kestrel:Endpoints:Http:Url="$http_url" \
    --Kestrel:Endpoints:Http:Protocols=Http1 \
    --Kestrel:Endpoints:Grpc:Url="$grpc_url" \
    --Kestrel:Endpoints:Grpc:Protocols=Http2 &
  pids+=("$!")

  api_args+=(--Routing:Static:Nodes:"$node"="$grpc_url")
  if [ -f "$sample/labels" ]; then
    while IFS='=' read -r key value; do
      [ -n "$key" ] && [ "${key#\#}" = "$key" ] && api_args+=(--Routing:Static:Labels:"$node":"$key"="$value")
    done < "$sample/labels"
  fi
done

dotnet "$out_dir/api/FaultApi.dll" \
  --contentRoot="$out_dir/api" \
  --urls "$api_url" \
  --Routing:Mode=Static \
  "${api_args[@]}" \
  --Auth:TokenFile="$local_dir/api-tokens" \
  --Agents:TokenFile="$local_dir/agent-token" \
  --Stop:StateFile="$local_dir/stop-state.json" &
pids+=("$!")

# Wait (up to 120 s on a busy machine) for every agent's health and the API's readiness (the API's /ready does not wait
# for the agents: a caller arriving first got 503 "agent unavailable"), giving up early if a process died.
ready() {
  for ((i = 0; i < ${#nodes[@]}; i += 3)); do
    curl -fsS "${nodes[i + 1]}/health" >/dev/null 2>&1 || return 1
  done
  curl -fsS "$api_url/ready" >/dev/null 2>&1
}
deadline=$((SECONDS + 120))
until ready; do
  for pid in "${pids[@]}"; do
    kill -0 "$pid" 2>/dev/null || { echo "run-local.sh: process $pid exited before the API was ready" >&2; exit 1; }
  done
  [ "$SECONDS" -lt "$deadline" ] || { echo "run-local.sh: the agents and the API did not become ready within 120 s" >&2; exit 1; }
  sleep 0.2
done

summary=""
for ((i = 0; i < ${#nodes[@]}; i += 3)); do
  summary+="  ${nodes[i]}: agent ${nodes[i + 1]} (HTTP) / ${nodes[i + 2]} (gRPC), labels $(grep -v '^#' "samples/nodes/${nodes[i]}/labels" 2>/dev/null | paste -sd, -)"$'\n'
done
cat <<MSG

Ready: API $api_url (Bearer \$FAULT_INJECTION_TOKEN); the agents take the token in .local/agent-token.
$summary
Try:
  curl -s -X POST $api_url/api/v1/faults/gpu/inject/xid-79 \\
    -H "Authorization: Bearer \$FAULT_INJECTION_TOKEN" -H "Content-Type: application/json" \\
    -d '{"node_name": "${nodes[0]}", "gpu_id": 0}'
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
