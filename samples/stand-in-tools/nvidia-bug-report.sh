#!/bin/sh
# A stand-in nvidia-bug-report.sh for machines without a GPU: the tests' stand-in hosts and scripts/run-local.sh's
# simulated nodes (installed as .local/tools/<node>/nvidia-bug-report.sh, never over a real one). It behaves as the
# real script does where the agent can tell (samples/README.md, nvidia-bug-report_sh facts): the same options (an unknown
# one is "Error: Unknown option"), the root check, the writable working directory check, the console banner, and
# <--output-file>.gz (default nvidia-bug-report.log.gz) as a concatenation of gzip members, one per section. The
# sections hold what the node really has: the /proc/driver/nvidia GPU information files of the simulated node (proc/
# beside this script), `nvidia-smi --query` (the stand-in nvidia-smi beside it, when there is one) and the kernel
# log's NVRM / nvidia- lines (this machine's real dmesg, so injected lines show up); --safe-mode skips the first two,
# as the real script does.
#
# Test knobs, files beside the script: calls.log (when it exists, every argument line is appended), not-root (answer
# as when not run as root), random-bytes (write that many random, incompressible bytes), gate (then wait for a file
# named release), hang (start `sleep <its content>` as a child, note its pid in started, and hang like that too).
dir=$(cd "$(dirname "$0")" && pwd)
[ -e "$dir/calls.log" ] && echo "$*" >> "$dir/calls.log"
flags="$*"

out=nvidia-bug-report.log
safe_mode=0
while [ $# -gt 0 ]; do
  case "$1" in
    -o|--output-file) out="$2"; shift 2 ;;
    --safe-mode) safe_mode=1; shift ;;
    --extra-system-data) shift ;;
    *) echo "Error: Unknown option $1"; exit 1 ;;
  esac
done

if [ "$(id -u)" -ne 0 ] || [ -e "$dir/not-root" ]; then
  echo "ERROR: Please run $(basename "$0") as root."
  exit 1
fi

if ! touch ./.write-check 2>/dev/null; then
  echo "ERROR: Working directory is not writable; please cd to a directory where you have write permission"
  exit 1
fi
rm -f ./.write-check

log="$out.gz"
[ -f "$log" ] && mv "$log" "$out.old.gz"
echo "nvidia-bug-report.sh will now collect information about your"
echo "system and create the file '$log' in the current"
echo "directory.  It may take several seconds to run."
printf "Running %s..." "$(basename "$0")"

section() { echo "____________________________________________"; echo; echo "$1"; echo; }

{
  echo "Start of NVIDIA bug report log file."
  echo
  echo "nvidia-bug-report.sh Version: stand-in (samples/stand-in-tools/nvidia-bug-report.sh)"
  echo "Date: $(date)"
  echo "uname: $(uname -a)"
  echo "command line flags: $flags"
  echo "cwd: $(pwd)"
  echo "mnt: $(readlink /proc/self/ns/mnt)"
  echo
} | gzip -c >> "$log"

if [ "$safe_mode" -eq 0 ]; then
  for information in "$dir"/proc/driver/nvidia/gpus/*/information; do
    [ -e "$information" ] || continue
    { section "/proc/driver/nvidia/gpus/$(basename "$(dirname "$information")")/information"; cat "$information"; echo; } | gzip -c >> "$log"
  done
  if [ -x "$dir/nvidia-smi" ]; then
    { section "$dir/nvidia-smi --query"; "$dir/nvidia-smi" --query 2>&1; echo; } | gzip -c >> "$log"
  else
    { section "nvidia-smi --query"; echo "nvidia-smi not found"; echo; } | gzip -c >> "$log"
  fi
fi

{ section "dmesg | grep -e NVRM -e nvidia-"; dmesg 2>&1 | grep -e NVRM -e nvidia- | tail -n 200; echo; } | gzip -c >> "$log"

[ -e "$dir/random-bytes" ] && head -c "$(cat "$dir/random-bytes")" /dev/urandom | gzip -c >> "$log"
if [ -e "$dir/gate" ]; then
  while [ ! -e "$dir/release" ]; do sleep 0.02; done
fi
if [ -e "$dir/hang" ]; then
  marker=$(cat "$dir/hang")
  sleep "$marker" &
  echo $! > "$dir/started"
  sleep "$marker"
fi

echo "End of NVIDIA bug report log file." | gzip -c >> "$log"
echo " complete."
