#!/usr/bin/env bash
# Builds Release and runs every benchmark (as root: the agents write the real /dev/kmsg and enter a mount namespace of a
# process this run starts itself). Prints the machine load before and after and a summary table (markdown).
# See BENCHMARKS.md for the method. Environment knobs: BENCH_LATENCY_COUNT, BENCH_SEED_COUNT, BENCH_THROUGHPUT_SECONDS,
# BENCH_CONCURRENCY, BENCH_FANOUT_AGENTS, BENCH_FANOUT_REQUESTS, BENCH_CHILD_ENV ("K=V;K=V" for the product processes),
# BENCH_RAW_KMSG=1 to also run the in-process kernel-log throughput bench (benchmarks/FaultAgent.Benchmarks),
# BENCH_FLOOR_COUNT, BENCH_PROFILE_COUNT, BENCH_STRACE_COUNT, BENCH_AGENT_EXECUTABLE, BENCH_CLIENT_SPIN_LIMIT (below; see the header of
# benchmarks/FaultInjection.Benchmarks/Program.cs).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" -ne 0 ]; then
  echo "benchmarks/run.sh: must run as root (the agent writes /dev/kmsg and enters a mount namespace)" >&2
  exit 1
fi

echo "building Release..."
for project in src/FaultAgent src/FaultApi benchmarks/AgentFarm benchmarks/FaultInjection.Benchmarks; do
  dotnet build "$project" --configuration Release --nologo -v quiet
done

# The agent as it ships: the Native AOT executable (toolchain from Debian when missing). BENCH_AGENT_EXECUTABLE may name
# one already published; set it to "dotnet" to measure `dotnet FaultAgent.dll` instead. (AgentFarm hosts the agent app
# in one managed process, so the fan-out's agents are always the JIT build.)
if [ -z "${BENCH_AGENT_EXECUTABLE:-}" ]; then
  scripts/install-aot-toolchain.sh
  dotnet publish src/FaultAgent/FaultAgent.csproj --configuration Release --nologo -v quiet -o artifacts/bench/agent
  export BENCH_AGENT_EXECUTABLE="$PWD/artifacts/bench/agent/FaultAgent"
elif [ "$BENCH_AGENT_EXECUTABLE" = "dotnet" ]; then
  unset BENCH_AGENT_EXECUTABLE
fi

# benchmarks/AgentFarm hosts BENCH_FANOUT_AGENTS agent apps in one process, each watching its settings files and token
# file like a real agent (one inotify instance per watched directory): 1000 apps need far more than the kernel's
# default of 128 inotify instances per user. Raised for this run only, and put back when it ends.
inotify_before="$(sysctl -n fs.inotify.max_user_instances)"
inotify_needed=$(( ${BENCH_FANOUT_AGENTS:-1000} * 4 + 256 ))
if [ "$inotify_before" -lt "$inotify_needed" ]; then
  echo "fs.inotify.max_user_instances raised from $inotify_before to $inotify_needed for the fan-out (put back at exit)"
  sysctl -qw fs.inotify.max_user_instances="$inotify_needed"
  trap 'sysctl -qw fs.inotify.max_user_instances='"$inotify_before" EXIT
fi

echo "uptime before: $(uptime)"
# BENCH_CLIENT_SPIN_LIMIT=0: the benchmark's own thread pool does not spin while it waits for work (DOTNET_ThreadPool_UnfairSemaphoreSpinLimit,
# for the benchmark process only: its children keep their default). Its spinning workers wait for the agent's reply on the same 2
# cores, where they delay the agent's fsync (its cache flush's kworker and its wake-ups; BENCHMARKS.md, the fsyncgap section).
if [ -n "${BENCH_CLIENT_SPIN_LIMIT:-}" ]; then
  export DOTNET_ThreadPool_UnfairSemaphoreSpinLimit="$BENCH_CLIENT_SPIN_LIMIT"
fi
dotnet benchmarks/FaultInjection.Benchmarks/bin/Release/net10.0/FaultInjection.Benchmarks.dll "$PWD" Release
if [ "${BENCH_RAW_KMSG:-0}" = "1" ]; then
  dotnet run --configuration Release --project benchmarks/FaultAgent.Benchmarks -- 4000
fi
echo "uptime after: $(uptime)"
