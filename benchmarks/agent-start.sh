#!/usr/bin/env bash
# The agent's start to healthy and its idle memory, alternating between agent executables in one machine state (#14,
# BENCHMARKS.md "the agent's start"). Each start is the benchmark's (benchmarks/FaultInjection.Benchmarks): a target
# process of its own (`unshare --mount --propagation private sleep infinity`), the simulated node
# samples/nodes/gpu-node-001/proc, a fresh state directory and token file, loopback ports, the raised limits, log level
# Warning, the executable's directory as working directory. Per start: process start (just before the fork) -> first
# `GET /health` 200, polled every 2 ms over a raw socket (no curl process per poll competing for the 2 cores), and the
# agent's CPU time until then (every thread's schedstat: moves far less with the machine's load than the wall time); then
# 3 s later VmRSS, Pss (smaps_rollup) and the thread count; then SIGTERM. Prints one row per start and, per executable, the
# median and range. As root, from anywhere:
#   benchmarks/agent-start.sh <starts per executable> <label>=<executable> [<label>=<executable> ...]
# e.g. benchmarks/agent-start.sh 6 main=/work/team/agent-e2f5bf3/FaultAgent branch=/tmp/agent-branch/FaultAgent
# Run it under `flock /work/team/bench.lock flock /work/team/fulltest.lock` and read it with the `uptime` it prints.
# AGENT_START_KEEP=1 keeps the state directories and logs; AGENT_START_WRAP="strace -f -tt -T -o /tmp/start.strace"
# (split on spaces) runs every start under that command (perf record -g -o <file> likewise).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
[[ $# -ge 2 ]] || { sed -n '2,15p' "$0"; exit 2; }
exec python3 - "$repo" "$@" <<'PY'
import os, shutil, signal, socket, statistics, subprocess, sys, tempfile, time

repo, starts, variants = sys.argv[1], int(sys.argv[2]), [a.split("=", 1) for a in sys.argv[3:]]
wrap = os.environ.get("AGENT_START_WRAP", "").split()
work = tempfile.mkdtemp(prefix="agent-start-")
tokens = os.path.join(work, "tokens")
with open(tokens, "w") as f:
    f.write("agent-start:" + os.urandom(24).hex() + "\n")

drawn = set()

def free_port():  # never the same port twice in a run: nothing holds a drawn port until the agent binds it
    while True:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port not in drawn:
            drawn.add(port)
            return port

def healthy(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as s:
            s.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            return s.recv(64).startswith(b"HTTP/1.1 200")
    except OSError:
        return False

def field(path, name):
    with open(path) as f:
        for line in f:
            if line.startswith(name + ":"):
                return int(line.split()[1])
    return 0

def cpu_ms(pid):  # on-CPU time of every thread of pid so far (schedstat, ns), in ms
    total = 0
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            total += int(open(f"/proc/{pid}/task/{task}/schedstat").read().split()[0])
        except OSError:
            pass
    return total / 1e6

def uptime():
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()

target = subprocess.Popen(["unshare", "--mount", "--propagation", "private", "sleep", "infinity"])
own = os.readlink("/proc/self/ns/mnt")
while os.readlink(f"/proc/{target.pid}/ns/mnt") == own:
    time.sleep(0.005)

results = {label: [] for label, _ in variants}
print(uptime())
print("| # | agent | start -> healthy | agent CPU until healthy | polls | VmRSS 3 s after | Pss | threads | load (1 min) |")
print("|---|---|---|---|---|---|---|---|---|")
try:
    for n in range(starts):
        for label, exe in variants:
            state = tempfile.mkdtemp(prefix="state-", dir=work)
            http, grpc = free_port(), free_port()
            args = wrap + [exe, "--Agent:NodeName=gpu-node-001",
                    f"--Agent:ProcRoot={repo}/samples/nodes/gpu-node-001/proc", f"--Agent:TargetPid={target.pid}",
                    f"--Agent:StateDirectory={state}", f"--Agent:TokenFile={tokens}",
                    f"--Kestrel:Endpoints:Http:Url=http://127.0.0.1:{http}",
                    f"--Kestrel:Endpoints:Grpc:Url=http://127.0.0.1:{grpc}", "--Logging:LogLevel:Default=Warning",
                    "--Agent:Limits:InjectionsPerSecond=1000000", "--Agent:Limits:InjectionBurst=1000000",
                    "--Agent:Limits:MaxActiveFaults=1000000"]
            log = open(state + ".log", "w")
            t0 = time.monotonic_ns()
            agent = subprocess.Popen(args, cwd=os.path.dirname(exe), stdout=log, stderr=subprocess.STDOUT)
            polls = 0
            while not healthy(http):
                polls += 1
                if agent.poll() is not None:
                    sys.exit(f"{label} exited with {agent.returncode} before healthy; log {state}.log")
                if time.monotonic_ns() - t0 > 60e9:
                    sys.exit(f"{label} not healthy after 60 s; log {state}.log")
                time.sleep(0.002)
            ms = (time.monotonic_ns() - t0) / 1e6
            pid = agent.pid
            if wrap:  # the agent is the wrapper's child
                kids = open(f"/proc/{pid}/task/{pid}/children").read().split()
                pid = int(kids[0]) if kids else pid
            cpu = cpu_ms(pid)
            time.sleep(3)
            rss = field(f"/proc/{pid}/status", "VmRSS") / 1024
            pss = field(f"/proc/{pid}/smaps_rollup", "Pss") / 1024
            threads = field(f"/proc/{pid}/status", "Threads")
            load = os.getloadavg()[0]
            os.kill(pid, signal.SIGTERM)  # the agent itself, also under a wrapper
            agent.wait(30)
            log.close()
            results[label].append((ms, cpu, rss, pss, threads))
            print(f"| {n + 1} | {label} | {ms:.1f} ms | {cpu:.1f} ms | {polls} | {rss:.2f} MB | {pss:.2f} MB | {threads} | {load:.2f} |", flush=True)
finally:
    target.kill()
    target.wait()

print()
print("| agent | starts | start -> healthy, median (min-max) | agent CPU until healthy, median (min-max) | VmRSS median (min-max) | Pss median | threads |")
print("|---|---|---|---|---|---|---|")
for label, rows in results.items():
    if not rows:
        continue
    ms, cpu, rss, pss, th = zip(*rows)
    print(f"| {label} | {len(rows)} | {statistics.median(ms):.1f} ({min(ms):.1f}-{max(ms):.1f}) ms | "
          f"{statistics.median(cpu):.1f} ({min(cpu):.1f}-{max(cpu):.1f}) ms | "
          f"{statistics.median(rss):.2f} ({min(rss):.2f}-{max(rss):.2f}) MB | {statistics.median(pss):.2f} MB | {statistics.median(th):.0f} |")
print(uptime())
if os.environ.get("AGENT_START_KEEP"):
    print(f"logs and state in {work}")
else:
    shutil.rmtree(work, ignore_errors=True)
PY
