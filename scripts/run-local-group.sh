# Sourced (not run) by examples/pytest/run.sh and scripts/readme-examples.sh: runs scripts/run-local.sh as a process
# group of its own, waits until it prints "Ready:" (every agent healthy, the API ready; the build is part of it), and
# stops the whole group — no agent, API or unshare process is left behind.
#   run_local_start <log> [NAME=value ...]   start it with those environment settings, output to <log>
#   run_local_wait_ready <log> [seconds]      wait (default 900 s); on failure print its output and return 1
#   run_local_stop                            SIGTERM the group, SIGKILL what is left after 30 s; 1 if some survived
run_local_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
run_local_group=""

run_local_start() {
  local log="$1"
  shift
  # Emptied here, before run-local.sh starts in the background: a Ready line left by an earlier run must not pass
  # run_local_wait_ready before this run has even opened the log.
  : >"$log"
  setsid env "$@" "$run_local_root/scripts/run-local.sh" >"$log" 2>&1 &
  run_local_group=$!
}

run_local_wait_ready() {
  local log="$1" deadline=$((SECONDS + ${2:-900}))
  until grep -q '^Ready:' "$log" 2>/dev/null; do
    if ! kill -0 "$run_local_group" 2>/dev/null || [ "$SECONDS" -ge "$deadline" ]; then
      echo "run-local.sh did not become ready; its output:" >&2
      cat "$log" >&2
      return 1
    fi
    sleep 0.5
  done
}

run_local_stop() {
  [ -n "$run_local_group" ] || return 0
  kill -TERM -- "-$run_local_group" 2>/dev/null || true
  local deadline=$((SECONDS + 30))
  while kill -0 -- "-$run_local_group" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.2; done
  if kill -0 -- "-$run_local_group" 2>/dev/null; then
    echo "run-local.sh's processes did not stop on SIGTERM; killing them" >&2
    kill -KILL -- "-$run_local_group" 2>/dev/null || true
  fi
  wait "$run_local_group" 2>/dev/null || true
  if pgrep -g "$run_local_group" >/dev/null 2>&1; then
    echo "processes of run-local.sh are still running: $(pgrep -g "$run_local_group" | tr '\n' ' ')" >&2
    run_local_group=""
    return 1
  fi
  run_local_group=""
}
