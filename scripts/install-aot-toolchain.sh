#!/usr/bin/env bash
# The Native AOT toolchain the agent's publish needs (the ILCompiler links with clang and zlib), from Debian's packages,
# installed only when missing, so a fresh machine, CI and the image's build stage produce the same binary.
set -euo pipefail
missing=()
command -v clang >/dev/null 2>&1 || missing+=(clang)
dpkg -s zlib1g-dev >/dev/null 2>&1 || missing+=(zlib1g-dev)
[ "${#missing[@]}" -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "The Native AOT publish of the agent needs: ${missing[*]} (run as root, or: sudo apt-get install ${missing[*]})" >&2
  exit 1
fi
echo "installing the Native AOT toolchain: ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
